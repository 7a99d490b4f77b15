// One SPEC-align epoch over n = 10,000 samples (batch 2000, dx = dy = 512, cosine
// X kernel) against a NumPy/SciPy implementation of the same step
// (bench/python/align_baseline.py), one thread each, runs interleaved:
// ours, NumPy, ours, NumPy, ... and the median of the per-pair ratios reported.
// Usage: node bench/align.bench.mjs [pairs=3]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Run with node --import tsx: the trainer is internal, imported from src/.
import { init } from '../src/index.js';
import * as io from '../dist/io.js';
import * as align from '../src/methods/align/trainer.js';
import { pythonBaseline, printTable } from './lib.mjs';
import { mulberry32 } from '../tests/shared/rng.mjs';

const pairs = Number(process.argv[2] ?? 3);
await init();
const dir = mkdtempSync(join(tmpdir(), 'spec-bench-align-'));
pythonBaseline('make_bench_data.py', [dir, 10000, 512, 512, 4]);
const load = (f) => io.parseNpy(new Uint8Array(readFileSync(join(dir, f))), f);
const X = load('X.npy'),
  Y = load('Y.npy');
const n = X.rows,
  dy = Y.cols;

async function oursEpoch(seed) {
  const W0 = new Float64Array(dy * dy);
  for (let i = 0; i < dy; i++) W0[i * dy + i] = 1;
  const tr = new align.AlignTrainer(X, Y, { type: 'cosine', sigma: 0, rffDim: 0 }, dy, false, 1e-4, W0, seed);
  const train = Int32Array.from({ length: n }, (_, i) => i);
  const next = mulberry32(seed + 1);
  try {
    const t0 = performance.now();
    await tr.epoch(train, 2000, next, () => 0.03);
    return (performance.now() - t0) / 1000;
  } finally {
    tr.release();
  }
}

await oursEpoch(99); // warm-up (wasm compile, memory growth)
const ours = [],
  base = [],
  ratios = [];
for (let r = 0; r < pairs; r++) {
  const o = await oursEpoch(r);
  const b = pythonBaseline('align_baseline.py', [dir, 2000, 1]).epoch;
  ours.push(o);
  base.push(b);
  ratios.push(o / b);
  console.error(`pair ${r + 1}: ours ${o.toFixed(3)} s, NumPy ${b.toFixed(3)} s, ratio ${(o / b).toFixed(2)}`);
}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
printTable([{ kernel: 'align, one epoch (5 batches × exact 2000² step)', size: 'n=10k, 512/512, cosine', ours: med(ours), base: med(base), target: '< 2.0' }]);
console.log(`median of per-pair ratios: ${med(ratios).toFixed(2)}`);
rmSync(dir, { recursive: true });

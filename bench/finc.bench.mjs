// FINC covariance route against the NumPy/SciPy pipeline for the same mathematics
// (float32 RFF with one ω, ssyrk, eigsh 'BE' or eigh subset, scores), one thread
// each, same data files, runs interleaved (ours, NumPy, ours, …), medians reported.
// usage: node bench/finc.bench.mjs [small|full] [runs]
//   small: nx = ny = 10,000, d = 768, m = 1000 (about a minute)
//   full:  nx = ny = 50,000, d = 768, m = 1000 (needs ~2 GB free memory)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, finc } from '../dist/index.js';
import * as io from '../dist/io.js';
import { pythonBaseline, printTable } from './lib.mjs';

const size = process.argv[2] ?? 'small';
const runs = Number(process.argv[3] ?? 3);
const n = size === 'full' ? 50000 : 10000;
const d = 768,
  m = 1000,
  sigma = 40,
  topK = 10;
await init();

const dir = mkdtempSync(join(tmpdir(), 'finc-bench-'));
try {
  pythonBaseline('make_bench_data.py', [dir, n, d, d, 4]);
  const load = (f) => io.parseNpy(new Uint8Array(readFileSync(join(dir, f))), f);
  const X = load('X.npy'),
    Y = load('Y.npy');
  /** @type {import('../src/index.js').FincOptions} */
  const opts = { kernel: { type: 'gaussian', sigma, rffDim: m }, topK, method: 'covariance' };
  const ours = [],
    base = [];
  /** @type {any} */
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await finc(X, Y, opts);
    ours.push((performance.now() - t0) / 1000);
    base.push(pythonBaseline('finc_baseline.py', [dir, m, sigma, topK, 1]));
    console.error(
      `run ${i + 1}: ours ${ours[i].toFixed(2)} s, NumPy ${base[i].pipeline.toFixed(2)} s (eigsh ${base[i].eigsh.toFixed(2)}, eigh ${base[i].eigh.toFixed(2)})`,
    );
  }
  console.error('ours stage timings (s):', JSON.stringify(last.timings), `modes ${last.modes.length}`);
  const med = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
  printTable([
    {
      kernel: 'finc, Gaussian RFF, covariance route',
      size: `nx=ny=${n / 1000}k, d=768, m=1000 → D=2000, top 10+10`,
      ours: med(ours),
      base: med(base.map((b) => b.pipeline)),
      target: '',
    },
  ]);
} finally {
  rmSync(dir, { recursive: true });
}

// End-to-end SPEC compare against the NumPy/SciPy pipeline for the same
// mathematics (float32 RFF, ssyrk, Cholesky, ARPACK eigsh 'BE', scores), one
// thread each, same data files. Usage: node bench/compare.bench.mjs [rff|cosine|exact|all]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { init, compare } from '../dist/index.js';
import * as io from '../dist/io.js';
import { medianSecondsAsync, pythonBaseline, printTable } from './lib.mjs';

const which = process.argv[2] ?? 'all';
const rows = [];
await init();

function makeData(n, dx, dy, seed) {
  const dir = mkdtempSync(join(tmpdir(), 'spec-bench-'));
  pythonBaseline('make_bench_data.py', [dir, n, dx, dy, seed]);
  return dir;
}
const load = (dir, f) => io.parseNpy(new Uint8Array(readFileSync(join(dir, f))), f);

if (which === 'all' || which === 'rff') {
  const dir = makeData(10000, 768, 512, 1);
  const X = load(dir, 'X.npy'),
    Y = load(dir, 'Y.npy');
  const sx = 40,
    sy = 32;
  /** @type {import('../src/index.js').CompareOptions} */
  const opts = {
    kernelX: { type: 'gaussian', sigma: sx, rffDim: 1000 },
    kernelY: { type: 'gaussian', sigma: sy, rffDim: 1000 },
    topK: 10,
    method: 'covariance',
  };
  const ours = await medianSecondsAsync(() => compare(X, Y, opts), 3);
  const last = await compare(X, Y, opts);
  console.error('ours stage timings (s):', JSON.stringify(last.timings));
  const base = pythonBaseline('compare_baseline.py', ['rff', dir, 1000, sx, sy, 10, 3]).pipeline;
  rows.push({ kernel: 'compare, Gaussian RFF, covariance route', size: 'n=10k, 768/512 → D=4000, top 10+10', ours, base, target: '≤ 2.0' });
  rmSync(dir, { recursive: true });
}

if (which === 'all' || which === 'exact') {
  const dir = makeData(4000, 768, 512, 2);
  const X = load(dir, 'X.npy'),
    Y = load(dir, 'Y.npy');
  /** @type {import('../src/index.js').CompareOptions} */
  const opts = { kernelX: { type: 'gaussian', sigma: 40 }, kernelY: { type: 'gaussian', sigma: 32 }, topK: 10, method: 'exact' };
  const ours = await medianSecondsAsync(() => compare(X, Y, opts), 3);
  const base = pythonBaseline('compare_baseline.py', ['exact', dir, 40, 32, 10, 3]).pipeline;
  rows.push({ kernel: 'compare, Gaussian, exact route', size: 'n=4000, 768/512, top 10+10', ours, base, target: '≤ 1.5' });
  rmSync(dir, { recursive: true });
}

if (which === 'all' || which === 'cosine') {
  const dir = makeData(100000, 768, 512, 3);
  const cli = new URL('../dist/cli.js', import.meta.url).pathname;
  const times = [];
  let peak = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = spawnSync(
      '/usr/bin/time',
      ['-f', '%M', process.execPath, cli, 'compare', join(dir, 'X.npy'), join(dir, 'Y.npy'), '--kernel', 'cosine', '--method', 'covariance', '--json'],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    times.push((performance.now() - t) / 1000);
    if (r.status !== 0) throw new Error(r.stderr);
    peak = Math.max(peak, Number(r.stderr.trim().split('\n').pop()) / 1024);
  }
  times.sort((a, b) => a - b);
  const base = pythonBaseline('compare_baseline.py', ['cosine', dir, 10, 3]).pipeline;
  rows.push({ kernel: 'CLI compare, cosine, whole process', size: `n=100k, 768/512 (peak RSS ${peak.toFixed(0)} MiB)`, ours: times[1], base, target: '≤ 1.5' });
  rmSync(dir, { recursive: true });
}

printTable(rows);

// Long work is sliced by elapsed time (so that it can yield to the event loop),
// and the slices differ between a busy and an idle machine. Results must not:
// each case runs once with the real clock and once with a clock that jumps by
// pseudo-random amounts, which makes every time-sized step a different size,
// and the two results must be bit-identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, compare, finc, align } from '../../src/index.js';
import { parseNpy } from '../../src/io/index.js';
import { randomF32 } from '../shared/rng.mjs';

await init();

async function withJumpyClock<T>(fn: () => Promise<T>, seed: number): Promise<T> {
  const real = performance.now.bind(performance);
  let fake = real(),
    state = seed;
  performance.now = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    fake += (state % 997) / 10; // 0–100 ms per call
    return fake;
  };
  try {
    return await fn();
  } finally {
    performance.now = real;
  }
}

function strip(r: any): unknown {
  const { timings, ...rest } = r;
  return JSON.parse(JSON.stringify(rest, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as any) : v)));
}

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });

const npy = (name: string) => {
  const path = new URL(`../fixtures/cli/${name}`, import.meta.url);
  return parseNpy(new Uint8Array(readFileSync(path)), name) as { data: Float32Array; rows: number; cols: number };
};

const cases: [string, () => Promise<unknown>][] = [
  // Lanczos used to restart its ‖Op‖ estimate at each time-sized slice, which moved
  // the breakdown test and changed the last bits of these eigenvalues under load.
  ['compare exact, cosine, the CLI fixtures', () => compare(npy('x.npy'), npy('y.npy'), { topK: 3, samplesPerMode: 5 })],
  ['compare exact, cosine, n = 60 (basis exhausted)', () => compare(mat(60, 5, 1), mat(60, 4, 2), { topK: 3 })],
  ['compare exact, Gaussian, n = 300', () => compare(mat(300, 16, 3), mat(300, 12, 4), { kernel: { type: 'gaussian', sigma: 'auto' }, method: 'exact' })],
  [
    'compare covariance, RFF m = 200',
    () => compare(mat(3000, 16, 5), mat(3000, 12, 6), { kernel: { type: 'gaussian', sigma: 2, rffDim: 200 }, method: 'covariance', threads: 1 }),
  ],
  ['finc covariance, cosine', () => finc(mat(2500, 300, 7), mat(1800, 300, 8), { method: 'covariance', threads: 1 })],
  ['finc covariance, matrix-free solver', () => finc(mat(2500, 300, 7), mat(1800, 300, 8), { method: 'covariance', solver: 'matrix-free', threads: 1 })],
  ['finc exact, Gaussian', () => finc(mat(400, 20, 9), mat(300, 20, 10), { kernel: { type: 'gaussian', sigma: 'auto' }, method: 'exact' })],
  // σ = auto in row steps, FINC's features, SYRK bands (D = 600 > 256) and solve in steps
  [
    'finc covariance, RFF m = 300, σ auto',
    () => finc(mat(2500, 24, 11), mat(1800, 24, 12), { kernel: { type: 'gaussian', sigma: 'auto', rffDim: 300 }, method: 'covariance', threads: 1 }),
  ],
  [
    'compare covariance, RFF, σ auto, 2 threads',
    () => compare(mat(6000, 16, 13), mat(6000, 12, 14), { kernel: { type: 'gaussian', sigma: 'auto', rffDim: 200 }, method: 'covariance', threads: 2 }),
  ],
  [
    'compare covariance, matrix-free solver, RFF m = 200',
    () =>
      compare(mat(3000, 16, 5), mat(3000, 12, 6), {
        kernel: { type: 'gaussian', sigma: 2, rffDim: 200 },
        method: 'covariance',
        solver: 'matrix-free',
        threads: 1,
      }),
  ],
  // the operator applied on workers, one Lanczos step per application
  [
    'compare covariance, matrix-free solver on 2 workers, RFF m = 200',
    () =>
      compare(mat(3000, 16, 5), mat(3000, 12, 6), {
        kernel: { type: 'gaussian', sigma: 2, rffDim: 200 },
        method: 'covariance',
        solver: 'matrix-free',
        threads: 2,
      }),
  ],
  // align's batch kernels and eigensolve in steps
  ['align, Gaussian σ auto', () => align(mat(1200, 16, 15), mat(1200, 12, 16), { kernel: { type: 'gaussian', sigma: 'auto' }, dim: 6, epochs: 2, batch: 500 })],
];

for (const [name, run] of cases) {
  test(`timing-independent: ${name}`, async () => {
    const a = strip(await run());
    for (const seed of [1, 2, 3]) assert.deepEqual(strip(await withJumpyClock(run, seed)), a, `clock seed ${seed}`);
  });
}

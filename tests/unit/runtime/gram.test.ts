// The exact route's kernel matrices on workers (src/runtime/gram.ts): every
// entry is computed by the same wasm kernel on the same rows whichever worker
// takes its block, so threads: 2 gives the one-thread result bit for bit (the
// one-thread numbers are checked against NumPy in compare.test.ts).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { compare, terminateWorkers } from '../../../dist/index.js';

after(() => terminateWorkers());

/** Seeded rows around a few centres (a deterministic LCG). */
function rows(n: number, d: number, seed: number, scale = 1) {
  const data = new Float32Array(n * d);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      data[i * d + j] = scale * (s / 2 ** 32 - 0.5 + (i % 7 === j % 7 ? 1.5 : 0));
    }
  }
  return { data, rows: n, cols: d };
}

/** Every number of a result, in a fixed order (timings and threads excluded). */
function numbers(r: any): Float64Array {
  const out: number[] = [r.specDiff.xNotY, r.specDiff.yNotX, r.specDiff.norm, r.noiseDropped, ...r.eigenvalues];
  for (const m of r.modes) {
    for (const t of m.top) out.push(t.index, t.score);
    out.push(...(m.scores ?? []));
  }
  return Float64Array.from(out);
}

// n = 603: three blocks of 256 rows, the last partial, and n not a multiple of 8;
// n²·d beyond the small f64 path, so the f32 Gram kernel runs.
const X = rows(603, 80, 1),
  Y = rows(603, 56, 2, 1e-3);

for (const [label, opts] of [
  ['Gaussian', { kernel: 'gaussian' }],
  ['cosine', { kernel: 'cosine' }],
  ['linear (scaled Y)', { kernel: 'linear' }],
  ['covariance route, n ≤ D (feature Gram)', { kernel: { type: 'gaussian', rffDim: 400 }, method: 'covariance' }],
] as const) {
  test(`exact kernel matrices: threads 1 and 2 give identical results (${label})`, async () => {
    const base = { ...opts, method: (opts as any).method ?? 'exact', topK: 5, samplesPerMode: 7, returnScores: true } as any;
    const one = await compare(X, Y, { ...base, threads: 1 });
    const two = await compare(X, Y, { ...base, threads: 2 });
    assert.equal(one.threads, undefined);
    assert.equal(two.threads, 2, 'the kernel matrices were formed on two workers');
    assert.ok(one.modes.length > 0);
    assert.deepEqual(numbers(two), numbers(one));
  });
}

test('a small exact problem stays in process under the default thread count', async () => {
  const r = await compare(rows(200, 16, 3), rows(200, 12, 4), { kernel: 'gaussian', method: 'exact' });
  assert.equal(r.threads, undefined);
});

// FINC's membership permutation test (src/significance/finc-metrics.ts,
// finc-permutation.ts, extreme-values.ts): calibrated on null data (X and Y drawn
// from one distribution: p-values uniform by Kolmogorov–Smirnov), powerful on the
// MNIST class held out of Y, deterministic for a seed across thread counts, with
// progress and abort through the loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finc, init } from '../../../src/index.js';
import { hogMatrix, loadMnistPackage, selectDigits } from '../../../src/demo/mnist.js';
import { mulberry32 } from '../../shared/rng.mjs';
import type { ProgressEvent } from '../../../src/types/index.js';
import { FINC_BATCH } from '../../../src/significance/finc-permutation.js';

await init();

/** Normal draws (Box–Muller on the test generator). */
function normals(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
}

/** The Kolmogorov–Smirnov p-value of values against U(0, 1) (Stephens' approximation of the limit law). */
function ksUniform(values: number[]): number {
  const v = [...values].sort((a, b) => a - b),
    n = v.length;
  let D = 0;
  v.forEach((x, i) => (D = Math.max(D, (i + 1) / n - x, x - i / n)));
  const l = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * D;
  let p = 0;
  for (let j = 1; j <= 100; j++) p += 2 * (-1) ** (j - 1) * Math.exp(-2 * j * j * l * l);
  return Math.min(1, Math.max(0, p));
}

test('null data (X and Y from one distribution): MMD² and SPEC-diff p-values over 100 seeded cases are uniform', async () => {
  const mmd: number[] = [],
    spec: number[] = [],
    top: number[] = [];
  const nx = 40,
    ny = 30,
    d = 3;
  for (let c = 0; c < 100; c++) {
    // one distribution: a shifted Gaussian, so the cosine kernel has structure
    const X = { data: normals(nx * d, 1000 + c).map((v, i) => v + (i % d) + 1), rows: nx, cols: d };
    const Y = { data: normals(ny * d, 5000 + c).map((v, i) => v + (i % d) + 1), rows: ny, cols: d };
    const r = await finc(X, Y, { method: 'covariance', threads: 1, topK: 2, seed: c, significance: { permutations: 49 } });
    mmd.push(r.metrics!.mmd2.test!.pValue);
    spec.push(r.metrics!.specDiff!.test!.pValue);
    const x1 = r.modes.find((m) => m.side === 'x' && m.rank === 1);
    if (x1) top.push(x1.significance!.permutation!.pValue);
  }
  // p-values on the grid k/50 are slightly conservative against U(0, 1); KS still accepts uniform
  assert.ok(ksUniform(mmd) > 0.01, `MMD² p-values not uniform: KS p = ${ksUniform(mmd)}`);
  assert.ok(ksUniform(spec) > 0.01, `SPEC-diff p-values not uniform: KS p = ${ksUniform(spec)}`);
  assert.ok(top.length >= 90 && ksUniform(top) > 0.01, `top x mode's p-values not uniform: KS p = ${ksUniform(top)} over ${top.length}`);
  assert.ok(mmd.filter((p) => p <= 0.05).length <= 12, `${mmd.filter((p) => p <= 0.05).length} of 100 MMD² p-values ≤ 0.05`);
  // the KS check itself rejects a skewed set
  assert.ok(ksUniform(mmd.map((p) => p * p)) < 0.01);
});

let digits: ReturnType<typeof loadMnistPackage> | null = null;
try {
  digits = loadMnistPackage();
} catch {
  digits = null;
}

test('MNIST: the digit class held out of Y gives p < 0.01 for MMD², SPEC-diff and the top x mode', {
  skip: digits ? false : 'mnist package not installed',
}, async () => {
  // 2000 digits: X every other one (all classes), Y the rest without the 3s; their HOG descriptors
  const set = selectDigits(digits!, 2000, 0);
  const all = hogMatrix(set);
  const HELD = '3';
  const xi: number[] = [],
    yi: number[] = [];
  for (let i = 0; i < set.n; i++) (i % 2 === 0 ? xi : set.labels[i] !== HELD ? yi : null)?.push(i);
  const take = (idx: number[]) => {
    const data = new Float32Array(idx.length * all.cols);
    idx.forEach((r, k) => data.set(all.data.subarray(r * all.cols, (r + 1) * all.cols), k * all.cols));
    return { data, rows: idx.length, cols: all.cols };
  };
  const r = await finc(take(xi), take(yi), { kernel: 'cosine', threads: 1, topK: 3, significance: { permutations: 199, seed: 1 } });
  const m = r.metrics!;
  assert.ok(m.mmd2.test!.pValue < 0.01, `MMD² p = ${m.mmd2.test!.pValue}`);
  assert.ok(m.specDiff!.test!.pValue < 0.01, `SPEC-diff p = ${m.specDiff!.test!.pValue}`);
  const x1 = r.modes.find((md) => md.side === 'x' && md.rank === 1)!;
  assert.ok(x1.significance!.permutation!.pValue < 0.01, `x1 p = ${x1.significance!.permutation!.pValue}`);
  assert.equal(x1.significance!.weak, false);
  // the null's quantiles sit below the observed statistic, in order
  const q = m.specDiff!.test!.nullQuantiles;
  assert.ok(q[0] <= q[1] && q[1] <= q[2] && q[2] < m.specDiff!.value, `quantiles ${q} vs ${m.specDiff!.value}`);
});

test('same seed → identical p-values and quantiles for threads 1 and 2; another seed → other nulls', async () => {
  const n = 5000,
    d = 8;
  const X = { data: normals(n * d, 1).map((v, i) => v + (i % d)), rows: n, cols: d };
  const Y = { data: normals(n * d, 2).map((v, i) => v + (i % d) + (i % 16 === 0 ? 0.3 : 0)), rows: n, cols: d };
  const opts = { method: 'covariance' as const, topK: 2, significance: { permutations: 20, seed: 9 } };
  const one = await finc(X, Y, { ...opts, threads: 1 });
  const two = await finc(X, Y, { ...opts, threads: 2 });
  assert.equal(two.threads, 2);
  assert.deepEqual(two.metrics!.mmd2.test, one.metrics!.mmd2.test);
  assert.deepEqual(two.metrics!.specDiff!.test, one.metrics!.specDiff!.test);
  assert.deepEqual(
    two.modes.map((m) => m.significance),
    one.modes.map((m) => m.significance),
  );
  const other = await finc(X, Y, { ...opts, threads: 1, significance: { permutations: 20, seed: 10 } });
  assert.notDeepEqual(other.metrics!.mmd2.test!.nullQuantiles, one.metrics!.mmd2.test!.nullQuantiles);
});

test('progress: a significance event per batch of permutations (the first with the estimated cost); abort stops the loop', async () => {
  const X = { data: normals(300 * 4, 3), rows: 300, cols: 4 },
    Y = { data: normals(200 * 4, 4), rows: 200, cols: 4 };
  const events: ProgressEvent[] = [];
  const r = await finc(X, Y, { threads: 1, significance: { permutations: 30 }, onProgress: (e) => events.push(e) });
  const sig = events.filter((e) => e.stage === 'significance');
  assert.equal(sig[0].done, 0);
  assert.equal(sig[1].done, FINC_BATCH);
  assert.ok(sig[1].estimatedSeconds! > 0);
  assert.deepEqual(sig.at(-1), { stage: 'significance', done: 30, total: 30, message: 'permutations' });
  assert.equal(r.metrics!.mmd2.test!.permutations, 30);
  const ac = new AbortController();
  const run = finc(X, Y, {
    threads: 1,
    significance: { permutations: 100_000 },
    signal: ac.signal,
    onProgress: (e) => {
      if (e.stage === 'significance' && e.done >= 3) ac.abort();
    },
  });
  await assert.rejects(run, (e: Error) => e.name === 'AbortError');
});

test('bad permutation counts are refused with a clear message', async () => {
  const X = { data: normals(20 * 2, 5), rows: 20, cols: 2 };
  for (const [v, re] of [
    [-1, /non-negative integer/],
    [2.5, /non-negative integer/],
    ['10', /non-negative integer/],
    [1e6, /more than 100000/],
  ] as const) {
    await assert.rejects(finc(X, X, { significance: { permutations: v as number } }), (e: Error) => e.name === 'InputError' && re.test(e.message));
  }
  await assert.rejects(finc(X, X, { significance: 5 as never }), /significance must be an object/);
});

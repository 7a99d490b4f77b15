// compare()'s and finc()'s metrics (src/significance/compare-metrics.ts,
// finc-metrics.ts, centred.ts, knn.ts) against NumPy (scripts/fixtures/metrics.py):
// linear CKA, kernel CKA on both routes (the covariance route's Gaussian with the
// library's own frequencies), mutual k-NN against a brute-force count, and MMD².
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compare, finc, init } from '../../../src/index.js';
import { KNN_WORK, knnQueries, mutualKnn, sampleRows } from '../../../src/significance/knn.js';
import { matrixSource } from '../../../src/validate/source.js';
import { Cooperative } from '../../../src/runtime/cooperative.js';

await init();

const fx = JSON.parse(readFileSync('tests/fixtures/metrics/cases.json', 'utf8'));
const cmp = fx.cases.find((c: { task: string }) => c.task === 'compare');
const fc = fx.cases.find((c: { task: string }) => c.task === 'finc');
const f32 = (b64: string) => new Float32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer);
const X = { data: f32(cmp.X), rows: cmp.n, cols: cmp.dx },
  Y = { data: f32(cmp.Y), rows: cmp.n, cols: cmp.dy };
const A = { data: f32(fc.X), rows: fc.nx, cols: fc.d },
  B = { data: f32(fc.Y), rows: fc.ny, cols: fc.d };

const close = (got: number, want: number, tol: number, what: string) => assert.ok(Math.abs(got - want) <= tol, `${what}: ${got} vs ${want}`);

for (const method of ['exact', 'covariance'] as const) {
  test(`compare ${method}: linear and cosine CKA equal NumPy's to 1e-6, mutual k-NN its brute-force count`, async () => {
    const r = await compare(X, Y, { method, threads: 1 });
    const m = r.metrics!;
    close(m.ckaLinear.value, cmp.ckaLinear, 1e-6, 'linear CKA');
    close(m.ckaKernel.value, cmp.ckaCosine, 1e-6, 'cosine CKA');
    assert.deepEqual({ k: m.mutualKnn.k, exact: m.mutualKnn.exact }, { k: 10, exact: true });
    close(m.mutualKnn.value, cmp.mutualKnn, 1e-12, 'mutual k-NN');
    assert.equal(m.ckaLinear.test, undefined);
  });
}

test('compare: Gaussian CKA on the exact route (exact kernel) and on the covariance route (the same random features)', async () => {
  const g = (sigma: number) => ({ type: 'gaussian' as const, sigma, rffDim: cmp.rffDim });
  const opts = { kernelX: g(cmp.sigmaX), kernelY: g(cmp.sigmaY), seed: cmp.seed, threads: 1 };
  const exact = await compare(X, Y, { ...opts, method: 'exact' });
  close(exact.metrics!.ckaKernel.value, cmp.ckaGaussianExact, 1e-6, 'exact Gaussian CKA');
  const cov = await compare(X, Y, { ...opts, method: 'covariance' });
  close(cov.metrics!.ckaKernel.value, cmp.ckaGaussianRff, 1e-6, 'RFF Gaussian CKA');
  // the linear CKA does not depend on the kernels
  close(cov.metrics!.ckaLinear.value, cmp.ckaLinear, 1e-6, 'linear CKA');
});

test('compare over two threads: the same metrics (the sums merged from workers carry their column sums)', async () => {
  const big = 3000;
  const rows = (m: typeof X) => ({
    data: Float32Array.from({ length: big * m.cols }, (_, i) => m.data[i % (m.rows * m.cols)] + (i % 7) * 0.01),
    rows: big,
    cols: m.cols,
  });
  const X2 = rows(X),
    Y2 = rows(Y);
  const one = await compare(X2, Y2, { method: 'covariance', threads: 1 });
  const two = await compare(X2, Y2, { method: 'covariance', threads: 2 });
  assert.equal(two.threads, 2);
  close(two.metrics!.ckaKernel.value, one.metrics!.ckaKernel.value, 1e-12, 'kernel CKA, 2 threads vs 1');
  assert.equal(two.metrics!.ckaLinear.value, one.metrics!.ckaLinear.value);
  assert.equal(two.metrics!.mutualKnn.value, one.metrics!.mutualKnn.value);
});

test('mutual k-NN with k = 3, and a seeded sample of query rows', async () => {
  const coop = new Cooperative();
  const k3 = await mutualKnn(matrixSource(X, 'X'), matrixSource(Y, 'Y'), 0, coop, 3);
  close(k3.value, cmp.mutualKnn3, 1e-12, 'k = 3');
  assert.equal(k3.exact, true);
  // 50 sampled queries: the mean of NumPy's per-row overlaps over exactly those rows
  const s = await mutualKnn(matrixSource(X, 'X'), matrixSource(Y, 'Y'), 5, coop, 10, 50);
  const rows = sampleRows(cmp.n, 50, 5);
  assert.equal(new Set(rows).size, 50);
  const want = Array.from(rows).reduce((a, i) => a + cmp.knnOverlaps[i], 0) / 50;
  assert.deepEqual({ exact: s.exact, sampled: s.sampled }, { exact: false, sampled: 50 });
  close(s.value, want, 1e-12, 'sampled k-NN');
  // every row is a query while the work allows, a sample of at least 1000 beyond
  assert.deepEqual(knnQueries(10_000, 100), { exact: true, m: 10_000 });
  const big = knnQueries(100_000, 1000);
  assert.equal(big.exact, false);
  assert.equal(big.m, Math.max(1000, Math.floor(KNN_WORK / (100_000 * 1000))));
});

for (const method of ['exact', 'covariance'] as const) {
  test(`finc ${method}: MMD² under the cosine and linear kernels equals NumPy's`, async () => {
    for (const [kernel, want] of [
      ['cosine', fc.mmd2Cosine],
      ['linear', fc.mmd2Linear],
    ] as const) {
      const r = await finc(A, B, { kernel, method, threads: 1 });
      close(r.metrics!.mmd2.value, want, 1e-6 * Math.max(1, Math.abs(want)), `${kernel} MMD²`);
      assert.equal(r.metrics!.specDiff, undefined);
    }
  });
}

test('finc: Gaussian MMD² exact (exact kernel) and on the covariance route (the same frequencies)', async () => {
  const kernel = { type: 'gaussian' as const, sigma: fc.sigma, rffDim: fc.rffDim };
  const exact = await finc(A, B, { kernel, method: 'exact', seed: fc.seed, threads: 1 });
  close(exact.metrics!.mmd2.value, fc.mmd2GaussianExact, 1e-9, 'exact MMD²');
  const cov = await finc(A, B, { kernel, method: 'covariance', seed: fc.seed, threads: 1 });
  close(cov.metrics!.mmd2.value, fc.mmd2GaussianRff, 1e-6, 'RFF MMD²');
});

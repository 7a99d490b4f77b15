// compare()'s and finc()'s metrics (src/significance/compare-metrics.ts,
// finc-metrics.ts, centred.ts, knn.ts) against NumPy (scripts/fixtures/metrics.py):
// linear CKA, kernel CKA on both routes (the covariance route's Gaussian with the
// library's own frequencies), mutual k-NN against a brute-force count, and MMD².
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compare, finc, init } from '../../../src/index.js';
import { KNN_MIN_QUERIES, KNN_WORK, knnQueries, mutualKnn, sampleRows } from '../../../src/significance/knn.js';
import {
  CKA_MIN_ROWS,
  CKA_SAMPLE_ROWS,
  CKA_SAMPLE_WORK,
  LINEAR_MIN_ROWS,
  LINEAR_WORK,
  kernelSample,
  kernelSampleRows,
  linearRows,
  sampledKernelParts,
} from '../../../src/significance/compare-metrics.js';
import { ckaOf, hsicFromSums } from '../../../src/significance/centred.js';
import { SpecSums } from '../../../src/sums/spec-sums.js';
import { matrixSource } from '../../../src/validate/source.js';
import { Cooperative, drive } from '../../../src/runtime/cooperative.js';

await init();

const fx = JSON.parse(readFileSync('tests/fixtures/metrics/cases.json', 'utf8'));
const cmp = fx.cases.find((c: { task: string }) => c.task === 'compare');
const fc = fx.cases.find((c: { task: string }) => c.task === 'finc');
const samples = fx.cases.filter((c: { task: string }) => c.task === 'compare-sample');
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
  // every row is a query while the work allows, a sample of at least KNN_MIN_QUERIES beyond
  assert.deepEqual(knnQueries(3000, 100), { exact: true, m: 3000 });
  const big = knnQueries(100_000, 1000);
  assert.equal(big.exact, false);
  assert.equal(big.m, Math.max(KNN_MIN_QUERIES, Math.floor(KNN_WORK / (100_000 * 1000))));
  // linear CKA: every row while its SYRK is within LINEAR_WORK, a seeded sample beyond
  assert.equal(linearRows(400, 18), 400);
  assert.equal(linearRows(10_000, 1280), Math.max(LINEAR_MIN_ROWS, Math.floor((2 * LINEAR_WORK) / 1280 ** 2)));
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

test('after the matrix-free solve: kernel CKA from all rows up to 2,000 (NumPy to 1e-6), and MMD² from the cached features', async () => {
  const g = (sigma: number) => ({ type: 'gaussian' as const, sigma, rffDim: cmp.rffDim });
  const free = await compare(X, Y, { kernelX: g(cmp.sigmaX), kernelY: g(cmp.sigmaY), seed: cmp.seed, threads: 1, method: 'covariance', solver: 'matrix-free' });
  assert.equal(free.solver, 'matrix-free');
  close(free.metrics!.ckaKernel.value, cmp.ckaGaussianRff, 1e-6, 'RFF Gaussian CKA, matrix-free');
  assert.equal(free.metrics!.ckaKernel.sampled, undefined, 'every row is in the sample');
  close(free.metrics!.ckaLinear.value, cmp.ckaLinear, 1e-6, 'linear CKA, matrix-free');
  const kernel = { type: 'gaussian' as const, sigma: fc.sigma, rffDim: fc.rffDim };
  const fin = await finc(A, B, { kernel, method: 'covariance', solver: 'matrix-free', seed: fc.seed, threads: 1 });
  assert.equal(fin.solver, 'matrix-free');
  close(fin.metrics!.mmd2.value, fc.mmd2GaussianRff, 1e-6, 'RFF MMD², matrix-free');
});

test('after the matrix-free solve on more than 2,000 rows: kernel CKA is estimated on 2,000 sampled rows, and says so', async () => {
  const big = 3000;
  const rows = (m: typeof X) => ({
    data: Float32Array.from({ length: big * m.cols }, (_, i) => m.data[i % (m.rows * m.cols)] + ((i * 7919) % 13) * 0.02),
    rows: big,
    cols: m.cols,
  });
  const X2 = rows(X),
    Y2 = rows(Y);
  const syrk = await compare(X2, Y2, { method: 'covariance', solver: 'syrk', threads: 1 });
  const free = await compare(X2, Y2, { method: 'covariance', solver: 'matrix-free', threads: 1 });
  assert.equal(syrk.metrics!.ckaKernel.sampled, undefined);
  assert.equal(free.metrics!.ckaKernel.sampled, 2000);
  close(free.metrics!.ckaKernel.value, syrk.metrics!.ckaKernel.value, 0.05, 'sampled kernel CKA near the full one');
  assert.notEqual(free.metrics!.ckaKernel.value, syrk.metrics!.ckaKernel.value, 'the sample is not the whole set');
  assert.equal(free.metrics!.ckaLinear.value, syrk.metrics!.ckaLinear.value);
});

test('kernel CKA sample after the matrix-free solve: every row up to 2,000, fewer (at least 1,000) as D grows', () => {
  assert.equal(kernelSampleRows(400, 256), 400);
  assert.equal(kernelSampleRows(3000, 256), CKA_SAMPLE_ROWS);
  assert.equal(kernelSampleRows(3000, 1200), Math.floor(Math.sqrt((2 * CKA_SAMPLE_WORK) / 1200)));
  // B1: D = 2000 + 2000 features
  assert.equal(kernelSampleRows(10_000, 4000), 1000);
  assert.equal(kernelSampleRows(10_000, 16_000), CKA_MIN_ROWS);
  assert.equal(kernelSampleRows(500, 16_000), 500);
});

test('after the matrix-free solve: kernel CKA on its seeded sample is the unbiased estimator, NumPy on those rows (1e-8), whichever way the features reach it', async () => {
  const big = 3000;
  const shifted = (m: typeof X) => ({
    data: Float32Array.from({ length: big * m.cols }, (_, i) => m.data[i % (m.rows * m.cols)] + ((i * 7919) % 13) * 0.02),
    rows: big,
    cols: m.cols,
  });
  const X2 = shifted(X),
    Y2 = shifted(Y);
  assert.equal(samples.length, 2);
  for (const c of samples) {
    const g = (sigma: number) => ({ type: 'gaussian' as const, sigma, rffDim: c.rffDim });
    const free = await compare(X2, Y2, { kernelX: g(c.sigmaX), kernelY: g(c.sigmaY), seed: c.seed, threads: 1, method: 'covariance', solver: 'matrix-free' });
    assert.equal(free.solver, 'matrix-free');
    const idx = kernelSample(big, 4 * c.rffDim, c.seed);
    assert.deepEqual(Array.from(idx), Array.from(new Int32Array(new Uint8Array(Buffer.from(c.sample, 'base64')).buffer)), 'the sample NumPy used');
    assert.equal(free.metrics!.ckaKernel.sampled, idx.length);
    const value = free.metrics!.ckaKernel.value;
    close(value, c.ckaGaussianRffSampleUnbiased, 1e-8, `${c.name}: NumPy's unbiased CKA of the sample`);
    assert.ok(value < c.ckaGaussianRffSample - 0.005, `${c.name}: below the biased CKA of the sample`);
    // the route handed its features over; without them the sample's rows are read and featurised again
    const coop = new Cooperative();
    const job = { sx: matrixSource(X2, 'X'), sy: matrixSource(Y2, 'Y'), n: big, kx: g(c.sigmaX), ky: g(c.sigmaY), seed: c.seed };
    const again = await sampledKernelParts(job, coop);
    assert.equal(again.rows, idx.length);
    assert.equal(ckaOf(again.parts), value, `${c.name}: the same features, the same sums`);
    // the sample's rows as the whole set (m = n): the biased value, as every route gives for all
    // rows — NumPy's centred Grams, and the former computation, the D × D sums (a SYRK) of the features
    const pick = (m: typeof X, name: string) => {
      const data = new Float32Array(idx.length * m.cols);
      idx.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
      return matrixSource({ data, rows: idx.length, cols: m.cols }, name);
    };
    const px = pick(X2, 'X'),
      py = pick(Y2, 'Y');
    const whole = await sampledKernelParts({ ...job, sx: px, sy: py, n: idx.length }, coop);
    assert.equal(whole.rows, idx.length);
    const biased = ckaOf(whole.parts);
    close(biased, c.ckaGaussianRffSample, 1e-8, `${c.name}: m = n, NumPy's biased CKA`);
    const acc = await drive(SpecSums.ofSteps(job.kx, job.ky, 1, c.seed, px, py), coop, 'metrics');
    try {
      await drive(
        acc.addSteps({ data: px.read(0, idx.length), rows: idx.length, cols: px.cols }, { data: py.read(0, idx.length), rows: idx.length, cols: py.cols }),
        coop,
        'metrics',
      );
      close(ckaOf(hsicFromSums(acc.peek(0), acc.colSums![0], idx.length, acc.D, acc.DX)), biased, 1e-9, `${c.name}: D × D sums of the sample`);
    } finally {
      acc.dispose();
    }
  }
});

test('after the matrix-free solve on every row of a set within the sample size: the biased kernel CKA, unlabelled', async () => {
  // the rffDim-64 case's sample rows alone (2,000 rows, D = 256): the route's "sample" is every row
  const c = samples.find((s: { rffDim: number }) => s.rffDim === cmp.rffDim);
  const big = 3000;
  const idx = kernelSample(big, 4 * c.rffDim, c.seed);
  const picked = (m: typeof X) => {
    const data = new Float32Array(idx.length * m.cols);
    idx.forEach((r, i) => {
      for (let j = 0; j < m.cols; j++) {
        const k = r * m.cols + j;
        data[i * m.cols + j] = m.data[k % (m.rows * m.cols)] + ((k * 7919) % 13) * 0.02;
      }
    });
    return { data, rows: idx.length, cols: m.cols };
  };
  const g = (sigma: number) => ({ type: 'gaussian' as const, sigma, rffDim: c.rffDim });
  const free = await compare(picked(X), picked(Y), {
    kernelX: g(c.sigmaX),
    kernelY: g(c.sigmaY),
    seed: c.seed,
    threads: 1,
    method: 'covariance',
    solver: 'matrix-free',
  });
  assert.equal(free.solver, 'matrix-free');
  assert.equal(free.metrics!.ckaKernel.sampled, undefined);
  close(free.metrics!.ckaKernel.value, c.ckaGaussianRffSample, 1e-8, "NumPy's biased CKA of those rows");
});

// The matrix-free covariance solver (src/methods/routes/matrix-free.ts): Lanczos
// on Λ = (1/n)(ΦXΦXᵀ − η·ΦYΦYᵀ) from the cached features must report what the
// SYRK route reports (eigenvalues within 1e-6 of ‖Λ‖, the same top samples of
// every mode), match the NumPy eigh fixtures (tests/fixtures/compare, made by
// scripts/fixtures/make_compare_fixtures.py and matrix_free.py), find every
// copy of a repeated eigenvalue, and be deterministic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/index.js';
import { covarianceRoute } from '../../../../src/methods/routes/covariance.js';
import type { SpecOutcome } from '../../../../src/features/job.js';
import type { Matrix, Solver } from '../../../../src/types/index.js';
import { rffFeatures } from '../../../property/helpers/reference.js';
import { randomF32 } from '../../../shared/rng.mjs';
import { checkModes, Counting, fixture, lambdaByFeatures, maxDiff, rowsOf, specJob } from './jobs.js';

await init();

type M32 = Matrix & { data: Float32Array };
const mat = (rows: number, cols: number, seed: number): M32 => ({ data: randomF32(rows * cols, seed), rows, cols });

/** Rows with a planted cluster: every 7th row leans on column (row mod 7) of the first 5. */
function planted(rows: number, cols: number, seed: number): M32 {
  const m = mat(rows, cols, seed);
  for (let i = 0; i < rows; i++) if (i % 7 < 5) m.data[i * cols + (i % 7)] += 3;
  return m;
}

type Opts = Parameters<typeof specJob>[2];

async function both(X: Matrix, Y: Matrix, o: Opts, syrk: Solver = 'syrk'): Promise<{ mf: SpecOutcome; ref: SpecOutcome }> {
  const mf = await covarianceRoute(specJob(X, Y, { ...o, solver: 'matrix-free' }), new Counting(), {});
  const ref = await covarianceRoute(specJob(X, Y, { ...o, solver: syrk }), new Counting(), {});
  return { mf, ref };
}

/** Same modes: sides and ranks, eigenvalues within 1e-6 of ‖Λ‖, top samples identical wherever the reference's scores are apart. */
function sameModes(mf: SpecOutcome, ref: SpecOutcome, tieGap = 1e-6): void {
  const norm = Math.max(...ref.modes.map((m) => Math.abs(m.eigenvalue)));
  assert.deepEqual(
    mf.modes.map((m) => `${m.side}${m.rank}`),
    ref.modes.map((m) => `${m.side}${m.rank}`),
  );
  assert.ok(maxDiff(mf.eigenvalues, ref.eigenvalues) <= 1e-6 * norm, `eigenvalues ${mf.eigenvalues} vs ${ref.eigenvalues}`);
  assert.ok(Math.abs(mf.specDiff.xNotY - ref.specDiff.xNotY) <= 1e-6 * norm);
  assert.ok(Math.abs(mf.specDiff.yNotX - ref.specDiff.yNotX) <= 1e-6 * norm);
  ref.modes.forEach((m, i) => {
    const got = mf.modes[i].top;
    assert.equal(got.length, m.top.length);
    m.top.forEach((t, j) => {
      const sep = Math.min(j > 0 ? m.top[j - 1].score - t.score : Infinity, j + 1 < m.top.length ? t.score - m.top[j + 1].score : Infinity);
      if (sep > tieGap) assert.equal(got[j].index, t.index, `${m.side}${m.rank} top ${j}`);
      assert.ok(Math.abs(got[j].score - t.score) <= 1e-4 * Math.abs(m.top[0].score), `${m.side}${m.rank} top ${j} score`);
    });
  });
}

test('planted cosine data, n > D: matrix-free equals the SYRK route (20 top samples per mode)', async () => {
  const { mf, ref } = await both(planted(700, 12, 1), mat(700, 10, 2), { topK: 6, samplesPerMode: 20 });
  assert.equal(mf.solver, 'matrix-free');
  assert.equal(ref.solver, 'syrk');
  assert.equal(mf.solverReason, 'requested');
  assert.equal(mf.modes.length, 12);
  sameModes(mf, ref);
});

test('rank-deficient linear features (rank 3 and 2 of 8 and 6 columns) equal the SYRK route', async () => {
  const n = 500;
  const basisX = mat(n, 3, 3),
    basisY = mat(n, 2, 4);
  const mix = (b: Matrix, cols: number, seed: number): Matrix => {
    const w = randomF32(b.cols * cols, seed),
      out = new Float32Array(n * cols);
    for (let i = 0; i < n; i++) for (let c = 0; c < cols; c++) for (let r = 0; r < b.cols; r++) out[i * cols + c] += b.data[i * b.cols + r] * w[r * cols + c];
    return { data: out, rows: n, cols };
  };
  const { mf, ref } = await both(mix(basisX, 8, 5), mix(basisY, 6, 6), { kx: 'linear', ky: 'linear', topK: 5, samplesPerMode: 20 });
  // Λ has rank 5: three positive and two negative modes above the noise floor
  assert.deepEqual(
    mf.modes.map((m) => m.side),
    ['x', 'x', 'x', 'y', 'y'],
  );
  sameModes(mf, ref);
});

test('n < D: matrix-free equals the n × n feature Gram and the NumPy fixture n-less-than-d', async () => {
  const f = fixture('compare', 'n-less-than-d'); // n = 8, D = 35
  const X = rowsOf(f.X),
    Y = rowsOf(f.Y);
  const o = { topK: f.topK, samplesPerMode: f.samplesPerMode };
  const { mf, ref } = await both(X, Y, o, 'auto');
  assert.equal(ref.solver, undefined, 'n ≤ D takes the feature Gram');
  sameModes(mf, ref);
  checkModes(mf.modes, f.modes, { value: 1e-6 * f.norm, score: 1e-5 });
  const wide = await both(planted(40, 30, 7), mat(40, 25, 8), { topK: 5, samplesPerMode: 20 }, 'auto');
  sameModes(wide.mf, wide.ref);
});

for (const name of ['cosine', 'linear-eta', 'mixed-eta2', 'duplicate-rows']) {
  test(`NumPy eigh fixture ${name}: modes and SPEC-diff`, async () => {
    const f = fixture('compare', name);
    const out = await covarianceRoute(
      specJob(rowsOf(f.X), rowsOf(f.Y), { kx: f.kernelX, ky: f.kernelY, eta: f.eta, topK: f.topK, samplesPerMode: f.samplesPerMode, solver: 'matrix-free' }),
      new Counting(),
      {},
    );
    const tol = 1e-6 * f.norm;
    assert.ok(Math.abs(out.specDiff.xNotY - f.lambdaMax) <= tol);
    assert.ok(Math.abs(out.specDiff.yNotX + f.lambdaMin) <= tol);
    checkModes(out.modes, f.modes, { value: tol, score: 1e-5 });
  });
}

test('repeated eigenvalues: every copy is found (NumPy fixture matrix-free-repeated) and the SYRK route agrees', async () => {
  const f = fixture('compare', 'matrix-free-repeated');
  const X = rowsOf(f.X),
    Y = rowsOf(f.Y);
  const o = { kx: 'linear' as const, ky: 'linear' as const, eta: f.eta, topK: f.topK, samplesPerMode: 3 };
  const { mf, ref } = await both(X, Y, o);
  const want = (f.eigenvalues as number[]).filter((v) => Math.abs(v) > 1e-9);
  const xs = want.filter((v) => v > 0).slice(0, f.topK),
    ys = want
      .filter((v) => v < 0)
      .reverse()
      .slice(0, f.topK);
  for (const out of [mf, ref]) {
    assert.equal(out.eigenvalues.length, xs.length + ys.length);
    assert.ok(maxDiff(out.eigenvalues, [...xs, ...ys]) <= 1e-6 * f.norm, `${out.eigenvalues} vs ${[...xs, ...ys]}`);
  }
});

test('η = 0 (Y never featurised) and η ≫ 1 (η = 1000) equal the SYRK route', async () => {
  const X = planted(600, 10, 9),
    Y = mat(600, 8, 10);
  const zero = await both(X, Y, { eta: 0, topK: 5, samplesPerMode: 20 });
  assert.ok(zero.mf.modes.every((m) => m.side === 'x'));
  sameModes(zero.mf, zero.ref);
  // the k smallest of Λ are its structural zeros (n > D): not reported as noise, as on the SYRK route
  assert.equal(zero.mf.noiseDropped, zero.ref.noiseDropped);
  const big = await both(X, Y, { eta: 1000, topK: 5, samplesPerMode: 20 });
  sameModes(big.mf, big.ref);
});

test("Gaussian RFF (both sides) and linear: the library's own ω formed here in f64, and the SYRK route", async () => {
  const n = 400,
    k = { type: 'gaussian' as const, sigma: 1.5, rffDim: 16 };
  const X = mat(n, 5, 21),
    Y = mat(n, 5, 22);
  const { mf, ref } = await both(X, Y, { kx: k, ky: k, eta: 1.3, seed: 7, topK: 3, samplesPerMode: 20 });
  sameModes(mf, ref);
  const FX = await rffFeatures(X, 1.5, 16, 7),
    FY = await rffFeatures(Y, 1.5, 16, 7);
  const lam = lambdaByFeatures(FX, 32, FY, 32, n, 1.3);
  const xs = mf.modes.filter((o) => o.side === 'x').map((o) => o.eigenvalue);
  assert.ok(maxDiff(xs, lam.subarray(0, 3)) < 1e-6, `${xs} vs ${lam.subarray(0, 3)}`);
  const lin = await both(planted(500, 9, 23), mat(500, 7, 24), { kx: 'linear', ky: 'linear', topK: 4, samplesPerMode: 20 });
  sameModes(lin.mf, lin.ref);
});

test('deterministic: bit-identical across repeats and for threads 1 and 2 (900 rows are one chunk: both run in process)', async () => {
  const X = planted(900, 14, 31),
    Y = mat(900, 11, 32);
  const run = (threads: number) => covarianceRoute(specJob(X, Y, { topK: 5, samplesPerMode: 20, threads, solver: 'matrix-free' }), new Counting(), {});
  const a = await run(1),
    b = await run(1),
    c = await run(2);
  assert.deepEqual(b, a);
  assert.deepEqual(c, a);
});

test('stages: features of each side, then the solve, then the scores; no accumulate pass', async () => {
  const coop = new Counting();
  await covarianceRoute(specJob(planted(300, 6, 41), mat(300, 5, 42), { topK: 3, solver: 'matrix-free' }), coop, {});
  assert.deepEqual([...new Set(coop.events.map((e) => e.stage))], ['features', 'solve', 'scores']);
  const last = coop.events.at(-1)!;
  assert.deepEqual([last.stage, last.done, last.total], ['scores', 300, 300]);
});

test('compare(): solver is validated, reported with its reason, and a forced matrix-free that cannot fit is refused by name', async () => {
  const { compare, InputError } = await import('../../../../src/index.js');
  const X = planted(300, 6, 51),
    Y = mat(300, 5, 52);
  await assert.rejects(
    compare(X, Y, { solver: 'fast' as Solver }),
    (e: unknown) => e instanceof InputError && /solver must be auto, syrk or matrix-free, got fast/.test(e.message),
  );
  const r = await compare(X, Y, { method: 'covariance', solver: 'matrix-free', topK: 2 });
  assert.equal(r.solver, 'matrix-free');
  assert.equal(r.solverReason, 'requested');
  // auto: small jobs stay on the SYRK route, the reason gives both estimates
  const a = await compare(X, Y, { method: 'covariance', topK: 2, threads: 1 });
  assert.equal(a.solver, 'syrk');
  assert.match(a.solverReason!, /^estimated SYRK .* matrix-free .*/);
  // n · 600,000 features × 4 bytes exceed the 512 MiB feature cache
  const wide = { data: new Float32Array(300 * 3), rows: 300, cols: 3 };
  await assert.rejects(
    compare(wide, wide, { method: 'covariance', solver: 'matrix-free', kernel: { type: 'gaussian', sigma: 1, rffDim: 300000 } }),
    (e: unknown) =>
      e instanceof InputError &&
      /solver 'matrix-free' cannot run this job: the features \(1.34 GiB\) exceed the 512.0 MiB feature cache; use solver 'syrk'/.test(e.message),
  );
});

// The covariance route (src/methods/routes/covariance.ts) in process
// (threads: 1): C = (1/n)ΨᵀΨ accumulated when n > D, the n × n feature Gram
// when n ≤ D, the power-of-two rescaling of far-from-unit linear data, and the
// refusal of a D × D covariance beyond wasm memory, against the NumPy fixtures
// (tests/fixtures/compare) and the spectrum computed here from the features in f64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/index.js';
import { covarianceRoute } from '../../../../src/methods/routes/covariance.js';
import { EXACT_MAX } from '../../../../src/methods/routes/exact.js';
import { MAX_COVARIANCE_DIM } from '../../../../src/sums/sums.js';
import { MAX_BLOCK_BYTES, formatBytes } from '../../../../src/wasm/memory.js';
import { resolveKernel } from '../../../../src/features/kernel.js';
import type { RowSource } from '../../../../src/validate/source.js';
import { rffFeatures } from '../../../property/helpers/reference.js';
import { randomF32 } from '../../../shared/rng.mjs';
import { checkModes, Counting, fixture, lambdaByFeatures, maxDiff, rejectsInput, rowsOf, specJob } from './jobs.js';

await init();

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });

test("n > D (accumulated C): fixture linear-eta's modes and SPEC-diff within the f32 block sums' error", async () => {
  const f = fixture('compare', 'linear-eta'); // n = 90 > D = 12
  const coop = new Counting();
  const out = await covarianceRoute(
    specJob(rowsOf(f.X), rowsOf(f.Y), { kx: 'linear', ky: 'linear', eta: f.eta, topK: f.topK, samplesPerMode: f.samplesPerMode }),
    coop,
    {},
  );
  const tol = 1e-6 * f.norm;
  assert.ok(Math.abs(out.specDiff.xNotY - f.lambdaMax) <= tol);
  assert.ok(Math.abs(out.specDiff.yNotX + f.lambdaMin) <= tol);
  // Λ has rank ≤ D = 12: the fixture's 12 modes beyond 1e-12, all above the floor
  checkModes(out.modes, f.modes, { value: tol, score: 1e-5 });
  assert.deepEqual([...new Set(coop.events.map((e) => e.stage))], ['accumulate', 'solve', 'scores']);
  const last = coop.events.at(-1)!;
  assert.deepEqual([last.stage, last.done, last.total], ['scores', 90, 90]);
});

test('n ≤ D (feature Gram, n × n): fixture n-less-than-d to f32 feature precision', async () => {
  const f = fixture('compare', 'n-less-than-d'); // n = 8, D = 35
  const coop = new Counting();
  const out = await covarianceRoute(specJob(rowsOf(f.X), rowsOf(f.Y), { topK: f.topK, samplesPerMode: f.samplesPerMode }), coop, {});
  checkModes(out.modes, f.modes, { value: 1e-6 * f.norm, score: 1e-5 });
  // the exact route's stages: features of each side, their Grams, Lanczos, scores
  assert.deepEqual([...new Set(coop.events.map((e) => e.stage))], ['features', 'gram', 'solve', 'scores']);
});

test("Gaussian RFF, n > D: the extreme eigenvalues of J·C from the library's own ω, formed here in f64", async () => {
  const n = 300,
    d = 5,
    m = 16,
    sigma = 1.5,
    seed = 7,
    eta = 1.3;
  const X = mat(n, d, 21),
    Y = mat(n, d, 22),
    k = { type: 'gaussian' as const, sigma, rffDim: m };
  const out = await covarianceRoute(specJob(X, Y, { kx: k, ky: k, eta, seed, topK: 3, samplesPerMode: 2 }), new Counting(), {});
  const FX = await rffFeatures(X, sigma, m, seed),
    FY = await rffFeatures(Y, sigma, m, seed);
  const ref = lambdaByFeatures(FX, 2 * m, FY, 2 * m, n, eta);
  const xs = out.modes.filter((o) => o.side === 'x').map((o) => o.eigenvalue),
    ys = out.modes.filter((o) => o.side === 'y').map((o) => o.eigenvalue);
  assert.ok(maxDiff(xs, ref.subarray(0, 3)) < 1e-6, `${xs} vs ${ref.subarray(0, 3)}`);
  assert.ok(maxDiff(ys, Array.from(ref.subarray(ref.length - 3)).reverse()) < 1e-6);
});

test('linear data at 2⁶⁰ are read rescaled and the eigenvalues scaled back: 2¹²⁰ times those at unit scale', async () => {
  const n = 200,
    X = mat(n, 4, 31),
    Y = mat(n, 3, 32),
    c = 2 ** 60;
  const big = (m: typeof X) => ({ ...m, data: m.data.map((v) => v * c) });
  const o = { kx: 'linear' as const, ky: 'linear' as const, topK: 2, samplesPerMode: 3 };
  const unit = await covarianceRoute(specJob(X, Y, o), new Counting(), {});
  const scaled = await covarianceRoute(specJob(big(X), big(Y), o), new Counting(), {});
  // without the rescaling Ψ's f32 products (2¹²⁰) overflow f32
  assert.deepEqual(
    Array.from(scaled.eigenvalues),
    Array.from(unit.eigenvalues, (v) => v * c * c),
  );
  assert.deepEqual(scaled.specDiff, { xNotY: unit.specDiff.xNotY * c * c, yNotX: unit.specDiff.yNotX * c * c, norm: unit.specDiff.norm * c * c });
  assert.deepEqual(
    scaled.modes.map((m) => m.top),
    unit.modes.map((m) => m.top),
  );
});

test('a D × D covariance beyond one wasm allocation is refused before any row is read, with the exact route as hint when n allows', async () => {
  // ω (20000 × 20000 f32) does not fit either, so n ≤ D cannot take the feature Gram
  const unread = (rows: number, cols: number, name: string): RowSource => ({ rows, cols, name, read: () => assert.fail(`${name} was read`) });
  const m = 20000,
    D = 2 * m + 3;
  const job = (n: number) => ({
    ...specJob(mat(1, 3, 1), mat(1, 3, 2)),
    n,
    sx: unread(n, 20000, 'x.npy'),
    sy: unread(n, 3, 'y.npy'),
    kx: resolveKernel({ type: 'gaussian', sigma: 1, rffDim: m }, 'X'),
    ky: resolveKernel('linear', 'Y'),
  });
  const base = `rffDim of kernelX = ${m} gives D = ${D} features: the D × D f64 covariance would need ${formatBytes(D * D * 8)}, more than one WebAssembly allocation holds (${formatBytes(MAX_BLOCK_BYTES)}, D ≤ ${MAX_COVARIANCE_DIM})`;
  await rejectsInput(
    covarianceRoute(job(500), new Counting(), {}),
    `${base}; n = 500 is small enough for method 'exact' (--method exact: two 500 × 500 kernel matrices)`,
  );
  await rejectsInput(covarianceRoute(job(EXACT_MAX + 1), new Counting(), {}), base);
});

test('η = 0 and n > D: only side-x modes, those of CX alone', async () => {
  const f = fixture('compare', 'linear-eta');
  const X = rowsOf(f.X);
  const out = await covarianceRoute(specJob(X, rowsOf(f.Y), { kx: 'linear', ky: 'linear', eta: 0, topK: 10, samplesPerMode: 1 }), new Counting(), {});
  const ref = lambdaByFeatures(Float64Array.from(X.data), X.cols, new Float64Array(0), 0, X.rows, 0);
  assert.ok(out.modes.every((m) => m.side === 'x'));
  assert.equal(out.modes.length, X.cols);
  assert.ok(maxDiff(out.eigenvalues, ref) < 1e-6 * ref[0]);
  // n > D: 0 is in Λ's spectrum, so yNotX is 0, not −λmin(CX)
  assert.equal(out.specDiff.yNotX, 0);
});

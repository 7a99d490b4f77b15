// The random-feature error estimate (src/methods/rff-error.ts): the sample's SPEC-diff
// with the exact kernel and with the run's own features against NumPy
// (tests/fixtures/rff-error, scripts/fixtures/rff_error.py), the estimate compare()
// and finc() report, its absence where no random features are used, its fall with m,
// the note above 5% and the m it suggests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from '../../../src/index.js';
import { compare } from '../../../src/methods/compare.js';
import { finc } from '../../../src/methods/finc.js';
import {
  RFF_SAMPLE,
  RFF_ERROR_LIMIT,
  fincSampleSizes,
  fincSampleSteps,
  relativeError,
  specSampleSteps,
  suggestedRffDim,
} from '../../../src/methods/rff-error.js';
import { sampleRows, matrixSource } from '../../../src/validate/source.js';
import { sampleIndices } from '../../../src/wasm/rng.js';
import { drain } from '../../../src/runtime/cooperative.js';
import type { Kernel } from '../../../src/features/kernel.js';
import type { KernelOption, Matrix, SpecDiff } from '../../../src/types/index.js';

await init();

const fx = JSON.parse(readFileSync(new URL('../../fixtures/rff-error/cases.json', import.meta.url), 'utf8'));
const decode = (b64: string, shape: number[]): Matrix => {
  const b = Buffer.from(b64, 'base64');
  return { data: new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)), rows: shape[0], cols: shape[1] };
};
const kernelOf = (k: { type: 'gaussian' | 'cosine' | 'linear'; sigma?: number; rffDim?: number }): Kernel =>
  k.type === 'gaussian' ? { type: 'gaussian', sigma: k.sigma!, rffDim: k.rffDim! } : { type: k.type, sigma: 0, rffDim: 0 };
const TOL = 1e-6;

function close(got: Record<string, number>, want: Record<string, number>, what: string) {
  for (const k of ['xNotY', 'yNotX', 'norm']) assert.ok(Math.abs(got[k] - want[k]) <= TOL, `${what} ${k}: ${got[k]} against NumPy's ${want[k]}`);
}

test("the fixture was drawn with RFF_SAMPLE rows and the library's seeded indices", () => {
  assert.equal(fx.sample, RFF_SAMPLE);
  for (const c of fx.cases) {
    if (c.task === 'compare') assert.deepEqual(Array.from(sampleIndices(c.shapeX[0], RFF_SAMPLE, c.seed)), c.indices, c.name);
    else {
      const { sx, sy } = fincSampleSizes(c.shapeX[0], c.shapeY[0]);
      assert.deepEqual(Array.from(sampleIndices(c.shapeX[0], sx, c.seed)), c.indicesX, c.name);
      assert.deepEqual(Array.from(sampleIndices(c.shapeY[0], sy, c.seed)), c.indicesY, c.name);
    }
  }
});

for (const c of fx.cases) {
  test(`sample spectra and estimate match NumPy to 1e-6: ${c.name}`, async () => {
    const X = decode(c.X, c.shapeX),
      Y = decode(c.Y, c.shapeY);
    if (c.task === 'compare') {
      const x = sampleRows([matrixSource(X, 'X')], c.seed, RFF_SAMPLE),
        y = sampleRows([matrixSource(Y, 'Y')], c.seed, RFF_SAMPLE);
      const got = drain(specSampleSteps(x, y, kernelOf(c.kernelX), kernelOf(c.kernelY), c.eta, c.seed));
      close(got.exact as unknown as Record<string, number>, c.exact, 'exact');
      close(got.rff as unknown as Record<string, number>, c.rff, 'rff');
      const r = await compare(X, Y, {
        kernelX: c.kernelX as KernelOption,
        kernelY: c.kernelY as KernelOption,
        eta: c.eta,
        seed: c.seed,
        method: 'covariance',
        threads: 1,
      });
      close(r.rffError as unknown as Record<string, number>, c.estimate, 'compare().rffError');
      assert.equal(r.rffError!.sample, c.estimate.sample);
    } else {
      const { sx, sy } = fincSampleSizes(X.rows, Y.rows);
      const x = sampleRows([matrixSource(X, 'X')], c.seed, sx),
        y = sampleRows([matrixSource(Y, 'Y')], c.seed, sy);
      const got = drain(fincSampleSteps(x, y, kernelOf(c.kernel), c.eta, c.seed));
      close(got.exact as unknown as Record<string, number>, c.exact, 'exact');
      close(got.rff as unknown as Record<string, number>, c.rff, 'rff');
      const r = await finc(X, Y, { kernel: c.kernel as KernelOption, eta: c.eta, seed: c.seed, method: 'covariance', threads: 1 });
      close(r.rffError as unknown as Record<string, number>, c.estimate, 'finc().rffError');
      assert.equal(r.rffError!.sample, c.estimate.sample);
    }
  });
}

/** Rows around k centres, deterministic. */
function clustered(n: number, d: number, k: number, seed: number): Matrix {
  const data = new Float32Array(n * d);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      data[i * d + j] = s / 2 ** 32 - 0.5 + (i % k === j % k ? 1.5 : 0);
    }
  }
  return { data, rows: n, cols: d };
}

const X = clustered(1500, 12, 5, 1),
  Y = clustered(1500, 10, 3, 2);

test('a planted error falls with m: m = 50 is over 5% with a note naming --rff-dim, m = 2000 is under it with none', async () => {
  const at = (m: number) => compare(X, Y, { kernel: { type: 'gaussian', rffDim: m }, method: 'covariance', threads: 1, seed: 4 });
  const small = await at(50),
    large = await at(2000);
  assert.ok(small.rffError!.norm > RFF_ERROR_LIMIT, `m = 50: ${small.rffError!.norm}`);
  assert.ok(large.rffError!.norm < RFF_ERROR_LIMIT, `m = 2000: ${large.rffError!.norm}`);
  assert.ok(large.rffError!.norm < small.rffError!.norm / 2);
  const note = small.notes?.find((s) => s.includes('random Fourier features move SPEC-diff'));
  assert.ok(note, `notes: ${JSON.stringify(small.notes)}`);
  assert.match(note!, new RegExp(`--rff-dim ${suggestedRffDim(small.rffError!.norm, 50)} `));
  assert.match(note!, /--method exact \(n = 1500 ≤ 11000\)/);
  assert.ok(!(large.notes ?? []).some((s) => s.includes('random Fourier')), JSON.stringify(large.notes));
  assert.equal(small.rffError!.sample, RFF_SAMPLE);
  assert.ok(small.timings.rffError! >= 0);
});

test('finc: the same fall with m and the note; absent under the cosine kernel and on the exact route', async () => {
  const A = clustered(900, 10, 5, 3),
    B = clustered(700, 10, 3, 4);
  const at = (m: number) => finc(A, B, { kernel: { type: 'gaussian', rffDim: m }, method: 'covariance', threads: 1, seed: 4 });
  const small = await at(50),
    large = await at(2000);
  assert.ok(small.rffError!.norm > RFF_ERROR_LIMIT && large.rffError!.norm < RFF_ERROR_LIMIT, `${small.rffError!.norm} ${large.rffError!.norm}`);
  assert.ok(
    small.notes!.some((s) => s.includes('--rff-dim') && s.includes('--method exact (nx + ny = 1600 ≤ 4000)')),
    JSON.stringify(small.notes),
  );
  assert.equal(small.rffError!.sample, 500);
  assert.equal((await finc(A, B, { method: 'covariance', threads: 1 })).rffError, undefined);
  assert.equal((await finc(A, B, { kernel: { type: 'gaussian', sigma: 1.4 }, method: 'exact' })).rffError, undefined);
});

test('compare: absent without a Gaussian side or on the exact route; present with one Gaussian side', async () => {
  const lin = await compare(X, Y, { kernel: 'cosine', method: 'covariance', threads: 1 });
  assert.equal(lin.rffError, undefined);
  assert.equal(lin.timings.rffError, undefined);
  const ex = await compare(clustered(400, 12, 5, 1), clustered(400, 10, 3, 2), { kernel: { type: 'gaussian', sigma: 1.5 }, method: 'exact' });
  assert.equal(ex.rffError, undefined);
  const one = await compare(X, Y, { kernelX: { type: 'gaussian', sigma: 1.5, rffDim: 300 }, kernelY: 'cosine', method: 'covariance', threads: 1 });
  assert.ok(one.rffError && one.rffError.norm >= 0);
});

test('identical sides share ω: the sample error of compare(X, X) is 0', async () => {
  const r = await compare(X, X, { kernel: { type: 'gaussian', sigma: 1.5, rffDim: 100 }, method: 'covariance', threads: 1 });
  assert.deepEqual(r.rffError, { xNotY: 0, yNotX: 0, norm: 0, sample: RFF_SAMPLE });
});

test("relativeError divides by the exact norm (the features' norm when it is 0; 0 when both are)", () => {
  const d = (x: number, y: number): SpecDiff => ({ xNotY: x, yNotX: y, norm: Math.max(x, y) });
  assert.deepEqual(relativeError(d(0.5, 0.25), d(0.625, 0.25), 7), { xNotY: 0.25, yNotX: 0, norm: 0.25, sample: 7 });
  assert.deepEqual(relativeError(d(0, 0), d(0.5, 0), 3), { xNotY: 1, yNotX: 0, norm: 1, sample: 3 });
  assert.deepEqual(relativeError(d(0, 0), d(0, 0), 3), { xNotY: 0, yNotX: 0, norm: 0, sample: 3 });
});

test('suggestedRffDim follows 1/√m with a margin: 10% at m = 1000 asks for 6300; the suggestion is estimated under 5%', () => {
  assert.equal(suggestedRffDim(0.1, 1000), 6300);
  for (const [e, m] of [
    [0.06, 1000],
    [0.3, 50],
    [0.051, 2000],
  ]) {
    const want = suggestedRffDim(e, m);
    assert.ok(e * Math.sqrt(m / want) < RFF_ERROR_LIMIT, `${e} at ${m} → ${want}`);
  }
});

test("finc sample sizes: half each, a small set's share going to the other", () => {
  assert.deepEqual(fincSampleSizes(10000, 10000), { sx: 250, sy: 250 });
  assert.deepEqual(fincSampleSizes(10000, 40), { sx: 460, sy: 40 });
  assert.deepEqual(fincSampleSizes(30, 10000), { sx: 30, sy: 470 });
  assert.deepEqual(fincSampleSizes(100, 120), { sx: 100, sy: 120 });
});

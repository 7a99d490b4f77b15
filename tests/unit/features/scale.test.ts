// Power-of-two scaling of linear sides: exact (no rounding), only outside [2⁻²⁰, 2²⁰],
// chosen from the seeded sample of both sides, and undone on eigenvalues by 1/c².
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { linearScale, maxAbs, powerOfTwoScale, scaledSource, unscale } from '../../../src/features/scale.js';
import { matrixSource } from '../../../src/validate/source.js';
import type { SpecJob, SpecOutcome } from '../../../src/features/job.js';
import type { Kernel } from '../../../src/features/kernel.js';

await init();

test('maxAbs: the largest |x| of a block, never below the running value', () => {
  assert.equal(maxAbs([1, -7, 3], 0), 7);
  assert.equal(maxAbs(new Float32Array([1, -7, 3]), 9), 9);
  assert.equal(maxAbs([], 2), 2);
  assert.equal(maxAbs([-0, 0], 0), 0);
});

test('powerOfTwoScale: 1 inside [2⁻²⁰, 2²⁰], else 2^−round(log2 big)', () => {
  for (const big of [0, -1, NaN, 2 ** -20, 1e-6 * 1.05, 1, 1e6, 2 ** 20]) assert.equal(powerOfTwoScale(big), 1, `big ${big}`);
  for (const big of [2 ** -20 * 0.99, 2 ** 20 * 1.01, 1e-25, 1e25, 3e-300, 1.7e308]) {
    const c = powerOfTwoScale(big);
    assert.equal(c, 2 ** -Math.round(Math.log2(big)), `big ${big}`);
    // a power of two: the significand of every scaled value is unchanged
    assert.equal(Math.log2(c), Math.round(Math.log2(c)));
    assert.ok(big * c >= Math.SQRT1_2 && big * c <= Math.SQRT2, `big ${big}: ${big * c}`);
  }
});

const lin: Kernel = { type: 'linear', sigma: 0, rffDim: 0 };
const cos: Kernel = { type: 'cosine', sigma: 0, rffDim: 0 };
const job = (x: number[], y: number[], kx: Kernel, ky: Kernel) =>
  ({
    sx: matrixSource({ data: Float64Array.from(x), rows: x.length, cols: 1 }, 'X'),
    sy: matrixSource({ data: Float64Array.from(y), rows: y.length, cols: 1 }, 'Y'),
    kx,
    ky,
    seed: 0,
  }) as unknown as SpecJob;

test('linearScale: one scale for both linear sides, from the larger side; 1 unless both are linear', () => {
  assert.equal(linearScale(job([1e-25, -3e-25], [2e-26, 1e-26], lin, lin)), 2 ** -Math.round(Math.log2(3e-25)));
  assert.equal(linearScale(job([1e-25, 1e-25], [5e24, 1], lin, lin)), 2 ** -Math.round(Math.log2(5e24)));
  assert.equal(linearScale(job([1, 2], [3, 4], lin, lin)), 1);
  assert.equal(linearScale(job([1e-25, 1e-25], [1e-25, 1e-25], lin, cos)), 1);
  assert.equal(linearScale(job([1e-25, 1e-25], [1e-25, 1e-25], cos, lin)), 1);
  // over SAMPLE_ROWS rows the maximum comes from the seeded sample, which finds a constant side's value
  const many = Array.from({ length: 3000 }, (_, i) => (i % 2 ? 1e-30 : -1e-30));
  assert.equal(linearScale(job(many, many, lin, lin)), 2 ** -Math.round(Math.log2(1e-30)));
});

test('scaledSource reads every row times c as f32, leaving the source itself alone', () => {
  const m = { data: Float64Array.from([1e-30, -3e-30, 5e-31, 7e-30]), rows: 2, cols: 2 };
  const s = matrixSource(m, 'X');
  const c = 2 ** 100;
  const t = scaledSource(s, c);
  assert.deepEqual([t.rows, t.cols, t.name], [2, 2, 'X']);
  const got = t.read(1, 1);
  assert.ok(got instanceof Float32Array);
  assert.deepEqual(Array.from(got), [Math.fround(5e-31 * c), Math.fround(7e-30 * c)]);
  assert.deepEqual(Array.from(s.read(0, 2)), Array.from(m.data));
});

test('unscale multiplies eigenvalues, mode eigenvalues and SPEC-diff by f', () => {
  const res = {
    eigenvalues: Float64Array.from([8, -4]),
    modes: [
      { rank: 1, side: 'x', eigenvalue: 8, top: [] },
      { rank: 1, side: 'y', eigenvalue: -4, top: [] },
    ],
    specDiff: { xNotY: 8, yNotX: 4, norm: 8 },
    noiseDropped: 0,
  } as unknown as SpecOutcome;
  unscale(res, 0.25);
  assert.deepEqual(Array.from(res.eigenvalues), [2, -1]);
  assert.deepEqual(
    res.modes.map((m) => m.eigenvalue),
    [2, -1],
  );
  assert.deepEqual(res.specDiff, { xNotY: 2, yNotX: 1, norm: 2 });
});

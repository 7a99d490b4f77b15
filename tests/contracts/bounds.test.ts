// Bounds and notes of compare/finc (issue 20 §4): the output budget refused up
// front, clamped options and an unused rffDim reported as notes, SPEC-diff
// floored at the noise floor, and size refusals that suggest the exact route.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, finc, InputError } from '../../src/index.js';
import { MAX_TOP_ENTRIES, OutputBudgetError } from '../../src/score/modes.js';
import { checkCovarianceSize } from '../../src/sums/spec-sums.js';
import { mulberry32 } from '../shared/rng.mjs';

function rows(n: number, d: number, seed: number): { data: Float32Array; rows: number; cols: number } {
  const r = mulberry32(seed),
    data = new Float32Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = r() * 2 - 1;
  return { data, rows: n, cols: d };
}

test('topK × samplesPerMode beyond the output budget is refused before any work, naming both and what fits', async () => {
  const X = rows(3000, 8, 1),
    Y = rows(3000, 8, 2);
  let progressed = 0;
  await assert.rejects(
    compare(X, Y, {
      kernel: 'linear',
      topK: 1e6,
      samplesPerMode: 1e6,
      onProgress: () => {
        progressed++;
      },
    }),
    (e: any) =>
      e instanceof OutputBudgetError &&
      e instanceof InputError &&
      /^topK = 1000000 and samplesPerMode = 1000000 ask for up to 3000 modes per side with up to 3000 top samples each \(18000000 entries\), more than the output budget of 1000000 top entries/.test(
        e.message,
      ) &&
      /samplesPerMode ≤ 166 fits with topK = 3000, or topK ≤ 166 with samplesPerMode = 1000000/.test(e.message),
  );
  assert.equal(progressed, 0, 'refused before any stage reported progress');
  // The covariance route has D = 16 eigenvalues: 16 × 6000 entries fit.
  const r = await compare(X, Y, { kernel: 'linear', method: 'covariance', topK: 1e6, samplesPerMode: 1e6 });
  assert.ok(r.modes.length <= 32 && r.modes.every((m) => m.top.length === 3000));
  assert.ok(16 * 6000 <= MAX_TOP_ENTRIES);
  // finc: pooled exact kernel of 1200 rows is refused, its 8 × 8 covariance is not.
  const A = rows(600, 8, 3),
    B = rows(600, 8, 4);
  await assert.rejects(
    finc(A, B, { kernel: 'linear', method: 'exact', topK: 1e6, samplesPerMode: 1e6 }),
    (e: any) => e instanceof OutputBudgetError && /up to 1200 modes per side with up to 600 top samples/.test(e.message),
  );
  const f = await finc(A, B, { kernel: 'linear', topK: 1e6, samplesPerMode: 1e6 });
  assert.ok(f.modes.length > 0);
});

test('clamped topK and samplesPerMode, and rffDim on the exact route, are reported as notes', async () => {
  const X = rows(50, 6, 5),
    Y = rows(50, 4, 6);
  const r = await compare(X, Y, { topK: 1e6, samplesPerMode: 1000 });
  assert.deepEqual(r.notes, [
    'topK = 1000000 is more than the 50 eigenvalues of the 50 × 50 Λ: using 50',
    'samplesPerMode = 1000 is more than the 50 samples: listing all of them per mode',
  ]);
  const plain = await compare(X, Y, { topK: 3 });
  assert.equal(plain.notes, undefined, 'no notes when every option is honoured');
  const g = await compare(X, Y, { kernelX: { type: 'gaussian', sigma: 1, rffDim: 500 }, kernelY: 'cosine', method: 'exact' });
  assert.deepEqual(g.notes, ['rffDim = 500 of kernelX is not used: the exact route evaluates the kernel itself, with no random features']);
  const c = await compare(X, Y, { kernel: 'linear', method: 'covariance', topK: 1e6 });
  assert.deepEqual(c.notes, ['topK = 1000000 is more than the 10 eigenvalues of the 10 × 10 covariance (D = 10 features): using 10']);
  const f = await finc(rows(30, 4, 7), rows(20, 4, 8), { kernel: { type: 'gaussian', sigma: 1, rffDim: 64 }, method: 'exact', samplesPerMode: 40 });
  assert.deepEqual(f.notes, [
    'samplesPerMode = 40 is more than the 30 samples of X and 20 of Y: listing all of them per mode',
    'rffDim = 64 is not used: the exact route evaluates the kernel itself, with no random features',
  ]);
});

test('SPEC-diff within the noise floor is 0: two all-zero sets under the Gaussian (was yNotX 1.7e-16)', async () => {
  const Z = { data: new Float32Array(50 * 4), rows: 50, cols: 4 };
  for (const method of ['exact', 'covariance'] as const) {
    const f = await finc(Z, Z, { kernel: { type: 'gaussian', sigma: 1 }, method });
    assert.deepEqual({ ...f.specDiff }, { xNotY: 0, yNotX: 0, norm: 0 }, method);
    assert.equal(f.modes.length, 0);
  }
  const r = await compare(Z, Z, { kernel: { type: 'gaussian', sigma: 1 } });
  assert.deepEqual({ ...r.specDiff }, { xNotY: 0, yNotX: 0, norm: 0 });
  assert.ok(!Object.is(r.specDiff.yNotX, -0));
});

test('a D × D refusal suggests the exact route when the samples are few (finc d = 100000, nx + ny = 100; compare)', async () => {
  const X = rows(50, 100000, 9),
    Y = rows(50, 100000, 10);
  await assert.rejects(
    finc(X, Y, { kernel: 'linear' }),
    (e: any) =>
      e instanceof InputError &&
      /^d = 100000 under the linear kernel gives D = 100000 features: .*74\.51 GiB.*; nx \+ ny = 100 is small enough for method 'exact' \(--method exact: the pooled 100 × 100 kernel matrix\)$/.test(
        e.message,
      ),
  );
  const r = await finc(X, Y, { kernel: 'linear', method: 'exact', topK: 2 });
  assert.equal(r.method, 'exact');
  const lin = { type: 'linear', sigma: 0, rffDim: 0 } as const;
  assert.throws(
    () => checkCovarianceSize(lin, 100000, lin, 10, { n: 5000, max: 11000 }),
    /; n = 5000 is small enough for method 'exact' \(--method exact: two 5000 × 5000 kernel matrices\)$/,
  );
  assert.throws(
    () => checkCovarianceSize(lin, 100000, lin, 10, { n: 50000, max: 11000 }),
    (e: any) => !/method 'exact'/.test(e.message),
  );
});

// align's option and setting checks (validate/align-options.ts): defaults, each
// refusal worded as compare's and finc's are, and the order align() applies them
// in — option names, then the input matrices, then the settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { align, init, InputError } from '../../../src/index.js';
import {
  alignObjective,
  alignSettings,
  checkAlignOptions,
  checkAlignSize,
  holdoutSplit,
  alignMapBytes,
  ALIGN_MAP_BUDGET,
  MAX_BATCH,
  MAX_BETA,
} from '../../../src/validate/align-options.js';
import { ALIGN_OBJECTIVES } from '../../../src/validate/option-names.js';

await init();

const inputError = (re: RegExp) => (e: unknown) => e instanceof InputError && re.test(e.message);

test('defaults: dim = dy, 100 epochs, lr 0.03, β 1e-4, holdout 0.2, patience 10, seed 0, topK 10, 20 samples per mode, objective x-not-y', () => {
  assert.deepEqual(alignSettings({}, 5, 7), {
    dim: 7,
    bias: false,
    epochs: 100,
    lr: 0.03,
    beta: 1e-4,
    batch: undefined,
    holdout: 0.2,
    patience: 10,
    seed: 0,
    topK: 10,
    samplesPerMode: 20,
    objective: 'x-not-y',
  });
  assert.equal(alignSettings({ objective: 'norm' }, 5, 7).objective, 'norm');
  assert.equal(alignSettings({ objective: 'x-not-y' }, 5, 7).objective, 'x-not-y');
  assert.deepEqual(ALIGN_OBJECTIVES, ['x-not-y', 'norm']);
});

test('objective: anything but x-not-y or norm is an InputError naming both and what they mean', () => {
  const both = "objective must be one of x-not-y, norm (x-not-y: λmax(KX − K_ψ(Y)), the paper's, the default; norm: the spectral norm max(λmax, −λmin))";
  const refuse = (v: unknown, got: string) =>
    assert.throws(
      () => alignObjective(v),
      (e: unknown) => e instanceof InputError && e.message === `${both}, got ${got}`,
      String(v),
    );
  refuse('spectral', '"spectral"');
  refuse('', '""');
  refuse(null, 'null');
  refuse(2, '2');
  refuse(['norm'], '["norm"]');
  assert.throws(
    () => alignObjective('Norm'),
    (e: unknown) => e instanceof InputError && e.message === `${both}, got "Norm"; did you mean norm?`,
  );
  assert.throws(
    () => alignObjective('x_not_y'),
    (e: unknown) => e instanceof InputError && e.message.endsWith('got "x_not_y"; did you mean x-not-y?'),
  );
  assert.throws(() => alignSettings({ objective: 'max' } as any, 5, 7), inputError(/^objective must be one of x-not-y, norm .*got "max"$/));
  // The settings are checked in one order: objective last, after samplesPerMode.
  assert.throws(() => alignSettings({ objective: 'max', samplesPerMode: 0 } as any, 5, 7), inputError(/^samplesPerMode must be/));
});

test('each setting is refused with a message naming it', () => {
  const cases: [object, RegExp][] = [
    [{ dim: 9 }, /^dim must be ≤ max\(dx, dy\) = 7/],
    [{ dim: 0 }, /^dim must be an integer ≥ 1, got 0/],
    [{ epochs: 1.5 }, /^epochs must be an integer ≥ 1/],
    [{ lr: 0 }, /^lr must be a finite number > 0, got 0/],
    [{ lr: '0.1' }, /^lr must be a finite number > 0, got 0.1/],
    [{ beta: -1 }, /^beta must be a finite number ≥ 0/],
    [{ beta: MAX_BETA * 10 }, /^beta must be ≤ 1000000000000000/],
    [{ holdout: 1 }, /^holdout must be a fraction in \(0, 1\), got 1/],
    [{ batch: 1 }, /^batch must be an integer ≥ 2, got 1/],
    [{ batch: MAX_BATCH + 1 }, /^batch must be ≤ 8000/],
    [{ bias: 1 }, /^bias must be true or false, got 1/],
    [{ patience: 0 }, /^patience must be an integer ≥ 1/],
    [{ seed: -1 }, /^seed must be an integer in \[0, 2\^32\)/],
    [{ topK: 0 }, /^topK must be an integer ≥ 1/],
  ];
  for (const [o, re] of cases) assert.throws(() => alignSettings(o as any, 5, 7), inputError(re), JSON.stringify(o));
});

test('unknown option names, the held-out split and the map budget', () => {
  assert.throws(() => checkAlignOptions({ topk: 3 } as any), inputError(/^unknown option topk; did you mean topK\?$/));
  assert.throws(() => checkAlignOptions(3 as any), inputError(/^options must be an object$/));
  checkAlignOptions(undefined);
  assert.deepEqual(holdoutSplit(0.2, 10), { nTrain: 8, nHoldout: 2 });
  assert.throws(() => holdoutSplit(0.1, 10), inputError(/^holdout 0.1 of n = 10 samples leaves 9 for training and 1 held out; both need ≥ 2$/));
  assert.equal(alignMapBytes(3, 4, 4, false), 64 * 16);
  assert.ok(alignMapBytes(3, 4, 2, true) > 64 * 10, 'a narrower map also holds the initial map’s covariances');
  checkAlignSize(10, 10, 10, true);
  assert.ok(ALIGN_MAP_BUDGET < 2 ** 30);
  assert.throws(() => checkAlignSize(50, 8000, 8000, false), inputError(/^dim = 8000 with dy = 8000: /));
});

test('align() checks option names, then the matrices, then the settings', async () => {
  const bad = [[1, 2], [3]]; // ragged
  const ok = Array.from({ length: 12 }, (_, i) => [i + 1, 1]);
  await assert.rejects(align(bad, ok, { epoch: 1 } as any), inputError(/^unknown option epoch/));
  await assert.rejects(align(bad, ok, { lr: -1 }), inputError(/row 2 \(1-based\) has 1 columns, expected 2/));
  await assert.rejects(align(ok, ok.slice(1), { lr: -1 }), inputError(/^row counts differ/));
  await assert.rejects(align(ok, ok, { lr: -1, dim: 3 }), inputError(/^dim must be ≤/));
  await assert.rejects(align(ok, ok, { holdout: 0.1 }), inputError(/^holdout 0.1 of n = 12 samples leaves 11/));
  // objective: an unknown name before the matrices, a bad value with the settings
  await assert.rejects(align(bad, ok, { objectve: 'norm' } as any), inputError(/^unknown option objectve; did you mean objective\?$/));
  await assert.rejects(align(bad, ok, { objective: 'max' } as any), inputError(/row 2 \(1-based\) has 1 columns, expected 2/));
  await assert.rejects(align(ok, ok, { objective: 'max' } as any), inputError(/^objective must be one of x-not-y, norm /));
});

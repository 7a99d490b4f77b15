// The form's request as the library's options: per-side kernels for compare, one kernel
// for finc, X's kernel (no random features) and the training options for align, and
// each input's reader options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignOptions, compareOptions, fincOptions, kernelOption, parseOptions, sigmaIsAuto } from '../../../src/app/options.js';
import type { RunRequest } from '../../../src/app/protocol.js';

const f = { name: 'a.npy', bytes: new ArrayBuffer(0) };
const base: RunRequest = { task: 'compare', x: f, y: f, kernelX: { type: 'cosine' } };

test('kernelOption and sigmaIsAuto', () => {
  assert.equal(kernelOption({ type: 'linear', sigma: 3 }), 'linear');
  assert.deepEqual(kernelOption({ type: 'gaussian' }), { type: 'gaussian', sigma: 'auto' });
  assert.deepEqual(kernelOption({ type: 'gaussian', sigma: 2, rffDim: 64 }), { type: 'gaussian', sigma: 2, rffDim: 64 });
  assert.deepEqual(kernelOption({ type: 'gaussian', sigma: 2, rffDim: 64 }, false), { type: 'gaussian', sigma: 2 });
  assert.deepEqual(
    [
      sigmaIsAuto({ type: 'gaussian' }),
      sigmaIsAuto({ type: 'gaussian', sigma: 'auto' }),
      sigmaIsAuto({ type: 'gaussian', sigma: 1 }),
      sigmaIsAuto({ type: 'cosine' }),
      sigmaIsAuto(undefined),
    ],
    [true, true, false, false, false],
  );
});

test('compare: each side its own kernel (Y falls back to X); finc: one kernel; unset values stay unset', () => {
  const req: RunRequest = {
    ...base,
    kernelX: { type: 'gaussian', sigma: 2.5, rffDim: 64 },
    kernelY: { type: 'linear' },
    eta: 0.5,
    topK: 3,
    seed: 7,
    method: 'exact',
  };
  assert.deepEqual(compareOptions(req), {
    kernelX: { type: 'gaussian', sigma: 2.5, rffDim: 64 },
    kernelY: 'linear',
    eta: 0.5,
    topK: 3,
    seed: 7,
    method: 'exact',
  });
  assert.deepEqual(compareOptions(base), { kernelX: 'cosine', kernelY: 'cosine' });
  assert.deepEqual(fincOptions({ ...req, task: 'finc' }), {
    kernel: { type: 'gaussian', sigma: 2.5, rffDim: 64 },
    eta: 0.5,
    topK: 3,
    seed: 7,
    method: 'exact',
  });
});

test("align: X's kernel without random features, and the training options given", () => {
  const req: RunRequest = {
    ...base,
    task: 'align',
    kernelX: { type: 'gaussian', sigma: 'auto', rffDim: 64 },
    objective: 'norm',
    epochs: 3,
    lr: 0.1,
    beta: 0,
    batch: 50,
    holdout: 0.3,
    patience: 2,
    dim: 5,
    bias: true,
    topK: 4,
    samplesPerMode: 6,
    seed: 1,
    eta: 2,
    method: 'exact',
  };
  assert.deepEqual(alignOptions(req), {
    kernel: { type: 'gaussian', sigma: 'auto' },
    objective: 'norm',
    epochs: 3,
    lr: 0.1,
    beta: 0,
    batch: 50,
    holdout: 0.3,
    patience: 2,
    dim: 5,
    topK: 4,
    samplesPerMode: 6,
    seed: 1,
    bias: true,
  });
  assert.deepEqual(alignOptions({ ...base, task: 'align' }), { kernel: 'cosine' });
});

test('parseOptions: each side its own .npz array; the CSV options for both', () => {
  const req: RunRequest = { ...base, keyX: 'a', keyY: 'b', header: false, indexColumn: 'drop' };
  assert.deepEqual(parseOptions(req, 'x'), { key: 'a', header: false, indexColumn: 'drop' });
  assert.deepEqual(parseOptions(req, 'y'), { key: 'b', header: false, indexColumn: 'drop' });
  assert.deepEqual(parseOptions(base, 'y'), {});
});

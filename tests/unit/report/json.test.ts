// The compare --json object (docs/design.md §3): exactly its keys, in order, with
// the result's values carried over unchanged; labels, notes and inputs only when given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputJson, kernelJson, toCliJson } from '../../../src/report/json.js';
import { specResult } from '../cli/results.js';

const KEYS = ['n', 'method', 'eta', 'kernelX', 'kernelY', 'specDiff', 'modes', 'noiseDropped', 'timings'];

test('toCliJson: the §3 keys in order and the exact values', () => {
  const r = specResult();
  const j = toCliJson(r);
  assert.deepEqual(Object.keys(j), KEYS);
  assert.deepEqual(JSON.parse(JSON.stringify(j)), {
    n: 6,
    method: 'exact',
    eta: 1,
    kernelX: { type: 'cosine' },
    kernelY: { type: 'gaussian', sigma: 0.5, rffDim: 100 },
    specDiff: { xNotY: 0.75, yNotX: 0.25, norm: 0.75 },
    modes: [
      { rank: 1, side: 'x', eigenvalue: 0.75, top: [{ index: 2, score: 0.5 }, { index: 0, score: 0.25 }, { index: 5, score: 0.125 }] },
      { rank: 1, side: 'y', eigenvalue: -0.25, top: [{ index: 4, score: 0.625 }] },
    ],
    noiseDropped: 0,
    timings: { read: 0.001, solve: 0.5, total: 1.25 },
  });
  for (const m of j.modes) assert.deepEqual(Object.keys(m), ['rank', 'side', 'eigenvalue', 'top']);
  // methodReason, eigenvalues and threads are the library's, not the CLI object's
  assert.ok(!('methodReason' in j) && !('eigenvalues' in j) && !('threads' in j));
  // copies, not views of the result
  j.timings.total = 0;
  j.specDiff.norm = 0;
  assert.equal(r.timings.total, 1.25);
  assert.equal(r.specDiff.norm, 0.75);
});

test('toCliJson: labels name each top sample; notes before timings; inputs last', () => {
  const labels = ['a', 'b', 'c', 'd', 'e', 'f'];
  const inputs = { X: { header: 'a,b', indexColumn: 'dropped' as const }, Y: { header: null, indexColumn: null } };
  const j = toCliJson(specResult({ notes: ['topK = 9 is more than 6'] }), labels, inputs);
  assert.deepEqual(Object.keys(j), ['n', 'method', 'eta', 'kernelX', 'kernelY', 'specDiff', 'modes', 'noiseDropped', 'notes', 'timings', 'inputs']);
  assert.deepEqual(j.modes[0].top, [{ index: 2, score: 0.5, label: 'c' }, { index: 0, score: 0.25, label: 'a' }, { index: 5, score: 0.125, label: 'f' }]);
  assert.deepEqual(j.modes[1].top, [{ index: 4, score: 0.625, label: 'e' }]);
  assert.deepEqual(j.notes, ['topK = 9 is more than 6']);
  assert.deepEqual(j.inputs, inputs);
});

test('kernelJson: type, then σ and m only where the kernel has them', () => {
  assert.deepEqual(kernelJson({ type: 'linear' }), { type: 'linear' });
  assert.deepEqual(Object.keys(kernelJson({ rffDim: 3, sigma: 2, type: 'gaussian' })), ['type', 'sigma', 'rffDim']);
  assert.deepEqual(kernelJson({ type: 'gaussian', sigma: 2 }), { type: 'gaussian', sigma: 2 });
});

test('inputJson: header and index column, null when a file has neither (or is not a table)', () => {
  assert.deepEqual(inputJson(undefined), { header: null, indexColumn: null });
  assert.deepEqual(inputJson({ header: null, indexColumn: null }), { header: null, indexColumn: null });
  assert.deepEqual(inputJson({ header: ',a,b', indexColumn: 'kept' }), { header: ',a,b', indexColumn: 'kept' });
});

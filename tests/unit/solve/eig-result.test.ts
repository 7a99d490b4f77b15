// What the eigensolvers share (eig-result.ts): which Ritz values each list
// reports, with and without the sign split, and the padding of short lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble, lists, NO_PAIRS, wantedIndices } from '../../../src/solve/eig-result.js';

const theta = Float64Array.of(-3, -1, 0.5, 2, 4); // ascending

test('lists: top descending and bottom ascending, k capped at the dimension', () => {
  assert.deepEqual(lists(theta, 2, false), { top: [4, 3], bot: [0, 1] });
  assert.deepEqual(lists(theta, 9, false), { top: [4, 3, 2, 1, 0], bot: [0, 1, 2, 3, 4] });
});

test('lists with signSplit: positives on top, negatives below, zero-sign slots left out', () => {
  assert.deepEqual(lists(theta, 3, true), { top: [4, 3, 2], bot: [0, 1] });
  assert.deepEqual(lists(Float64Array.of(1, 2), 2, true), { top: [1, 0], bot: [] });
  assert.deepEqual(wantedIndices(theta, 3, false).sort(), [0, 1, 2, 3, 4]);
  assert.deepEqual(wantedIndices(theta, 1, true), [4, 0]);
});

test('assemble pads each list to k slots with value 0, a zero vector of the width and residual 0', () => {
  const top = { values: [4], vectors: [Float64Array.of(1, 0, 0)], residuals: [1e-12] };
  const r = assemble(2, 3, top, NO_PAIRS, { matvecs: 7, converged: true, restarts: 1 });
  assert.deepEqual([...r.values], [4, 0, 0, 0]);
  assert.deepEqual([...r.residuals], [1e-12, 0, 0, 0]);
  assert.equal(r.vectors.length, 4);
  assert.deepEqual(
    r.vectors.slice(1).map((v) => [...v]),
    [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ],
  );
  assert.deepEqual([r.matvecs, r.converged, r.restarts], [7, true, 1]);
});

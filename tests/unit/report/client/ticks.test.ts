// Round axis ticks: steps of 1, 2 or 5 × 10^k, the axis widened to whole steps, labels
// with the decimals the step needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { niceScale, tickLabel } from '../../../../src/report/client/ticks.js';

test('niceScale: round steps covering the range', () => {
  assert.deepEqual(niceScale(0, 1, 5), { lo: 0, hi: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
  // an unround range (the old box plot put ticks at 0.0131, 0.4566, 0.9001)
  assert.deepEqual(niceScale(0.0131, 0.9001, 5), { lo: 0, hi: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
  assert.deepEqual(niceScale(-0.03, 0.17, 4).ticks, [-0.05, 0, 0.05, 0.1, 0.15, 0.2]);
  assert.deepEqual(niceScale(0, 37, 6).ticks, [0, 10, 20, 30, 40]);
  assert.deepEqual(niceScale(0, 3, 6).ticks, [0, 0.5, 1, 1.5, 2, 2.5, 3]);
  assert.deepEqual(niceScale(2e-6, 9e-6, 4).ticks, [2e-6, 4e-6, 6e-6, 8e-6, 1e-5]);
  const flat = niceScale(5, 5);
  assert.ok(flat.lo < 5 && flat.hi > 5, 'a zero-width range is widened');
  assert.deepEqual(niceScale(1, 0, 5).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1], 'ends in either order');
  assert.deepEqual(niceScale(NaN, 1).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
});

test('tickLabel: decimals from the step, a minus sign, exponents for tiny steps', () => {
  assert.equal(tickLabel(0.4, 0.2), '0.4');
  assert.equal(tickLabel(0.15, 0.05), '0.15');
  assert.equal(tickLabel(20, 10), '20');
  assert.equal(tickLabel(-0.05, 0.05), '−0.05');
  assert.equal(tickLabel(0, 0.05), '0');
  assert.equal(tickLabel(4e-8, 2e-8), '4e-8');
  assert.equal(tickLabel(1.5e-8, 5e-9), '1.5e-8');
});

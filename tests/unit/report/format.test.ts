// The one formatter of the CLI text and the HTML report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber, formatSeconds, labelHistogram, percent, shares } from '../../../src/report/format.js';

test('formatNumber: 4 decimals from 1e-3 up to 1e5, exponent form outside, 0 and non-finite as words', () => {
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(0.5), '0.5000');
  assert.equal(formatNumber(-0.001), '-0.0010');
  assert.equal(formatNumber(99999.5), '99999.5000');
  assert.equal(formatNumber(100000), '1.00e+5');
  assert.equal(formatNumber(0.000999), '9.99e-4');
  assert.equal(formatNumber(NaN), 'NaN');
  assert.equal(formatNumber(-Infinity), '-Infinity');
});

test('formatSeconds: milliseconds below 10 ms, else seconds', () => {
  assert.equal(formatSeconds(0.00123), '1.2 ms');
  assert.equal(formatSeconds(0.01), '0.01 s');
  assert.equal(formatSeconds(12.345), '12.35 s');
});

test('percent: one decimal below 10 %, whole percents above, or the digits asked for', () => {
  assert.equal(percent(0.05), '5.0%');
  assert.equal(percent(0.25), '25%');
  assert.equal(percent(1, 3, 1), '33.3%');
  assert.equal(percent(17, 20, 0), '85%');
});

test('shares are |v| / Σ|v|, all 0 for an all-zero list', () => {
  assert.deepEqual(shares([3, -1]), [0.75, 0.25]);
  assert.deepEqual(shares([0, 0]), [0, 0]);
  assert.deepEqual(shares([]), []);
});

test('labelHistogram: most frequent first, ties in code-unit order', () => {
  assert.deepEqual(labelHistogram(['b', 'a', 'c', 'a', 'b', 'a']), [
    ['a', 3],
    ['b', 2],
    ['c', 1],
  ]);
  assert.deepEqual(labelHistogram(['z', 'Z', 'y']), [
    ['Z', 1],
    ['y', 1],
    ['z', 1],
  ]);
  assert.deepEqual(labelHistogram([]), []);
});

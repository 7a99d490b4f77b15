// The two float32 rules every reader applies (tests/unit/io/range.test.ts runs them
// through the readers); here the rules themselves, against float32's own limits as
// Math.fround sees them and the row threshold 2⁻²⁴ × the row's largest |value|.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  F32_MAX,
  F32_MIN_NORMAL,
  float32RangeMessage,
  float32UnderflowMessage,
  rowUnderflow,
  rowUnderflows,
  underflowReason,
} from '../../../src/io/f32-range.js';

test("F32_MAX and F32_MIN_NORMAL are float32's largest finite and smallest normal values", () => {
  assert.equal(Math.fround(F32_MAX), F32_MAX);
  // one float32 ulp above F32_MAX (2^104) rounds to Infinity; the midpoint is where it starts
  assert.equal(Math.fround(F32_MAX + 2 ** 102), F32_MAX);
  assert.equal(Math.fround(F32_MAX + 2 ** 103), Infinity);
  assert.equal(F32_MAX, (2 - 2 ** -23) * 2 ** 127);
  assert.equal(F32_MIN_NORMAL, 1.1754943508222875e-38);
  assert.equal(Math.fround(F32_MIN_NORMAL), F32_MIN_NORMAL);
  // below it float32 has fewer than 24 significant bits: x + one ulp of a normal is lost
  const sub = F32_MIN_NORMAL / 3;
  assert.notEqual(Math.fround(sub), sub);
});

test('messages give 1-based positions and a power of ten that brings the row near 1', () => {
  assert.equal(float32RangeMessage(1e39, 0, 4), 'value 1e+39 at row 1, column 5 (1-based) is out of float32 range (|x| > 3.4028235e38); rescale the data');
  assert.equal(underflowReason(3e-50), 'underflows float32 (0 < |x| < 1.1754944e-38); rescale the data (for example multiply by 1e50)');
  // round(-log10(rowMax)): 4e-45 → 44.4 → 1e44
  assert.match(underflowReason(4e-45), /multiply by 1e44\)$/);
  assert.equal(float32UnderflowMessage(-2e-40, 9, 0, 5e-33), `value -2e-40 at row 10, column 1 (1-based) ${underflowReason(5e-33)}`);
  assert.match(float32UnderflowMessage(-2e-40, 9, 0, 5e-33), /multiply by 1e32\)$/);
});

/** The rule from its definition: some 0 < |v| < 2⁻¹²⁶ with |v| > 2⁻²⁴ · max |row|. */
function reference(row: number[]): { col: number; value: number } | null {
  const max = Math.max(...row.map(Math.abs));
  const col = row.findIndex((v) => v !== 0 && Math.abs(v) < 2 ** -126 && Math.abs(v) > max / 2 ** 24);
  return col < 0 ? null : { col, value: row[col] };
}

test('rowUnderflows / rowUnderflow: the threshold 2⁻²⁴ × the row maximum, the first value that matters', () => {
  const rows: number[][] = [
    [0, 0, 0],
    [1, 2, 3],
    [1, 1e-45], // 1e-45 < 2⁻²⁴: harmless
    [1e-32, 1e-39], // 1e-39 > 2⁻²⁴ · 1e-32: matters
    [1e-50, 2e-50],
    [1, 2, 3, 1e-60, 1e-40, 1e-39], // every tiny one is harmless beside 3
    [1e-31, 1e-60, 1e-39, 1e-40], // 1e-60 harmless, 1e-39 is the first that matters
    [-1e-39, 1e-39 * 2 ** -24 * 1.01], // negative values count by |v|; the second is just above the row's threshold
    [F32_MIN_NORMAL, F32_MIN_NORMAL / 2], // the smallest normal is not tiny; half of it is
    [2 ** -100, 2 ** -124, 2 ** -127], // threshold 2⁻¹²⁴: 2⁻¹²⁴ is normal, 2⁻¹²⁷ below it, harmless
    [2 ** -120, 2 ** -127], // threshold 2⁻¹⁴⁴: 2⁻¹²⁷ matters
  ];
  for (const row of rows) {
    const want = reference(row);
    let max = 0,
      tiny = 0;
    for (const v of row) {
      const a = Math.abs(v);
      max = Math.max(max, a);
      if (a < F32_MIN_NORMAL) tiny = Math.max(tiny, a);
    }
    assert.equal(rowUnderflows(max, tiny), want !== null, `rowUnderflows [${row}]`);
    const got = rowUnderflow((j) => row[j], row.length);
    assert.deepEqual(got && { col: got.col, value: got.value }, want, `rowUnderflow [${row}]`);
    if (got) assert.equal(got.rowMax, max);
  }
  // exactly at the threshold it does not matter; one step above it does
  const max = 1e-30,
    at = max * 2 ** -24;
  assert.equal(rowUnderflows(max, at), false);
  assert.equal(rowUnderflows(max, at * (1 + 2 ** -52)), true);
  assert.equal(rowUnderflows(max, 0), false);
  assert.equal(
    rowUnderflow(() => 0, 0),
    null,
  );
});

// Line 1 and a row-index column (csv-header.ts): the header rule on its own cells,
// and pandas' index column refused unless the caller says drop or keep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../src/errors.js';
import { dropFirstColumn, headerRule, indexColumnChoice } from '../../../src/io/csv-header.js';

const isInput = (re: RegExp) => (e: unknown) => e instanceof InputError && re.test(e.message);

test('a header: names in every cell, pandas’ index header, or pandas’ default column names', () => {
  assert.equal(headerRule(['a', 'b', 'c'], 'f.csv'), true);
  assert.equal(headerRule(['', 'a', 'b'], 'f.csv'), true);
  assert.equal(headerRule(['0', '1', '2'], 'f.csv'), true);
  assert.equal(headerRule(['', '0', '1'], 'f.csv'), true);
});

test('data: numbers only (NaN and out-of-range count as numbers)', () => {
  assert.equal(headerRule(['1.5', '-2', '3e4'], 'f.csv'), false);
  assert.equal(headerRule(['1', '2', '3'], 'f.csv'), false);
  assert.equal(headerRule(['nan', '1e400'], 'f.csv'), false);
});

test('undecidable or mixed line 1 is refused naming the cell and how to say which', () => {
  assert.throws(() => headerRule(['0', '1'], 'f.csv'), isInput(/line 1 is "0,1": pandas' column names or a sample\? say which/));
  assert.throws(() => headerRule(['1', 'x', '3'], 'f.csv'), isInput(/^f\.csv: line 1, column 2: "x" is not a number; line 1 is not a header either/));
  assert.throws(() => headerRule(['a', 'NA', 'c'], 'f.csv'), isInput(/line 1, column 2: "NA" \(a missing value\) in what looks like a header/));
  assert.throws(() => headerRule(['a', '', 'c'], 'f.csv'), isInput(/line 1, column 2: empty cell in what looks like a header/));
});

test('an index column: whole numbers refused without a choice, dropped or kept when told, other columns left alone', () => {
  const counts = Float32Array.of(0, 5, 1, 6, 2, 7); // 3 × 2, column 1 = 0, 1, 2
  assert.throws(() => indexColumnChoice(counts, 3, 2, 'f.csv', undefined), isInput(/holds 0, 1, …, 2: a row index/));
  assert.throws(() => indexColumnChoice(Float32Array.of(3, 1, 9, 1), 2, 2, 'f.csv', undefined), isInput(/holds only whole numbers, like a row index/));
  assert.equal(indexColumnChoice(Float32Array.of(0.5, 1, 2, 1), 2, 2, 'f.csv', undefined), null);
  assert.equal(indexColumnChoice(counts, 3, 2, 'f.csv', 'drop'), 'dropped');
  assert.equal(indexColumnChoice(counts, 3, 2, 'f.csv', 'keep'), 'kept');
  assert.deepEqual([...dropFirstColumn(counts, 3, 2)], [5, 6, 7]);
});

// Cells (text-cells.ts): what parses as a value and what is refused, the length
// limit, and the fast record path agreeing with the general parser or declining.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastRecord, isNumericCell, MAX_CELL_CHARS, parseCell, stripBom, Values } from '../../../src/io/text-cells.js';

test('parseCell: decimal numbers with spaces; words, NaN/Inf, float32 overflow and long cells refused', () => {
  assert.equal(parseCell(' -1.5e3 '), -1500);
  assert.equal(parseCell('.5'), 0.5);
  assert.deepEqual(parseCell(''), { msg: 'empty cell (missing value)', numeric: false });
  assert.deepEqual(parseCell('abc'), { msg: '"abc" is not a number', numeric: false });
  assert.deepEqual(parseCell('-inf'), { msg: '-inf is not allowed (values must be finite)', numeric: true });
  assert.deepEqual(parseCell('1e39'), { msg: '"1e39" is out of float32 range (|x| > 3.4028235e38)', numeric: true });
  assert.deepEqual(parseCell('1-2'), { msg: '"1-2" is not a number', numeric: false });
  assert.match((parseCell('1'.repeat(MAX_CELL_CHARS + 1)) as { msg: string }).msg, /^cell has 1025 characters/);
  assert.equal(isNumericCell('NaN'), true);
  assert.equal(isNumericCell('x1'), false);
  assert.equal(stripBom('\ufeff1,2'), '1,2');
});

test('fastRecord reads plain records as Number() does and declines anything else', () => {
  const text = '1.25,-3e-2,7\n0.1,2,3\r\n1, 2,3\n"1",2,3\n1,2\n',
    v = new Values();
  let p = fastRecord(text, 0, 44, 3, v);
  assert.equal(p, text.indexOf('\n') + 1);
  p = fastRecord(text, p, 44, 3, v);
  assert.equal(p, text.indexOf('1, 2'));
  assert.deepEqual([...v.finish()], [1.25, -0.03, 7, 0.1, 2, 3].map(Math.fround));
  for (const line of ['1, 2,3\n', '"1",2,3\n', '1,2\n', '1,2,3,4\n', '1,x,3\n', '1,,3\n']) {
    const w = new Values();
    assert.equal(fastRecord(line, 0, 44, 3, w), -1, JSON.stringify(line));
    assert.equal(w.length, 0, 'nothing pushed');
  }
});

test('Values grows past its first block', () => {
  const v = new Values();
  for (let i = 0; i < 3000; i++) v.push(i);
  const d = v.finish();
  assert.equal(d.length, 3000);
  assert.equal(d[2999], 2999);
});

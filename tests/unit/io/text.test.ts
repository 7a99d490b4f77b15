import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseDelimited, parseJsonMatrix, parseJsonl, parseMatrix, type DelimitedOptions } from '../../../src/io/index.js';
import { expected, fixture, assertMatrix, assertInputError, type Expected } from './helpers.js';
import { mulberry32 } from '../../shared/rng.mjs';

const td = new TextDecoder();
test('CSV/TSV/JSON/JSONL fixtures (with and without header, quoted, CRLF) match NumPy', () => {
  for (const name of ['plain.csv', 'header.csv', 'quoted.csv', 'exp.csv', 'plain.tsv', 'matrix.json', 'rows.jsonl']) {
    assertMatrix(parseMatrix(fixture(name), name), expected[name], name);
  }
  // the delimiter is detected when not given
  assertMatrix(parseDelimited(td.decode(fixture('plain.tsv')), 'plain.tsv'), expected['plain.tsv'], 'auto tsv');
});

test('delimited: header detection, quotes, BOM, blank trailing lines, single column', () => {
  let m = parseDelimited('\uFEFFa,b\n1,2\n3,4\n\n\n', 'x.csv');
  assert.deepEqual([m.rows, m.cols, ...m.data], [2, 2, 1, 2, 3, 4]);
  m = parseDelimited('"1","2"\r\n"3",4', 'x.csv');
  assert.deepEqual([m.rows, m.cols, ...m.data], [2, 2, 1, 2, 3, 4]);
  m = parseDelimited('"a ""quoted"", name",b\n1,2\n', 'x.csv');
  assert.deepEqual([m.rows, m.cols, ...m.data], [1, 2, 1, 2]);
  m = parseDelimited('"multi\nline header",b\n1,2\n', 'x.csv');
  assert.deepEqual([m.rows, m.cols], [1, 2]);
  m = parseDelimited('v\n1\n2\n3\n', 'x.csv');
  assert.deepEqual([m.rows, m.cols, ...m.data], [3, 1, 1, 2, 3]);
});

test('delimited: bad input names the line and column as the user sees the file', () => {
  assertInputError(() => parseDelimited('a,b\n1,2\n3\n', 'r.csv'), 'r.csv', /line 3 has 1 column, expected 2 \(as in line 1\)/);
  assertInputError(() => parseDelimited('1,2\n3,4,5\n', 'r.csv'), 'r.csv', /line 2 has 3 columns, expected 2/);
  assertInputError(() => parseDelimited('a,b\n1,2\n3,abc\n', 'n.csv'), 'n.csv', /line 3, column 2: "abc" is not a number/);
  assertInputError(() => parseDelimited('1,2\n3,0x10\n', 'n.csv'), 'n.csv', /line 2, column 2: "0x10" is not a number/);
  assertInputError(() => parseDelimited('1,2\n3,\n', 'n.csv'), 'n.csv', /line 2, column 2: empty cell/);
  assertInputError(() => parseDelimited('x,y\n1,2\n3,NaN\n', 'nan.csv'), 'nan.csv', /line 3, column 2: NaN is not allowed/);
  assertInputError(() => parseDelimited('NaN,2\n', 'nan.csv'), 'nan.csv', /line 1, column 1: NaN is not allowed/);
  assertInputError(() => parseDelimited('1,-inf\n', 'inf.csv'), 'inf.csv', /line 1, column 2: -inf is not allowed/);
  assertInputError(() => parseDelimited('1,1e39\n', 'big.csv'), 'big.csv', /line 1, column 2: "1e39" is out of float32 range/);
  assertInputError(() => parseDelimited('1,2\n\n3,4\n', 'b.csv'), 'b.csv', /line 2: blank line between rows/);
  assertInputError(() => parseDelimited('"1,2\n', 'q.csv'), 'q.csv', /unterminated quoted cell/);
  assertInputError(() => parseDelimited('', 'e.csv'), 'e.csv', /empty file/);
  assertInputError(() => parseDelimited('a,b\n', 'h.csv'), 'h.csv', /header but no data rows/);
  assertInputError(() => parseDelimited('a\tb\n1\t2\n1\tz\n', 't.tsv', '\t'), 't.tsv', /line 3, column 2: "z"/);
});

test('parseMatrix dispatches by extension and rejects unknown ones', () => {
  assertInputError(
    () => parseMatrix(fixture('labels.txt'), 'labels.txt'),
    'labels.txt',
    /unsupported file type '.txt'/,
    /\.npy, \.npz, \.csv, \.tsv, \.json, \.jsonl/,
  );
  assertInputError(() => parseMatrix(new Uint8Array(0), 'noext'), 'noext', /no extension/);
  assertInputError(() => parseMatrix(fixture('plain.csv'), 'plain.csv', { key: 'a' }), 'plain.csv', /only to .npz/);
  assertInputError(() => parseMatrix(new Uint8Array([0xff, 0xfe, 0x31]), 'bin.csv'), 'bin.csv', /not valid UTF-8/);
  assertInputError(() => parseMatrix(new Uint8Array(0), 'empty.csv'), 'empty.csv', /empty file/);
  assertInputError(() => parseMatrix(new Uint8Array(0), 'empty.json'), 'empty.json', /empty file/);
  assertMatrix(parseMatrix(fixture('f4_le_c.npy'), 'DIR/F4_LE_C.NPY'), expected['f4_le_c.npy'], 'upper-case extension');
});

test("the fast CSV number path gives exactly Number()'s value for many spellings", () => {
  const rnd = mulberry32(12345);
  const cells: string[] = [];
  for (let k = 0; k < 20000; k++) {
    const mag = 10 ** Math.floor(rnd() * 40 - 20);
    const v = (rnd() - 0.5) * mag;
    const forms = [String(v), v.toFixed(Math.floor(rnd() * 20)), v.toPrecision(1 + Math.floor(rnd() * 20)), v.toExponential(Math.floor(rnd() * 15))];
    let s = forms[k % 4];
    if (k % 7 === 0) s = s.replace(/^(-?)0\./, '$1.'); // ".5"
    if (k % 11 === 0) s = '00' + s.replace('-', '');
    if (k % 13 === 0 && !s.startsWith('-')) s = '+' + s;
    cells.push(s);
  }
  const cols = 4;
  const text = Array.from({ length: cells.length / cols }, (_, r) => cells.slice(r * cols, r * cols + cols).join(',')).join('\n');
  const m = parseDelimited(text, 'p.csv');
  for (let k = 0; k < cells.length; k++) {
    const want = Math.fround(Number(cells[k]));
    if (!Object.is(m.data[k], want)) assert.fail(`${cells[k]}: ${m.data[k]} vs ${want}`);
  }
});

test('a 50 MB cell is refused where it starts and echoed as at most ~60 characters', () => {
  const huge = '1'.repeat(50 * 2 ** 20);
  for (const [text, re] of [
    [`${huge},2\n3,4\n`, /line 1, column 1: cell has 52428800 characters/], // a number too long (would be Infinity)
    [`1,2\n3,${huge}\n`, /line 2, column 2: cell has 52428800 characters/],
    [`1,2\n3,"${huge}"\n`, /line 2: a quoted cell runs past 1024 characters/],
    [`a,b\n1,x${huge}\n`, /line 2, column 2: cell has 52428801 characters/],
  ] as const) {
    const e = assertInputError(() => parseDelimited(text, 'huge.csv'), 'huge.csv', re);
    assert.ok(e.message.length < 250, `message has ${e.message.length} characters: ${e.message.slice(0, 300)}`);
    assert.match(e.message, /"1{60}…"|"x1{59}…"/);
  }
  for (const text of [`[[${huge}]]`, `[[1, -${huge}]]`]) {
    const e = assertInputError(() => parseJsonMatrix(text, 'huge.json'), 'huge.json', /number has \d+ characters/);
    assert.ok(e.message.length < 250, `message has ${e.message.length} characters`);
  }
  const e = assertInputError(() => parseJsonl(`[1e${huge}]\n`, 'huge.jsonl'), 'huge.jsonl', /line 1, column 1: number has/);
  assert.ok(e.message.length < 250);
});

test('echoed input has control characters escaped and long values cut', () => {
  const e = assertInputError(() => parseDelimited('1,2\n3,\u001b[2Jx\r\n', 'esc.csv'), 'esc.csv', /line 2, column 2/);
  assert.ok(!/[\u0000-\u001f]/.test(e.message), `no raw control characters: ${JSON.stringify(e.message)}`);
  assert.match(e.message, /\\x1b\[2Jx/);
  const long = assertInputError(() => parseDelimited(`1,2\n3,${'z'.repeat(500)}\n`, 'z.csv'), 'z.csv', /"z{60}…" is not a number/);
  assert.ok(long.message.length < 120);
});

test('out-of-range text values say "out of float32 range"', () => {
  assertInputError(() => parseDelimited('1,2\n3,-1e300\n', 'o.csv'), 'o.csv', /line 2, column 2: "-1e300" is out of float32 range/);
  assertInputError(() => parseJsonl('[1]\n[3.5e38]\n', 'o.jsonl'), 'o.jsonl', /line 2, column 1: "3.5e38" is out of float32 range/);
});

// ---------------------------------------------------------------------------------------
// Line 1: header or data (tests/fixtures/readers, scripts/fixtures/make_reader_fixtures.py)

const READERS = new URL('../../fixtures/readers/', import.meta.url);
const readerFixture = (name: string) => new Uint8Array(readFileSync(new URL(name, READERS)));
const readerExpected: Record<string, Expected> = JSON.parse(readFileSync(new URL('expected.json', READERS), 'utf8'));
const rowsOf = (t: string, o: DelimitedOptions = {}) => {
  const m = parseDelimited(t, 'x.csv', o);
  return [m.rows, m.cols, ...m.data];
};
test("pandas' to_csv files read as NumPy's array: column names 0..d−1 are a header, the index column is refused or dropped", () => {
  // df.to_csv(index=False): line 1 "0,1,2,3" was read as a sample before
  let m = parseMatrix(readerFixture('pandas_noindex.csv'), 'pandas_noindex.csv');
  assertMatrix(m, readerExpected['pandas_noindex.csv'], 'pandas_noindex.csv');
  assert.deepEqual(m.table, { header: '0,1,2,3', indexColumn: null });
  // df.to_csv(): the row index under an empty header cell was read as a feature
  for (const f of ['pandas_index.csv', 'pandas_named_index.csv', 'pandas_index.tsv']) {
    assertInputError(() => parseMatrix(readerFixture(f), f), f, /column 1 has an empty header cell/, /indexColumn: 'drop' or 'keep'; --index-col drop\|keep/);
    m = parseMatrix(readerFixture(f), f, { indexColumn: 'drop' });
    assertMatrix(m, readerExpected[f], `${f} drop`);
    assert.equal(m.table?.indexColumn, 'dropped');
  }
  assertInputError(() => parseMatrix(readerFixture('pandas_index.csv'), 'pandas_index.csv'), 'pandas_index.csv', /holds 0, 1, …, 59: a row index/);
  m = parseMatrix(readerFixture('pandas_index.csv'), 'pandas_index.csv', { indexColumn: 'keep' });
  assertMatrix(m, readerExpected['pandas_index.csv:keep'], 'keep');
  assert.deepEqual(m.table, { header: ',0,1,2,3', indexColumn: 'kept' });
  // forced: --no-header reads line 1 as the sample it is not
  m = parseMatrix(readerFixture('pandas_noindex.csv'), 'pandas_noindex.csv', { header: false });
  assert.deepEqual([m.rows, m.cols, m.table?.header, ...m.data.subarray(0, 4)], [61, 4, null, 0, 1, 2, 3]);
  // other formats ignore the text options
  assertMatrix(parseMatrix(fixture('f8_le_c.npy'), 'f8_le_c.npy', { header: true, indexColumn: 'drop' }), expected['f8_le_c.npy'], 'npy');
});

test('a first row with an empty or n/a cell is an error naming the cell, not a silently dropped header', () => {
  // 60 rows; before, line 1 was taken for a header and 59 rows read
  assertInputError(
    () => parseMatrix(readerFixture('na_line1.csv'), 'na_line1.csv'),
    'na_line1.csv',
    /^na_line1\.csv: line 1, column 3: "n\/a" is not a number; line 1 is not a header either/,
  );
  assertInputError(
    () => parseMatrix(readerFixture('empty_line1.csv'), 'empty_line1.csv'),
    'empty_line1.csv',
    /line 1, column 2: empty cell \(missing value\); line 1 is not a header/,
    /if line 1 is a header, say so \(header: true; --header on the command line\)/,
  );
  assertInputError(
    () => parseMatrix(readerFixture('empty_line1.csv'), 'empty_line1.csv', { header: false }),
    'empty_line1.csv',
    /line 1, column 2: empty cell/,
  );
  // the same cell further down, as before
  assertInputError(() => parseDelimited('1,2\n3,4\n5,6\n7,n/a\n', 'x.csv'), 'x.csv', /line 4, column 2: "n\/a" is not a number/);
  // the user may say line 1 is a header after all
  assert.equal(parseMatrix(readerFixture('na_line1.csv'), 'na_line1.csv', { header: true }).rows, 59);
  const m = parseMatrix(readerFixture('plain60.csv'), 'plain60.csv');
  assertMatrix(m, readerExpected['plain60.csv'], 'plain60.csv');
  assert.deepEqual(m.table, { header: null, indexColumn: null });
});

test('the header rule: names in every cell, or pandas column names; numbers only is data; anything else is refused', () => {
  assert.deepEqual(rowsOf('a,b\r\n1,2\r\n'), [1, 2, 1, 2]);
  assert.equal(parseDelimited('"x 1",b\r\n1,2\r\n', 'x.csv').table.header, '"x 1",b');
  assert.deepEqual(rowsOf('0,1,2\n5,6,7\n'), [1, 3, 5, 6, 7]);
  assert.deepEqual(rowsOf(' 0 , 1 , 2 \n5,6,7\n'), [1, 3, 5, 6, 7]);
  assert.deepEqual(rowsOf('1,2,3\n5,6,7\n'), [2, 3, 1, 2, 3, 5, 6, 7]); // not from 0
  assert.deepEqual(rowsOf('0,1,3\n5,6,7\n'), [2, 3, 0, 1, 3, 5, 6, 7]); // not consecutive
  assert.deepEqual(rowsOf('0.0,1,2\n5,6,7\n'), [2, 3, 0, 1, 2, 5, 6, 7]); // pandas writes "0", not "0.0"
  // "0" and "0,1" are as likely a sample (one-hot, binary) as column names: the user says which
  for (const t of ['0,1\n1,0\n', '0\n1\n']) {
    assertInputError(() => parseDelimited(t, 'b.csv'), 'b.csv', /line 1 is "0(,1)?": pandas' column names or a sample\? say which/);
  }
  assert.deepEqual(rowsOf('0,1\n1,0\n', { header: false }), [2, 2, 0, 1, 1, 0]);
  assert.deepEqual(rowsOf('0,1\n1,0\n', { header: true }), [1, 2, 1, 0]);
  assert.deepEqual(rowsOf('1,2\n3,4\n', { header: true }), [1, 2, 3, 4]);
  // the pandas index header forms (an empty first cell: line 1 cannot be data)
  assertInputError(() => parseDelimited(',a,b\n0,1,2\n1,3,4\n', 'i.csv'), 'i.csv', /column 1 has an empty header cell and holds 0, 1, …, 1/);
  assert.deepEqual(rowsOf(',a,b\n0,1,2\n1,3,4\n', { indexColumn: 'drop' }), [2, 2, 1, 2, 3, 4]);
  assert.deepEqual(rowsOf(',0\n0,7\n1,8\n', { indexColumn: 'drop' }), [2, 1, 7, 8]);
  assertInputError(() => parseDelimited(',a\n3,1\n7,2\n', 'i.csv'), 'i.csv', /holds only whole numbers, like a row index/);
  // an unnamed column of other values is data
  const m = parseDelimited(',x\n0.5,1\n1.5,2\n', 'x.csv');
  assert.deepEqual([m.rows, m.cols, ...m.data, m.table.indexColumn], [2, 2, 0.5, 1, 1.5, 2, null]);
  // --index-col without an empty header cell changes nothing
  assert.deepEqual(rowsOf('a,b\n0,1\n1,2\n', { indexColumn: 'drop' }), [2, 2, 0, 1, 1, 2]);
  // refused: a header with a missing name, or numbers beside text or missing values
  assertInputError(
    () => parseDelimited('a,,c\n1,2,3\n', 'h.csv'),
    'h.csv',
    /line 1, column 2: empty cell in what looks like a header, which needs a name in every column; if it is one, say so/,
  );
  assertInputError(() => parseDelimited('NA,N/A\n1,2\n', 'h.csv'), 'h.csv', /line 1, column 1: "NA" \(a missing value\) in what looks like a header/);
  assertInputError(
    () => parseDelimited('x,1\n1,2\n', 'h.csv'),
    'h.csv',
    /line 1, column 1: "x" is not a number; line 1 is not a header either \(a header has no numeric cell\)/,
  );
  assertInputError(() => parseDelimited('1,-,3\n1,2,3\n', 'h.csv'), 'h.csv', /line 1, column 2: "-" is not a number/);
  assertInputError(() => parseDelimited('1\tNaN\tb\n', 'h.tsv'), 'h.tsv', /line 1, column 3: "b" is not a number/);
  // NaN spellings are numbers, so a row of them is data and reported
  assertInputError(() => parseDelimited('nan,inf\n1,2\n', 'h.csv'), 'h.csv', /line 1, column 1: nan is not allowed/);
  assert.equal(parseDelimited('1\t2\n', 'x.csv', '\t').cols, 2); // the delimiter alone still works
});

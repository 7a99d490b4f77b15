// parseMatrix picks the reader by the file name's extension; each reader has its own suite,
// so these cases check the dispatch, the options that apply per format, and the
// refusals parseMatrix makes itself (unknown extension, a key outside .npz, bad UTF-8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMatrix, extensionOf, SUPPORTED_EXTENSIONS } from '../../../src/io/matrix.js';
import { expected, fixture, assertMatrix, assertInputError } from './helpers.js';

const text = (s: string) => new TextEncoder().encode(s);

test('extensionOf: the last dot of the base name, lower-cased; none for dotfiles and bare names', () => {
  assert.equal(extensionOf('a.NPY'), '.npy');
  assert.equal(extensionOf('dir.v2/data.tar.CSV'), '.csv');
  assert.equal(extensionOf('C:\\x.y\\m.Jsonl'), '.jsonl');
  assert.equal(extensionOf('dir.d/noext'), '');
  assert.equal(extensionOf('.hidden'), '');
  assert.equal(extensionOf('trailing.'), '.');
});

test('every supported extension reaches its reader: the NumPy fixtures read back exactly', () => {
  const cases: [string, string][] = [
    ['f4_le_c.npy', 'f4_le_c.npy'],
    ['one.npz', 'one.npz'],
    ['plain.csv', 'plain.csv'],
    ['plain.tsv', 'plain.tsv'],
    ['matrix.json', 'matrix.json'],
    ['rows.jsonl', 'rows.jsonl'],
  ];
  for (const [file, key] of cases) assertMatrix(parseMatrix(fixture(file), file), expected[key], file);
  // the extension decides, case-insensitively, and .tab / .ndjson are aliases
  assertMatrix(parseMatrix(fixture('plain.tsv'), 'PLAIN.TAB'), expected['plain.tsv'], '.tab');
  assertMatrix(parseMatrix(fixture('rows.jsonl'), 'rows.NDJSON'), expected['rows.jsonl'], '.ndjson');
  assertMatrix(parseMatrix(fixture('two.npz'), 'two.npz', { key: 'b' }), expected['two.npz:b'], 'npz key');
  assert.deepEqual(SUPPORTED_EXTENSIONS, ['.npy', '.npz', '.csv', '.tsv', '.json', '.jsonl']);
});

test('CSV options reach the delimited reader; other formats ignore them', () => {
  // "1,2" as line 1 is data by default, a header when told so
  const csv = text('1,2\n3,4\n');
  assert.deepEqual(Array.from(parseMatrix(csv, 'a.csv').data), [1, 2, 3, 4]);
  const h = parseMatrix(csv, 'a.csv', { header: true });
  assert.deepEqual([h.rows, h.cols, Array.from(h.data)], [1, 2, [3, 4]]);
  assert.deepEqual(h.table, { header: '1,2', indexColumn: null });
  // a pandas row index under an empty header cell: dropped or kept as asked
  const indexed = text(',a,b\n0,1.5,2.5\n1,3.5,4.5\n');
  const dropped = parseMatrix(indexed, 'i.csv', { indexColumn: 'drop' });
  assert.deepEqual([dropped.cols, Array.from(dropped.data)], [2, [1.5, 2.5, 3.5, 4.5]]);
  assert.equal(dropped.table?.indexColumn, 'dropped');
  assert.equal(parseMatrix(indexed, 'i.csv', { indexColumn: 'keep' }).cols, 3);
  // tabs are the delimiter of .tsv: a comma inside a .tsv cell is not a separator
  assertInputError(() => parseMatrix(text('1,2\t3\n'), 'a.tsv'), 'a.tsv');
  assert.deepEqual(Array.from(parseMatrix(text('1\t2\n'), 'a.tsv').data), [1, 2]);
  // the same options object serves a .npy input unchanged
  assertMatrix(parseMatrix(fixture('f4_le_c.npy'), 'f4_le_c.npy', { header: true, indexColumn: 'drop' }), expected['f4_le_c.npy'], 'npy with CSV options');
  assert.equal(parseMatrix(fixture('f4_le_c.npy'), 'f4_le_c.npy').table, undefined);
});

test('refusals of parseMatrix itself name the file', () => {
  assertInputError(
    () => parseMatrix(text('1'), 'data.xlsx'),
    'data.xlsx',
    /^data\.xlsx: unsupported file type '\.xlsx'; supported: \.npy, \.npz, \.csv, \.tsv, \.json, \.jsonl$/,
  );
  assertInputError(() => parseMatrix(text('1'), 'dir.d/README'), 'dir.d/README', /unsupported file type \(no extension\)/);
  assertInputError(
    () => parseMatrix(fixture('f4_le_c.npy'), 'f4_le_c.npy', { key: 'a' }),
    'f4_le_c.npy',
    /^f4_le_c\.npy: a key \('a'\) applies only to \.npz archives$/,
  );
  assertInputError(() => parseMatrix(text('1,2\n'), 'a.csv', { key: 'a' }), 'a.csv', /applies only to \.npz/);
  // 0xff is never valid UTF-8; every text format refuses it before parsing
  for (const name of ['a.csv', 'a.tsv', 'a.json', 'a.jsonl']) {
    assertInputError(() => parseMatrix(new Uint8Array([0x31, 0x2c, 0xff, 0x0a]), name), name, /^a\.\w+: is not valid UTF-8 text$/);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { parseNpy } from '../../../src/io/npy.js';
import { parseNpyHeader } from '../../../src/io/npy-header.js';
import { checkFinite, halfToFloat } from '../../../src/io/npy-decode.js';
import { FIXTURES, expected, fixture, assertMatrix, assertInputError } from './helpers.js';

const npyFiles = Object.keys(expected).filter((k) => k.endsWith('.npy'));

test("every .npy fixture written by NumPy decodes to NumPy's float32 values", () => {
  assert.ok(npyFiles.length >= 40, `found ${npyFiles.length} fixtures`);
  for (const name of npyFiles) assertMatrix(parseNpy(fixture(name), name), expected[name], name);
});

test('all dtypes x byte orders x C/Fortran orders are covered', () => {
  const files = readdirSync(FIXTURES);
  for (const code of ['f2', 'f4', 'f8', 'i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4', 'u8', 'b1']) {
    const orders = code.endsWith('1') ? ['na'] : ['le', 'be'];
    for (const bo of orders) {
      for (const mem of ['c', 'f']) assert.ok(files.includes(`${code}_${bo}_${mem}.npy`), `${code}_${bo}_${mem}`);
    }
  }
});

test('parseNpyHeader reports dtype, order, shape, data offset, endianness and item size', () => {
  const h = parseNpyHeader(fixture('f8_be_f.npy'), 'f8_be_f.npy');
  assert.equal(h.dtype, '>f8');
  assert.equal(h.fortranOrder, true);
  assert.deepEqual(h.shape, [5, 3]);
  assert.equal(h.littleEndian, false);
  assert.equal(h.itemSize, 8);
  assert.equal(h.headerLength % 64, 0); // NumPy aligns the data to 64 bytes
  assert.equal(fixture('f8_be_f.npy').length - h.headerLength, 5 * 3 * 8);

  const v = parseNpyHeader(fixture('vec_f4.npy'), 'vec_f4.npy');
  assert.deepEqual(v.shape, [7]);
  assert.deepEqual(parseNpyHeader(fixture('bad_scalar.npy'), 'bad_scalar.npy').shape, []);
  assert.deepEqual(parseNpyHeader(fixture('v2_f4_c.npy'), 'v2_f4_c.npy').version, [2, 0]);
  assert.deepEqual(parseNpyHeader(fixture('v3_f4.npy'), 'v3_f4.npy').version, [3, 0]);
  assert.equal(parseNpyHeader(fixture('u1_na_c.npy'), 'u1_na_c.npy').itemSize, 1);
  // Only the header bytes are needed (streaming readers pass a prefix).
  const full = fixture('f4_le_c.npy');
  const hp = parseNpyHeader(full.subarray(0, 128), 'x.npy');
  assert.equal(hp.headerLength, 128);
});

test('1-D arrays become n x 1; a Buffer with a byte offset is read correctly', () => {
  const m = parseNpy(fixture('vec_f4.npy'), 'vec_f4.npy');
  assert.equal(m.rows, 7);
  assert.equal(m.cols, 1);
  const bytes = fixture('f8_le_c.npy');
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  assertMatrix(parseNpy(shifted.subarray(3), 'f8_le_c.npy'), expected['f8_le_c.npy'], 'unaligned');
});

test('float16 decoding by hand matches NumPy for subnormals, max, -0', () => {
  assert.equal(halfToFloat(0x0001), 2 ** -24);
  assert.equal(halfToFloat(0x7bff), 65504);
  assert.ok(Object.is(halfToFloat(0x8000), -0));
  assert.equal(halfToFloat(0x3c00), 1);
  assert.equal(halfToFloat(0x7c00), Infinity);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
});

test('malformed .npy files throw InputErrors naming the file and the problem', () => {
  const cases: Array<[string, RegExp[]]> = [
    ['bad_truncated.npy', [/truncated/, /needs 60 bytes, file has 55/]],
    ['bad_truncated_header.npy', [/truncated .npy header/]],
    ['bad_extra.npy', [/does not match the shape/]],
    ['bad_magic.npy', [/not a .npy file/, /magic/]],
    ['bad_version.npy', [/unsupported .npy format version 4.0/]],
    ['empty.npy', [/empty file/]],
    ['bad_dict.npy', [/malformed .npy header/]],
    ['bad_eval.npy', [/malformed .npy header/, /unexpected name '__import__'/]],
    ['bad_keys.npy', [/expected keys descr, fortran_order, shape/]],
    ['bad_shape_list.npy', [/'shape' is not a tuple/]],
    ['bad_complex.npy', [/unsupported dtype '<c8' \(complex\)/]],
    ['bad_object.npy', [/unsupported dtype '\|O' \(object\)/]],
    ['bad_unicode.npy', [/unsupported dtype '<U2' \(unicode string\)/]],
    ['bad_structured.npy', [/structured/]],
    ['bad_3d.npy', [/3-D array of shape \(2, 3, 4\)/, /2-D/]],
    ['bad_scalar.npy', [/0-d/]],
    ['bad_empty_shape.npy', [/empty \(shape \(0, 3\)\)/]],
    ['bad_nan.npy', [/NaN at row 3, column 2/]],
    ['bad_inf_f.npy', [/-Infinity at row 4, column 3/]],
    ['bad_overflow.npy', [/value 1e\+300 at row 2, column 1 \(1-based\) is out of float32 range/]],
  ];
  for (const [name, patterns] of cases) assertInputError(() => parseNpy(fixture(name), name), name, ...patterns);
});

test('hand-written headers: tuples (5,) and (), trailing commas, Python 2 long ints', () => {
  const make = (header: string, data: Uint8Array) => {
    const h = new TextEncoder().encode(header + '\n');
    const out = new Uint8Array(10 + h.length + data.length);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8]);
    out.set(h, 10);
    out.set(data, 10 + h.length);
    return out;
  };
  const four = new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);
  let m = parseNpy(make("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", four), 'a.npy');
  assert.deepEqual([m.rows, m.cols, ...m.data], [4, 1, 1, 2, 3, 4]);
  m = parseNpy(make("{'descr':'<f4','fortran_order':True,'shape':(2L,2L)}", four), 'b.npy');
  assert.deepEqual([...m.data], [1, 3, 2, 4]);
  assertInputError(() => parseNpy(make("{'descr': '<f4', 'fortran_order': False, 'shape': ()}", four.subarray(0, 4)), 'c.npy'), 'c.npy', /0-d/);
  assertInputError(() => parseNpy(make("{'descr': '<f4', 'fortran_order': 0, 'shape': (4,)}", four), 'd.npy'), 'd.npy', /fortran_order/);
  assertInputError(() => parseNpy(make("{'descr': '<f4', 'fortran_order': False, 'shape': (4,)} x", four), 'e.npy'), 'e.npy', /unexpected text/);
  assertInputError(() => parseNpy(make("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (4,)}", four), 'f.npy'), 'f.npy', /duplicate key/);
  assertInputError(() => parseNpy(make("{'descr': '<f4', 'fortran_order': False, 'shape': (-4,)}", four), 'g.npy'), 'g.npy', /non-negative/);
  assertInputError(() => parseNpy(make("{'descr': '<f4', 'fortran_order': False, 'shape': (2.0, 2)}", four), 'h.npy'), 'h.npy', /integer/);
  assertInputError(() => parseNpy(make("{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (4,)}", four), 'i.npy'), 'i.npy', /datetime/);
});

test('checkFinite names the first non-finite value (1-based row and column)', () => {
  checkFinite({ data: new Float32Array([1, 2, 3, 4]), rows: 2, cols: 2 }, 'ok');
  assertInputError(() => checkFinite({ data: new Float64Array([1, 2, 3, Infinity]), rows: 2, cols: 2 }, 'X'), 'X', /Infinity at row 2, column 2/);
  assertInputError(() => checkFinite({ data: new Float32Array([1, NaN]), rows: 1, cols: 2 }, 'Y', 10), 'Y', /NaN at row 11, column 2/);
});

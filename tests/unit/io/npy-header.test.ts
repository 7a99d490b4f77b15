// The .npy header (npy-header.ts): versions 1.0/2.0/3.0, the dict literal, dtype
// strings, shapes, and refusals worded with the file's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../src/errors.js';
import {
  matrixShape,
  npyHeaderLengthFromPreamble,
  parseDtype,
  parseNpyHeader,
  shapeText,
  NPY_PREAMBLE,
  HOST_LITTLE_ENDIAN,
} from '../../../src/io/npy-header.js';

/** A .npy header (no data) of the given version around `dict`, padded to 64 bytes as NumPy pads it. */
function header(dict: string, major = 1): Uint8Array {
  const pre = major === 1 ? 10 : 12;
  let text = dict;
  while ((pre + text.length + 1) % 64) text += ' ';
  text += '\n';
  const enc = new TextEncoder().encode(text),
    out = new Uint8Array(pre + enc.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, enc.length, true);
  else dv.setUint32(8, enc.length, true);
  out.set(enc, pre);
  return out;
}

const fail = (m: string): never => {
  throw new InputError(m, 'x.npy');
};

test('versions 1.0, 2.0 and 3.0: dtype, order, shape and the data offset', () => {
  for (const major of [1, 2, 3]) {
    const b = header("{'descr': '>i2', 'fortran_order': True, 'shape': (3, 4), }", major);
    const h = parseNpyHeader(b, 'x.npy');
    assert.deepEqual(
      { ...h },
      { dtype: '>i2', fortranOrder: true, shape: [3, 4], headerLength: b.length, littleEndian: false, itemSize: 2, version: [major, 0] },
    );
    assert.equal(npyHeaderLengthFromPreamble(b.subarray(0, NPY_PREAMBLE), fail), b.length);
  }
});

test('dtypes: byte order, kinds and sizes; unsupported ones name what is supported', () => {
  assert.deepEqual(parseDtype('<f8', fail), { kind: 'f', itemSize: 8, littleEndian: true });
  assert.deepEqual(parseDtype('|u1', fail), { kind: 'u', itemSize: 1, littleEndian: HOST_LITTLE_ENDIAN });
  assert.deepEqual(parseDtype('>f2', fail), { kind: 'f', itemSize: 2, littleEndian: false });
  assert.throws(
    () => parseDtype('<c16', fail),
    (e: any) => e instanceof InputError && /unsupported dtype '<c16' \(complex\); supported: float16/.test(e.message),
  );
  assert.throws(() => parseDtype('<f3', fail), /unsupported dtype/);
});

test('shapes: (n,) is n × 1, 2-D as is, anything else refused', () => {
  assert.deepEqual(matrixShape([5], fail), { rows: 5, cols: 1 });
  assert.deepEqual(matrixShape([2, 3], fail), { rows: 2, cols: 3 });
  assert.throws(() => matrixShape([2, 3, 4], fail), /3-D array of shape \(2, 3, 4\)/);
  assert.throws(() => matrixShape([0, 3], fail), /is empty/);
  assert.equal(shapeText([7]), '(7,)');
});

test('malformed headers are InputErrors naming the file', () => {
  const bad = (dict: string, re: RegExp) =>
    assert.throws(
      () => parseNpyHeader(header(dict), 'x.npy'),
      (e: any) => e instanceof InputError && e.message.startsWith('x.npy') && re.test(e.message),
      dict,
    );
  bad("{'descr': '<f4', 'shape': (2, 2), }", /fortran_order/);
  bad("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)", /malformed \.npy header/);
  bad("{'descr': '<f4', 'fortran_order': False, 'shape': __import__('os'), }", /malformed \.npy header/);
  assert.throws(() => parseNpyHeader(new Uint8Array(16), 'x.npy'), /not a \.npy file/);
});

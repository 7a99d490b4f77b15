// Decoding .npy elements (npy-decode.ts) against values written with DataView in
// JS: every dtype in both byte orders, unaligned input, chunks, float16, the
// float64 overflow index and the underflow flag; the value checks' wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../src/errors.js';
import { checkF64Underflow, checkFinite, decodeElements, f64At, firstNonFinite, halfToFloat, nonFiniteMessage, allocF32 } from '../../../src/io/npy-decode.js';
import type { NpyDtype, NpyKind } from '../../../src/io/npy-header.js';

const values = [0, 1, -2, 3, 100, -7, 42, 5];
const writers: Record<string, (dv: DataView, o: number, v: number, le: boolean) => void> = {
  i1: (dv, o, v) => dv.setInt8(o, v),
  u1: (dv, o, v) => dv.setUint8(o, Math.abs(v)),
  b1: (dv, o, v) => dv.setUint8(o, v ? 1 : 0),
  i2: (dv, o, v, le) => dv.setInt16(o, v, le),
  u2: (dv, o, v, le) => dv.setUint16(o, Math.abs(v), le),
  i4: (dv, o, v, le) => dv.setInt32(o, v, le),
  u4: (dv, o, v, le) => dv.setUint32(o, Math.abs(v), le),
  i8: (dv, o, v, le) => dv.setBigInt64(o, BigInt(v), le),
  u8: (dv, o, v, le) => dv.setBigUint64(o, BigInt(Math.abs(v)), le),
  f4: (dv, o, v, le) => dv.setFloat32(o, v + 0.25, le),
  f8: (dv, o, v, le) => dv.setFloat64(o, v + 0.125, le),
};
const expect: Record<string, (v: number) => number> = {
  i1: (v) => v,
  i2: (v) => v,
  i4: (v) => v,
  i8: (v) => v,
  u1: Math.abs,
  u2: Math.abs,
  u4: Math.abs,
  u8: Math.abs,
  b1: (v) => (v ? 1 : 0),
  f4: (v) => v + 0.25,
  f8: (v) => v + 0.125,
};

test('every integer, bool and float dtype decodes in both byte orders, aligned or not', () => {
  for (const [code, write] of Object.entries(writers)) {
    const kind = code[0] as NpyKind,
      size = Number(code.slice(1));
    for (const le of [true, false]) {
      for (const shift of [0, 1]) {
        const bytes = new Uint8Array(shift + values.length * size);
        const dv = new DataView(bytes.buffer);
        values.forEach((v, k) => write(dv, shift + k * size, v, le));
        const dt: NpyDtype = { kind, itemSize: size, littleEndian: le };
        const out = new Float32Array(values.length + 2).fill(-1);
        assert.equal(decodeElements(bytes.subarray(shift), dt, values.length, out, 1), -1);
        assert.deepEqual([...out], [-1, ...values.map(expect[code]), -1], `${code} ${le ? 'LE' : 'BE'} shift ${shift}`);
      }
    }
  }
});

test('float16 by table, float64 overflow index and the underflow flag', () => {
  assert.equal(halfToFloat(0x3c00), 1);
  assert.equal(halfToFloat(0xc000), -2);
  assert.equal(halfToFloat(0x0001), 2 ** -24);
  assert.equal(halfToFloat(0x7c00), Infinity);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  const f8 = new Float64Array([1, 1e-40, 1e300, 2]),
    flags = { tiny: false };
  const out = new Float32Array(4);
  assert.equal(decodeElements(new Uint8Array(f8.buffer), { kind: 'f', itemSize: 8, littleEndian: true }, 4, out, 0, flags), 2);
  assert.equal(flags.tiny, true);
  assert.equal(f64At(new Uint8Array(f8.buffer), 16, true), 1e300);
});

test('value checks: first NaN/Inf, worded messages, underflow rows through fail', () => {
  assert.equal(firstNonFinite(Float32Array.of(1, 2, NaN, Infinity)), 2);
  assert.equal(firstNonFinite([1, 2, 3]), -1);
  assert.equal(nonFiniteMessage(-Infinity, 5, 2, 10), 'non-finite value -Infinity at row 13, column 2 (1-based)');
  assert.throws(
    () => checkFinite({ data: Float32Array.of(0, NaN), rows: 1, cols: 2 }, 'f.npy'),
    (e: any) => e instanceof InputError && /NaN at row 1, column 2/.test(e.message),
  );
  const row = new Float64Array([1, 1, 0, 1e-39]); // 2 × 2: row 2 holds only a value float32 flushes
  const fails: string[] = [];
  assert.throws(() =>
    checkF64Underflow(new Uint8Array(row.buffer), true, 2, 2, false, (m) => {
      fails.push(m);
      throw new Error(m);
    }),
  );
  assert.match(fails[0], /value 1e-39 at row 2, column 2/);
  assert.equal(
    allocF32(3, () => {
      throw new Error('no');
    }).length,
    3,
  );
});

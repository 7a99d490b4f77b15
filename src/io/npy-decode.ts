// .npy elements into float32: every supported dtype (byte-swapped, float16 by
// table, 64-bit integers through BigInt), and the checks on the values —
// NaN/Inf, float64 beyond float32's range or under its normal range where that
// matters in its row — worded as validate.ts and the wasm kernels word them.
import { InputError } from '../errors.js';
import type { Matrix } from '../types/index.js';
import { F32_MIN_NORMAL, float32UnderflowMessage, rowUnderflow } from './f32-range.js';
import { HOST_LITTLE_ENDIAN, type NpyDtype } from './npy-header.js';

// ---------------------------------------------------------------------------------------
// element decoding

let f16Table: Float32Array | undefined;
function halfTable(): Float32Array {
  if (f16Table) return f16Table;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    let v: number;
    if (exp === 0)
      v = frac * 2 ** -24; // subnormal (or zero)
    else if (exp === 31) v = frac ? NaN : Infinity;
    else v = (1 + frac / 1024) * 2 ** (exp - 15);
    t[h] = sign * v;
  }
  return (f16Table = t);
}

/** Decode one float16 value given as its 16-bit pattern. */
export function halfToFloat(h: number): number {
  return halfTable()[h & 0xffff];
}

const CHUNK_BYTES = 1 << 22; // 4 MiB of scratch at most per call
let scratch = new ArrayBuffer(0);
function scratchBuffer(bytes: number): ArrayBuffer {
  if (scratch.byteLength < bytes) scratch = new ArrayBuffer(Math.max(bytes, 1024));
  return scratch;
}

/** Set by decodeElements when a float64 source value lies in (0, 2⁻¹²⁶): its rows need the underflow check. */
export interface DecodeFlags {
  tiny: boolean;
}

/**
 * Decode `count` elements of type `dt` from `src` (which starts at the first element) into
 * `out[outOffset ..]` as float32. Returns the index (relative to the decoded run) of the
 * first finite float64 source value that overflows float32, or -1. `flags.tiny` is set when
 * a float64 value is non-zero and below float32's normal range (the caller then checks
 * those rows with checkF64Underflow; float16 and integers always fit).
 */
export function decodeElements(src: Uint8Array, dt: NpyDtype, count: number, out: Float32Array, outOffset: number, flags?: DecodeFlags): number {
  const size = dt.itemSize;
  const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / size));
  let overflow = -1;
  for (let done = 0; done < count; done += perChunk) {
    const n = Math.min(perChunk, count - done);
    const bytes = src.subarray(done * size, (done + n) * size);
    const dst = out.subarray(outOffset + done, outOffset + done + n);
    if (size === 1) {
      if (dt.kind === 'i') dst.set(new Int8Array(bytes.buffer, bytes.byteOffset, n));
      else if (dt.kind === 'u') dst.set(bytes);
      else for (let k = 0; k < n; k++) dst[k] = bytes[k] ? 1 : 0;
      continue;
    }
    let buf: ArrayBuffer, off: number;
    const swap = dt.littleEndian !== HOST_LITTLE_ENDIAN;
    if (!swap && bytes.byteOffset % size === 0 && bytes.buffer instanceof ArrayBuffer) {
      buf = bytes.buffer;
      off = bytes.byteOffset;
    } else {
      buf = scratchBuffer(n * size);
      off = 0;
      const s = new Uint8Array(buf, 0, n * size);
      s.set(bytes);
      if (swap) byteSwap(s, size);
    }
    switch (dt.kind === 'f' ? `f${size}` : `${dt.kind}${size}`) {
      case 'f2':
        lookup(halfTable(), new Uint16Array(buf, off, n), dst);
        break;
      case 'f4':
        dst.set(new Float32Array(buf, off, n));
        break;
      case 'f8': {
        const v = new Float64Array(buf, off, n);
        dst.set(v);
        let tiny = false;
        for (let k = 0; k < n; k++) {
          const x = v[k],
            y = dst[k];
          if (y - y !== 0 && x - x === 0 && overflow < 0) overflow = done + k;
          const a = Math.abs(x);
          if (a < F32_MIN_NORMAL && a > 0) tiny = true;
        }
        if (tiny && flags) flags.tiny = true;
        break;
      }
      case 'i2':
        dst.set(new Int16Array(buf, off, n));
        break;
      case 'i4':
        dst.set(new Int32Array(buf, off, n));
        break;
      case 'u2':
        dst.set(new Uint16Array(buf, off, n));
        break;
      case 'u4':
        dst.set(new Uint32Array(buf, off, n));
        break;
      case 'i8':
        fromBigInt(new BigInt64Array(buf, off, n), dst);
        break;
      case 'u8':
        fromBigInt(new BigUint64Array(buf, off, n), dst);
        break;
      default:
        throw new Error(`decodeElements: unsupported dtype ${dt.kind}${size}`);
    }
  }
  return overflow;
}

// Small monomorphic loops, kept out of decodeElements so each stays optimised.
function lookup(t: Float32Array, v: Uint16Array, dst: Float32Array): void {
  for (let k = 0; k < v.length; k++) dst[k] = t[v[k]];
}
function fromBigInt(v: BigInt64Array | BigUint64Array, dst: Float32Array): void {
  for (let k = 0; k < v.length; k++) dst[k] = Number(v[k]);
}

function byteSwap(b: Uint8Array, size: number): void {
  for (let p = 0; p < b.length; p += size) {
    for (let a = p, z = p + size - 1; a < z; a++, z--) {
      const t = b[a];
      b[a] = b[z];
      b[z] = t;
    }
  }
}

// ---------------------------------------------------------------------------------------
// checks

function describe(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** Index of the first NaN/±Inf in `d`, or -1. */
export function firstNonFinite(d: ArrayLike<number>): number {
  // A monomorphic loop for the common f32 case: the generic one is 3× slower on streams.
  if (d instanceof Float32Array) return firstNonFiniteF32(d);
  for (let k = 0; k < d.length; k++) {
    const v = d[k];
    if (v - v !== 0) return k;
  }
  return -1;
}

function firstNonFiniteF32(d: Float32Array): number {
  const n = d.length;
  for (let k = 0; k < n; k++) {
    const v = d[k];
    if (v - v !== 0) return k;
  }
  return -1;
}

/** The message for a non-finite value at flat row-major index k (worded as validate.ts and the wasm kernels word it). */
export function nonFiniteMessage(v: number, k: number, cols: number, rowOffset = 0): string {
  const r = rowOffset + Math.floor(k / cols),
    c = k % cols;
  return `non-finite value ${describe(v)} at row ${r + 1}, column ${c + 1} (1-based)`;
}

/**
 * Throw an InputError naming the 1-based row and column of the first NaN/Inf in `m`.
 * `rowOffset` shifts the reported row (for chunks of a larger matrix).
 */
export function checkFinite(m: Matrix, name: string, rowOffset = 0): void {
  const k = firstNonFinite(m.data);
  if (k >= 0) throw new InputError(nonFiniteMessage(m.data[k], k, m.cols, rowOffset), name);
}

/** The float64 stored at `byteOffset` of `b` (for naming an out-of-range value). */
export function f64At(b: Uint8Array, byteOffset: number, littleEndian: boolean): number {
  return new DataView(b.buffer, b.byteOffset + byteOffset, 8).getFloat64(0, littleEndian);
}

/**
 * Throws through `fail` at the first float64 value of `rows` × `cols` stored in `b` that
 * float32 would flush while it matters in its row (f32-range.ts). `colMajor`: element
 * (i, j) is at index j·rows + i (Fortran order), else i·cols + j. Rows are reported
 * from `rowOffset`. Called only for data decodeElements flagged, so the DataView reads
 * cost nothing on ordinary files.
 */
export function checkF64Underflow(
  b: Uint8Array,
  littleEndian: boolean,
  rows: number,
  cols: number,
  colMajor: boolean,
  fail: (msg: string) => never,
  rowOffset = 0,
): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < rows; i++) {
    const hit = rowUnderflow((j) => dv.getFloat64(8 * (colMajor ? j * rows + i : i * cols + j), littleEndian), cols);
    if (hit) fail(float32UnderflowMessage(hit.value, rowOffset + i, hit.col, hit.rowMax));
  }
}

/** Allocate the output, turning "too large" into an InputError. */
export function allocF32(n: number, fail: (msg: string) => never): Float32Array {
  try {
    return new Float32Array(n);
  } catch {
    fail(`too large to load into memory at once (${n} values); use the streaming .npy reader`);
  }
}

// NumPy .npy reader: pure functions over bytes, usable in every runtime.
//
// Format (numpy/lib/format.py, NEP 1): magic "\x93NUMPY", major, minor version byte,
// a little-endian header length (uint16 for 1.0, uint32 for 2.0 and 3.0), then an ASCII
// (latin-1 for 1.0/2.0, UTF-8 for 3.0) Python dict literal
//   {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
// padded with spaces and a final newline, then the raw array data.
// The header is parsed by a small strict parser of Python literals: never eval'd.
import { InputError } from '../errors.js';
import type { Matrix } from '../types.js';
import { clipInput, quoteInput } from './quote.js';
import { F32_MIN_NORMAL, float32RangeMessage, float32UnderflowMessage, rowUnderflow } from './f32-range.js';

export { float32RangeMessage } from './f32-range.js';

/** What a .npy header says about its array. */
export interface NpyHeader {
  /** The descr string as written, e.g. '<f4'. */
  dtype: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the array data (magic + version + length field + header). */
  headerLength: number;
  littleEndian: boolean;
  itemSize: number;
  /** The format version, e.g. [1, 0]. */
  version: [number, number];
}

/** A decoded matrix as returned by the readers: always float32, row-major. */
export interface F32Matrix extends Matrix {
  /** The values as float32, row-major (readers convert every dtype to float32). */
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Element kinds the readers decode. */
export type NpyKind = 'f' | 'i' | 'u' | 'b';

/** A parsed, supported dtype. */
export interface NpyDtype {
  kind: NpyKind;
  itemSize: number;
  littleEndian: boolean;
}

const SUPPORTED = 'float16/32/64 (f2 f4 f8), int8-64 (i1 i2 i4 i8), uint8-64 (u1 u2 u4 u8) and bool (b1)';

// ---------------------------------------------------------------------------------------
// Python literal parser (the subset NumPy writes: dict, tuple, list, str, int, bool, None)

type PyValue = string | number | boolean | null | PyTuple | PyValue[] | Map<string, PyValue>;
class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

class LiteralParser {
  private i = 0;
  constructor(private readonly s: string, private readonly fail: (msg: string) => never) {}

  parseTop(): PyValue {
    const v = this.value();
    this.ws();
    if (this.i !== this.s.length) this.err('unexpected text after the header dict');
    return v;
  }

  private err(msg: string): never {
    this.fail(`malformed .npy header: ${msg} at character ${this.i + 1} of ${quoteInput(this.s.trimEnd(), 120)}`);
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  private value(): PyValue {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) this.err('unexpected end');
    if (c === '{') return this.dict();
    if (c === '(') return this.seq(')');
    if (c === '[') return this.seq(']');
    if (c === "'" || c === '"') return this.str();
    if (c === '-' || c === '+' || (c >= '0' && c <= '9')) return this.int();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i, this.i + 32));
    if (m) {
      this.i += m[0].length;
      if (m[0] === 'True') return true;
      if (m[0] === 'False') return false;
      if (m[0] === 'None') return null;
      this.i -= m[0].length;
      this.err(`unexpected name '${m[0]}'`);
    }
    this.err(`unexpected character '${c}'`);
  }

  private dict(): Map<string, PyValue> {
    const out = new Map<string, PyValue>();
    this.i++; // {
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') { this.i++; return out; }
      const c = this.s[this.i];
      if (c !== "'" && c !== '"') this.err('expected a string key');
      const key = this.str();
      this.ws();
      if (this.s[this.i] !== ':') this.err("expected ':'");
      this.i++;
      if (out.has(key)) this.err(`duplicate key '${key}'`);
      out.set(key, this.value());
      this.ws();
      if (this.s[this.i] === ',') { this.i++; continue; }
      if (this.s[this.i] === '}') { this.i++; return out; }
      this.err("expected ',' or '}'");
    }
  }

  private seq(close: ')' | ']'): PyValue {
    const items: PyValue[] = [];
    let sawComma = false;
    this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) { this.i++; break; }
      items.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') { this.i++; sawComma = true; continue; }
      if (this.s[this.i] === close) { this.i++; break; }
      this.err(`expected ',' or '${close}'`);
    }
    if (close === ']') return items;
    // (x) without a comma is a parenthesised value in Python, not a tuple.
    if (items.length === 1 && !sawComma) return items[0];
    return new PyTuple(items);
  }

  private str(): string {
    const q = this.s[this.i++];
    let out = '';
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) this.err('unterminated string');
      if (c === q) return out;
      if (c === '\n') this.err('newline in string');
      if (c === '\\') {
        const e = this.s[this.i++];
        if (e === '\\' || e === "'" || e === '"') out += e;
        else if (e === 'n') out += '\n';
        else if (e === 't') out += '\t';
        else this.err('unsupported escape in string');
      } else out += c;
    }
  }

  private int(): number {
    const m = /^[+-]?[0-9]+L?/.exec(this.s.slice(this.i, this.i + 40));
    if (!m) this.err('bad number');
    const after = this.s[this.i + m[0].length];
    if (after === '.' || after === 'e' || after === 'E') this.err('expected an integer');
    this.i += m[0].length;
    const v = Number(m[0].replace(/L$/, ''));
    if (!Number.isSafeInteger(v)) this.err('integer too large');
    return v;
  }
}

// ---------------------------------------------------------------------------------------
// dtype

/** Parse a descr string such as '<f4'; throws through `fail` for unsupported types. */
export function parseDtype(descr: string, fail: (msg: string) => never): NpyDtype {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)(.*)$/.exec(descr);
  if (!m) fail(`unsupported dtype '${clipInput(descr)}'; supported: ${SUPPORTED}`);
  const [, order, kind, sizeStr, rest] = m;
  const size = sizeStr === '' ? NaN : Number(sizeStr);
  const named: Record<string, string> = {
    c: 'complex', O: 'object', U: 'unicode string', S: 'byte string', a: 'byte string',
    V: 'void/structured', M: 'datetime', m: 'timedelta', f: 'float', i: 'int', u: 'uint', b: 'bool',
  };
  const what = named[kind];
  const ok =
    rest === '' &&
    ((kind === 'f' && (size === 2 || size === 4 || size === 8)) ||
      ((kind === 'i' || kind === 'u') && (size === 1 || size === 2 || size === 4 || size === 8)) ||
      (kind === 'b' && size === 1));
  if (!ok) {
    fail(`unsupported dtype '${clipInput(descr)}'${what ? ` (${what})` : ''}; supported: ${SUPPORTED}`);
  }
  // '|' (not applicable) and '=' (native) on multi-byte types: NumPy reads them as native.
  const littleEndian = order === '<' ? true : order === '>' ? false : HOST_LITTLE_ENDIAN;
  return { kind: kind as NpyKind, itemSize: size, littleEndian };
}

function shapeText(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

// ---------------------------------------------------------------------------------------
// header

function failer(name: string, where = ''): (msg: string) => never {
  return (msg: string) => {
    throw new InputError(where + msg, name);
  };
}

/**
 * Parse the header of a .npy file. `bytes` needs to hold only the start of the file
 * (the header), so streaming readers can call it on a prefix.
 */
export function parseNpyHeader(bytes: Uint8Array, name: string): NpyHeader {
  return parseHeaderImpl(bytes, failer(name));
}

/** Minimum number of bytes needed to know the full header length. */
export const NPY_PREAMBLE = 12;

/** Total header length (offset of data) from the first ≥ 12 bytes, or throws. */
export function npyHeaderLengthFromPreamble(bytes: Uint8Array, fail: (msg: string) => never): number {
  if (bytes.length === 0) fail('empty file (0 bytes), not a .npy array');
  for (let k = 0; k < MAGIC.length; k++) {
    if (bytes[k] !== MAGIC[k]) fail('not a .npy file (bad magic: it does not start with \\x93NUMPY)');
  }
  if (bytes.length < 10) fail('truncated .npy header');
  const major = bytes[6], minor = bytes[7];
  if (!(major === 1 || major === 2 || major === 3) || minor !== 0) {
    fail(`unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  }
  if (major === 1) return 10 + (bytes[8] | (bytes[9] << 8));
  if (bytes.length < 12) fail('truncated .npy header');
  return 12 + (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
}

function parseHeaderImpl(bytes: Uint8Array, fail: (msg: string) => never): NpyHeader {
  const headerLength = npyHeaderLengthFromPreamble(bytes, fail);
  const major = bytes[6];
  const start = major === 1 ? 10 : 12;
  if (bytes.length < headerLength) {
    fail(`truncated .npy header: needs ${headerLength} bytes, file has ${bytes.length}`);
  }
  const raw = bytes.subarray(start, headerLength);
  let text: string;
  if (major === 3) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      fail('malformed .npy header: not valid UTF-8');
    }
  } else {
    text = '';
    for (let k = 0; k < raw.length; k++) text += String.fromCharCode(raw[k]); // latin-1
  }
  const top = new LiteralParser(text, fail).parseTop();
  if (!(top instanceof Map)) fail('malformed .npy header: not a dict');
  const keys = clipInput([...top.keys()].sort().join(', '));
  if (keys !== 'descr, fortran_order, shape') {
    fail(`malformed .npy header: expected keys descr, fortran_order, shape; found ${keys || 'none'}`);
  }
  const descr = top.get('descr');
  if (typeof descr !== 'string') {
    if (Array.isArray(descr)) fail('unsupported dtype: structured arrays (record fields) are not supported; save a plain numeric array');
    fail("malformed .npy header: 'descr' is not a string");
  }
  const fortran = top.get('fortran_order');
  if (typeof fortran !== 'boolean') fail("malformed .npy header: 'fortran_order' is not True/False");
  const shapeV = top.get('shape');
  if (!(shapeV instanceof PyTuple)) fail("malformed .npy header: 'shape' is not a tuple");
  const shape: number[] = [];
  for (const d of shapeV.items) {
    if (typeof d !== 'number' || d < 0) fail("malformed .npy header: 'shape' must hold non-negative integers");
    shape.push(d);
  }
  const dt = parseDtype(descr, fail);
  return {
    dtype: descr,
    fortranOrder: fortran,
    shape,
    headerLength,
    littleEndian: dt.littleEndian,
    itemSize: dt.itemSize,
    version: [major, 0],
  };
}

/** rows × cols of a header's shape: 1-D (n,) is n × 1; anything but 1-D or 2-D is an error. */
export function matrixShape(shape: number[], fail: (msg: string) => never): { rows: number; cols: number } {
  if (shape.length === 0) fail('is a 0-d (scalar) array; need a 2-D matrix (rows × columns)');
  if (shape.length > 2) {
    fail(`is a ${shape.length}-D array of shape ${shapeText(shape)}; need a 2-D matrix (rows × columns), e.g. reshape it to (n, d)`);
  }
  const rows = shape[0], cols = shape.length === 2 ? shape[1] : 1;
  if (rows === 0 || cols === 0) fail(`is empty (shape ${shapeText(shape)})`);
  return { rows, cols };
}

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
    if (exp === 0) v = frac * 2 ** -24; // subnormal (or zero)
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
export function decodeElements(
  src: Uint8Array,
  dt: NpyDtype,
  count: number,
  out: Float32Array,
  outOffset: number,
  flags?: DecodeFlags,
): number {
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
      case 'f2': lookup(halfTable(), new Uint16Array(buf, off, n), dst); break;
      case 'f4': dst.set(new Float32Array(buf, off, n)); break;
      case 'f8': {
        const v = new Float64Array(buf, off, n);
        dst.set(v);
        let tiny = false;
        for (let k = 0; k < n; k++) {
          const x = v[k], y = dst[k];
          if (y - y !== 0 && x - x === 0 && overflow < 0) overflow = done + k;
          const a = Math.abs(x);
          if (a < F32_MIN_NORMAL && a > 0) tiny = true;
        }
        if (tiny && flags) flags.tiny = true;
        break;
      }
      case 'i2': dst.set(new Int16Array(buf, off, n)); break;
      case 'i4': dst.set(new Int32Array(buf, off, n)); break;
      case 'u2': dst.set(new Uint16Array(buf, off, n)); break;
      case 'u4': dst.set(new Uint32Array(buf, off, n)); break;
      case 'i8': fromBigInt(new BigInt64Array(buf, off, n), dst); break;
      case 'u8': fromBigInt(new BigUint64Array(buf, off, n), dst); break;
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
      const t = b[a]; b[a] = b[z]; b[z] = t;
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
  const r = rowOffset + Math.floor(k / cols), c = k % cols;
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
export function checkF64Underflow(b: Uint8Array, littleEndian: boolean, rows: number, cols: number, colMajor: boolean, fail: (msg: string) => never, rowOffset = 0): void {
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

// ---------------------------------------------------------------------------------------
// whole-array reader

/** @internal parseNpy with a prefix for messages (used by the .npz reader). */
export function parseNpyImpl(bytes: Uint8Array, name: string, where: string): F32Matrix {
  const fail = failer(name, where);
  const h = parseHeaderImpl(bytes, fail);
  const { rows, cols } = matrixShape(h.shape, fail);
  const dt = parseDtype(h.dtype, fail);
  const count = rows * cols;
  const need = count * h.itemSize;
  const have = bytes.length - h.headerLength;
  if (have < need) {
    fail(`truncated .npy data: shape ${shapeText(h.shape)} of '${h.dtype}' needs ${need} bytes, file has ${have}`);
  }
  if (have > need) {
    fail(`.npy data size does not match the shape: shape ${shapeText(h.shape)} of '${h.dtype}' needs ${need} bytes, file has ${have}`);
  }
  const src = bytes.subarray(h.headerLength);
  const out = allocF32(count, fail);
  const flags: DecodeFlags = { tiny: false };
  let overflow: number;
  const colMajor = h.fortranOrder && cols > 1 && rows > 1;
  if (!colMajor) {
    overflow = decodeElements(src, dt, count, out, 0, flags);
  } else {
    // Column-major on disk: decode one column at a time and scatter it into the rows.
    overflow = -1;
    const col = new Float32Array(rows);
    const colBytes = rows * h.itemSize;
    for (let j = 0; j < cols; j++) {
      const o = decodeElements(src.subarray(j * colBytes, (j + 1) * colBytes), dt, rows, col, 0, flags);
      if (o >= 0 && overflow < 0) overflow = o * cols + j; // row-major index
      for (let i = 0, p = j; i < rows; i++, p += cols) out[p] = col[i];
    }
  }
  if (overflow >= 0) {
    const r = Math.floor(overflow / cols), c = overflow % cols;
    const at = (!h.fortranOrder || cols === 1 || rows === 1 ? overflow : c * rows + r) * h.itemSize;
    fail(float32RangeMessage(f64At(src, at, dt.littleEndian), r, c));
  }
  if (flags.tiny) checkF64Underflow(src.subarray(0, need), dt.littleEndian, rows, cols, colMajor, fail);
  const bad = firstNonFinite(out);
  if (bad >= 0) fail(nonFiniteMessage(out[bad], bad, cols));
  return { data: out, rows, cols };
}

/**
 * Read a whole .npy file (bytes) into a row-major float32 matrix. 1-D arrays become n × 1.
 * Throws InputError naming `name` for malformed, truncated or unsupported files and for
 * NaN/Inf values.
 */
export function parseNpy(bytes: Uint8Array, name: string): F32Matrix {
  return parseNpyImpl(bytes, name, '');
}

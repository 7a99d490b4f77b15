// The .npy header: magic, version, header length and the dict that describes the
// array (dtype, order, shape). Pure functions over bytes, usable in every runtime.
//
// Format (numpy/lib/format.py, NEP 1): magic "\x93NUMPY", major, minor version byte,
// a little-endian header length (uint16 for 1.0, uint32 for 2.0 and 3.0), then an ASCII
// (latin-1 for 1.0/2.0, UTF-8 for 3.0) Python dict literal
//   {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
// padded with spaces and a final newline, then the raw array data.
// The header is parsed by a small strict parser of Python literals: never eval'd.
import { InputError } from '../errors.js';
import { clipInput, quoteInput } from './quote.js';

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
  constructor(
    private readonly s: string,
    private readonly fail: (msg: string) => never,
  ) {}

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
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      const c = this.s[this.i];
      if (c !== "'" && c !== '"') this.err('expected a string key');
      const key = this.str();
      this.ws();
      if (this.s[this.i] !== ':') this.err("expected ':'");
      this.i++;
      if (out.has(key)) this.err(`duplicate key '${key}'`);
      out.set(key, this.value());
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      this.err("expected ',' or '}'");
    }
  }

  private seq(close: ')' | ']'): PyValue {
    const items: PyValue[] = [];
    let sawComma = false;
    this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        break;
      }
      items.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        sawComma = true;
        continue;
      }
      if (this.s[this.i] === close) {
        this.i++;
        break;
      }
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
    c: 'complex',
    O: 'object',
    U: 'unicode string',
    S: 'byte string',
    a: 'byte string',
    V: 'void/structured',
    M: 'datetime',
    m: 'timedelta',
    f: 'float',
    i: 'int',
    u: 'uint',
    b: 'bool',
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

export function shapeText(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

// ---------------------------------------------------------------------------------------
// header

export function failer(name: string, where = ''): (msg: string) => never {
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
  const major = bytes[6],
    minor = bytes[7];
  if (!(major === 1 || major === 2 || major === 3) || minor !== 0) {
    fail(`unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  }
  if (major === 1) return 10 + (bytes[8] | (bytes[9] << 8));
  if (bytes.length < 12) fail('truncated .npy header');
  return 12 + (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
}

export function parseHeaderImpl(bytes: Uint8Array, fail: (msg: string) => never): NpyHeader {
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
  const rows = shape[0],
    cols = shape.length === 2 ? shape[1] : 1;
  if (rows === 0 || cols === 0) fail(`is empty (shape ${shapeText(shape)})`);
  return { rows, cols };
}

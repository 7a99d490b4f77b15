// Cells of the text readers: what a cell may hold (a finite decimal number within
// float32's range, at most MAX_CELL_CHARS characters), the fast path for a record
// of plain numbers, and the growable float32 storage the readers fill.
import { quoteInput as quote } from './quote.js';
import { F32_MAX, F32_MIN_NORMAL, rowUnderflows } from './f32-range.js';

/** Growable float32 storage. */
export class Values {
  data = new Float32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  finish(): Float32Array {
    return this.data.length === this.length ? this.data : this.data.slice(0, this.length);
  }
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const NON_FINITE_WORD = /^[+-]?(nan|inf|infinity)$/i;

/**
 * The longest cell (in characters) a text matrix may hold: far more than any number or column
 * name needs, and small enough that a runaway cell (a 50 MB field, a file without delimiters)
 * is refused where it starts instead of being parsed and echoed.
 */
export const MAX_CELL_CHARS = 1024;

export function cellTooLong(length: number): string {
  return `cell has ${length} characters, more than the ${MAX_CELL_CHARS} a value or column name may have`;
}

/** Why a cell is not a usable value; `numeric` when it is spelled as a number (NaN, 1e400). */
export interface CellError {
  msg: string;
  numeric: boolean;
}

/**
 * Parse one cell; returns the number or the problem (message without the position).
 * Accepts decimal numbers with optional sign, fraction and exponent, surrounded by spaces.
 */
export function parseCell(raw: string): number | CellError {
  const s = raw.trim();
  if (s === '') return { msg: 'empty cell (missing value)', numeric: false };
  if (s.length > MAX_CELL_CHARS) return { msg: `${cellTooLong(s.length)}: ${quote(s)}`, numeric: false };
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    // digits . + - e E
    if (!((c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 101 || c === 69)) {
      if (NON_FINITE_WORD.test(s)) return { msg: `${s} is not allowed (values must be finite)`, numeric: true };
      return { msg: `${quote(s)} is not a number`, numeric: false };
    }
  }
  const v = Number(s);
  if (Number.isNaN(v)) return { msg: `${quote(s)} is not a number`, numeric: false };
  if (!Number.isFinite(v) || Math.abs(v) > F32_MAX) return { msg: `${quote(s)} is out of float32 range (|x| > 3.4028235e38)`, numeric: true };
  return v;
}

/** Whether a cell is spelled as a number (including NaN/Inf and out-of-range values). */
export function isNumericCell(raw: string): boolean {
  const v = parseCell(raw);
  return typeof v === 'number' || v.numeric;
}

/**
 * Parse one record of exactly `cols` plain numeric cells (digits, sign, '.', exponent; no
 * spaces, quotes or other text) starting at `pos`, push the values and return the position
 * after its line break. Returns -1, pushing nothing, for anything else: the general parser
 * then reads the record and reports any problem.
 */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

export function fastRecord(text: string, pos: number, dcode: number, cols: number, values: Values): number {
  const n = text.length;
  const mark = values.length;
  let p = pos;
  let max = 0,
    tiny = 0;
  for (let j = 0; j < cols; j++) {
    const start = p;
    // Clinger's fast path: ≤ 15 significant digits and a decimal exponent within ±22 give
    // m·10^e or m/10^-e with both operands exact, one correctly rounded operation, i.e. the
    // same double as Number(). Anything else goes through Number().
    let neg = false;
    let c = text.charCodeAt(p);
    if (c === 45 || c === 43) {
      neg = c === 45;
      c = text.charCodeAt(++p);
    }
    let m = 0,
      digits = 0,
      e = 0,
      any = false;
    while (c >= 48 && c <= 57) {
      any = true;
      if (digits > 0 || c !== 48) {
        m = m * 10 + (c - 48);
        digits++;
      }
      c = text.charCodeAt(++p);
    }
    if (c === 46) {
      c = text.charCodeAt(++p);
      while (c >= 48 && c <= 57) {
        any = true;
        if (digits > 0 || c !== 48) {
          m = m * 10 + (c - 48);
          digits++;
        }
        e--;
        c = text.charCodeAt(++p);
      }
    }
    let v: number;
    if (any && digits <= 15 && c !== 101 && c !== 69 && e >= -22) {
      v = e === 0 ? m : m / POW10[-e];
      if (neg) v = -v;
    } else {
      while (p < n) {
        const d = text.charCodeAt(p);
        if ((d >= 48 && d <= 57) || d === 46 || d === 45 || d === 43 || d === 101 || d === 69) p++;
        else break;
      }
      v = p > start ? Number(text.slice(start, p)) : NaN;
    }
    const a = Math.abs(v);
    if (!(a <= F32_MAX)) {
      values.length = mark;
      return -1;
    } // NaN, ±Inf, too large
    values.push(v);
    if (a > max) max = a;
    if (a < F32_MIN_NORMAL && a > tiny) tiny = a;
    c = p < n ? text.charCodeAt(p) : 10;
    if (j < cols - 1) {
      if (c !== dcode) {
        values.length = mark;
        return -1;
      }
      p++;
    } else if (rowUnderflows(max, tiny)) {
      values.length = mark; // the general parser names the cell
      return -1;
    } else if (c === 10) {
      return Math.min(p + 1, n);
    } else if (c === 13 && text.charCodeAt(p + 1) === 10) {
      return p + 2;
    } else {
      values.length = mark;
      return -1;
    }
  }
  return -1;
}

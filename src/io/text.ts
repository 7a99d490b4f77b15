// Text matrix readers: CSV/TSV, JSON (array of arrays) and JSONL (one array per line).
// Pure functions over strings, usable in every runtime. Every value must be a finite
// number; errors name the 1-based row (the line, as a user sees the file) and column.
import { InputError } from '../errors.js';
import type { F32Matrix } from './npy.js';
import { quoteInput } from './quote.js';
import { F32_MAX, F32_MIN_NORMAL, rowUnderflow, rowUnderflows, underflowReason } from './f32-range.js';

/** Growable float32 storage. */
class Values {
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

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const NON_FINITE_WORD = /^[+-]?(nan|inf|infinity)$/i;

const quote = quoteInput;

/**
 * The longest cell (in characters) a text matrix may hold: far more than any number or column
 * name needs, and small enough that a runaway cell (a 50 MB field, a file without delimiters)
 * is refused where it starts instead of being parsed and echoed.
 */
export const MAX_CELL_CHARS = 1024;

function cellTooLong(length: number): string {
  return `cell has ${length} characters, more than the ${MAX_CELL_CHARS} a value or column name may have`;
}

/** Why a cell is not a usable value; `numeric` when it is spelled as a number (NaN, 1e400). */
interface CellError { msg: string; numeric: boolean }

/**
 * Parse one cell; returns the number or the problem (message without the position).
 * Accepts decimal numbers with optional sign, fraction and exponent, surrounded by spaces.
 */
function parseCell(raw: string): number | CellError {
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

/** How parseDelimited reads line 1 and a row-index first column. */
export interface DelimitedOptions {
  /** ',' or '\t'; without it, a line 1 with tabs and no commas means TSV. */
  delimiter?: ',' | '\t';
  /** true: line 1 is a header; false: line 1 is data; unset: decided by the header rule. */
  header?: boolean;
  /**
   * A first column under an empty header cell (pandas' `df.to_csv()` row index): 'drop' removes
   * it, 'keep' reads it as a feature. Unset, such a column of whole numbers is refused.
   */
  indexColumn?: 'drop' | 'keep';
}

/** What a delimited file held besides its numbers. */
export interface TableInfo {
  /** Line 1 as written in the file when it was read as a header; null when line 1 is data. */
  header: string | null;
  /** The first column under an empty header cell: 'dropped' or 'kept'; null if there is none. */
  indexColumn: 'dropped' | 'kept' | null;
}

export interface DelimitedMatrix extends F32Matrix {
  table: TableInfo;
}

/** Whether a cell is spelled as a number (including NaN/Inf and out-of-range values). */
function isNumericCell(raw: string): boolean {
  const v = parseCell(raw);
  return typeof v === 'number' || v.numeric;
}

/**
 * Parse CSV (delimiter ',') or TSV ('\t'). Without `delimiter`, a first line with tabs and no
 * commas means TSV. Line 1 is a header or data by the rule of `headerRule` (or as
 * `opts.header` says); a row index under an empty header cell is dropped or kept as
 * `opts.indexColumn` says, and refused when it says nothing. Cells may be quoted ("1.5", with
 * "" for a quote). CRLF and blank trailing lines are fine; ragged rows, blank lines between
 * rows, non-numeric cells and NaN/Inf are InputErrors naming the line and column. The third
 * argument may also be just the delimiter.
 */
export function parseDelimited(text: string, name: string, opts: DelimitedOptions | ',' | '\t' = {}): DelimitedMatrix {
  const o: DelimitedOptions = typeof opts === 'string' ? { delimiter: opts } : opts;
  let delimiter = o.delimiter;
  text = stripBom(text);
  if (delimiter === undefined) {
    const nl = text.indexOf('\n');
    const first = nl < 0 ? text : text.slice(0, nl);
    delimiter = first.includes('\t') && !first.includes(',') ? '\t' : ',';
  }
  const fail = (line: number, msg: string): never => {
    throw new InputError(`line ${line}: ${msg}`, name);
  };
  const failAt = (line: number, col: number, msg: string): never => {
    throw new InputError(`line ${line}, column ${col}: ${msg}`, name);
  };
  const dcode = delimiter.charCodeAt(0);
  const n = text.length;
  const values = new Values();
  let cols = -1;
  let rows = 0;
  let refLine = 0; // the line that fixed the column count
  let pos = 0;
  let line = 1; // physical line where the current record starts
  let pendingBlank = 0; // first blank line seen since the last record (0 if none)
  let headerDone = false;
  let header: string | null = null;
  let indexCandidate = false; // line 1 is a header whose first cell is empty
  const cells: string[] = [];

  while (pos < n) {
    // Fast path for the common record: plain numbers, no quotes, no blanks before it.
    if (cols > 0 && !pendingBlank) {
      const end = fastRecord(text, pos, dcode, cols, values);
      if (end >= 0) {
        rows++;
        line++;
        pos = end;
        continue;
      }
    }
    // Read one record starting at pos.
    const recordStart = pos;
    const startLine = line;
    cells.length = 0;
    let cell = '';
    let p = pos;
    let record = true;
    for (;;) {
      if (p >= n) { cells.push(cell); break; }
      const c = text.charCodeAt(p);
      if (c === 34 /* " */ && cell.trim() === '') {
        // quoted cell
        p++;
        let q = '';
        for (;;) {
          if (p >= n) fail(startLine, 'unterminated quoted cell');
          const d = text.charCodeAt(p);
          if (d === 34) {
            if (text.charCodeAt(p + 1) === 34) { q += '"'; p += 2; continue; }
            p++;
            break;
          }
          if (d === 10) line++;
          q += text[p++];
          if (q.length > MAX_CELL_CHARS) fail(startLine, `a quoted cell runs past ${MAX_CELL_CHARS} characters, more than a value or column name may have: ${quote(q)}`);
        }
        // only spaces may follow the closing quote
        while (p < n && (text.charCodeAt(p) === 32)) p++;
        const e = text.charCodeAt(p);
        if (p < n && e !== dcode && e !== 10 && e !== 13) {
          fail(startLine, 'unexpected text after a closing quote');
        }
        cell = q;
        continue;
      }
      if (c === dcode) { cells.push(cell); cell = ''; p++; continue; }
      if (c === 10 || c === 13) {
        cells.push(cell);
        p += c === 13 && text.charCodeAt(p + 1) === 10 ? 2 : 1;
        line++;
        break;
      }
      // fast path: take a run of ordinary characters
      let e = p + 1;
      while (e < n) {
        const f = text.charCodeAt(e);
        if (f === dcode || f === 10 || f === 13) break;
        e++;
      }
      cell += text.slice(p, e);
      p = e;
      if (cell.length > MAX_CELL_CHARS) failAt(startLine, cells.length + 1, `${cellTooLong(cell.length)}: ${quote(cell.trim())}`);
    }
    pos = p;
    if (cells.length === 1 && cells[0].trim() === '') record = false;
    if (!record) {
      if (!pendingBlank) pendingBlank = startLine;
      continue;
    }
    if (pendingBlank) fail(pendingBlank, 'blank line between rows (every row needs values)');

    if (!headerDone) {
      headerDone = true;
      if (o.header ?? headerRule(cells, name)) {
        cols = cells.length; // header fixes the column count
        refLine = startLine;
        header = text.slice(recordStart, p).replace(/\r?\n$|\r$/, '');
        indexCandidate = cols >= 2 && cells[0].trim() === '';
        continue;
      }
    }
    if (cols < 0) { cols = cells.length; refLine = startLine; }
    if (cells.length !== cols) {
      throw new InputError(`line ${startLine} has ${cells.length} column${cells.length === 1 ? '' : 's'}, expected ${cols} (as in line ${refLine})`, name);
    }
    let max = 0, tiny = 0;
    for (let j = 0; j < cols; j++) {
      const v = parseCell(cells[j]);
      if (typeof v !== 'number') failAt(startLine, j + 1, v.msg);
      values.push(v as number);
      const a = Math.abs(v as number);
      if (a > max) max = a;
      if (a < F32_MIN_NORMAL && a > tiny) tiny = a;
    }
    if (rowUnderflows(max, tiny)) {
      const hit = rowUnderflow((j) => parseCell(cells[j]) as number, cols)!;
      failAt(startLine, hit.col + 1, `${quote(cells[hit.col].trim())} ${underflowReason(hit.rowMax)}`);
    }
    rows++;
  }
  if (rows === 0) {
    throw new InputError(cols > 0 ? 'has a header but no data rows' : 'empty file (no rows)', name);
  }
  const data = values.finish();
  const indexColumn = indexCandidate ? indexColumnChoice(data, rows, cols, name, o.indexColumn) : null;
  if (indexColumn === 'dropped') return { data: dropFirstColumn(data, rows, cols), rows, cols: cols - 1, table: { header, indexColumn } };
  return { data, rows, cols, table: { header, indexColumn } };
}

/** Cells that stand for a missing value: neither a number nor a column name. */
const MISSING_WORD = /^(n\/?a|null|none|nil|missing|-|\?|\.)$/i;

type CellKind = 'number' | 'missing' | 'name';

function cellKind(raw: string): CellKind {
  const s = raw.trim();
  if (s === '' || MISSING_WORD.test(s)) return 'missing';
  return isNumericCell(s) ? 'number' : 'name';
}

/** Whether `cells` (from `from` on) read exactly "0", "1", "2", …: pandas' default column names. */
function countsFromZero(cells: readonly string[], from: number): boolean {
  for (let j = from; j < cells.length; j++) if (cells[j].trim() !== String(j - from)) return false;
  return cells.length > from;
}

const SAY_HEADER = 'say which (header: true or false; --header or --no-header on the command line)';
const SAY_IS_HEADER = 'say so (header: true; --header on the command line)';

/**
 * Whether line 1 (`cells`) is a header, by a rule that cannot take a data row for one: a header
 * has no numeric cell and a name in every cell (an empty first cell is pandas' index-column
 * header, `,a,b`), or it is pandas' default column names, "0,1,…,d−1" (d ≥ 3: a sample of exactly
 * the consecutive integers 0, 1, 2, … is implausible) or ",0,1,…" (the empty cell rules out data).
 * A row of numbers only is data, except "0" and "0,1", which are as likely one as the other and
 * refused. Anything else (numbers beside text or missing values) is an error naming the cell.
 */
function headerRule(cells: readonly string[], name: string): boolean {
  const d = cells.length;
  const kinds = cells.map(cellKind);
  const indexHeader = d >= 2 && cells[0].trim() === '';
  if (kinds.every((k) => k === 'name')) return true;
  if (countsFromZero(cells, 0)) {
    if (d >= 3) return true;
    throw new InputError(`line 1 is ${quote(cells.join(','))}: pandas' column names or a sample? ${SAY_HEADER}`, name);
  }
  if (indexHeader && (kinds.slice(1).every((k) => k === 'name') || countsFromZero(cells, 1))) return true;
  if (kinds.every((k) => k === 'number')) return false;
  const fail = (j: number, msg: string): never => {
    throw new InputError(`line 1, column ${j + 1}: ${msg}`, name);
  };
  if (kinds.includes('number')) {
    // Mostly data, most likely: the cell is the problem, as it would be on any other line.
    const j = kinds.findIndex((k) => k !== 'number');
    const v = parseCell(cells[j]);
    const why = typeof v === 'number' ? 'not a number' : v.msg;
    fail(j, `${why}; line 1 is not a header either (a header has no numeric cell): fix the cell, or if line 1 is a header, ${SAY_IS_HEADER}`);
  }
  const j = kinds.indexOf('missing');
  const cell = cells[j].trim();
  fail(j, `${cell === '' ? 'empty cell' : `${quote(cell)} (a missing value)`} in what looks like a header, which needs a name in every column; if it is one, ${SAY_IS_HEADER}`);
  return false;
}

/**
 * A first column under an empty header cell, as pandas' `df.to_csv()` writes the row index:
 * refused when it holds only whole numbers (0, 1, …, n−1 or a filtered index) and `choice` is
 * not given, since reading it as a feature silently changes every result.
 */
function indexColumnChoice(data: Float32Array, rows: number, cols: number, name: string, choice: 'drop' | 'keep' | undefined): 'dropped' | 'kept' | null {
  if (choice === 'drop') return 'dropped';
  if (choice === 'keep') return 'kept';
  let counts = true, whole = true;
  for (let r = 0; r < rows && whole; r++) {
    const v = data[r * cols];
    if (v !== r) counts = false;
    if (!Number.isInteger(v)) whole = false;
  }
  if (!whole) return null;
  const what = counts ? `holds 0, 1, …, ${rows - 1}: a row index, as pandas' to_csv() writes,` : 'holds only whole numbers, like a row index,';
  throw new InputError(`column 1 has an empty header cell and ${what} not a feature; say whether to drop or keep it (indexColumn: 'drop' or 'keep'; --index-col drop|keep on the command line)`, name);
}

function dropFirstColumn(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * (cols - 1));
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * cols + 1, (r + 1) * cols), r * (cols - 1));
  return out;
}

/**
 * Parse one record of exactly `cols` plain numeric cells (digits, sign, '.', exponent; no
 * spaces, quotes or other text) starting at `pos`, push the values and return the position
 * after its line break. Returns -1, pushing nothing, for anything else: the general parser
 * then reads the record and reports any problem.
 */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

function fastRecord(text: string, pos: number, dcode: number, cols: number, values: Values): number {
  const n = text.length;
  const mark = values.length;
  let p = pos;
  let max = 0, tiny = 0;
  for (let j = 0; j < cols; j++) {
    const start = p;
    // Clinger's fast path: ≤ 15 significant digits and a decimal exponent within ±22 give
    // m·10^e or m/10^-e with both operands exact, one correctly rounded operation, i.e. the
    // same double as Number(). Anything else goes through Number().
    let neg = false;
    let c = text.charCodeAt(p);
    if (c === 45 || c === 43) { neg = c === 45; c = text.charCodeAt(++p); }
    let m = 0, digits = 0, e = 0, any = false;
    while (c >= 48 && c <= 57) {
      any = true;
      if (digits > 0 || c !== 48) { m = m * 10 + (c - 48); digits++; }
      c = text.charCodeAt(++p);
    }
    if (c === 46) {
      c = text.charCodeAt(++p);
      while (c >= 48 && c <= 57) {
        any = true;
        if (digits > 0 || c !== 48) { m = m * 10 + (c - 48); digits++; }
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
    if (!(a <= F32_MAX)) { values.length = mark; return -1; } // NaN, ±Inf, too large
    values.push(v);
    if (a > max) max = a;
    if (a < F32_MIN_NORMAL && a > tiny) tiny = a;
    c = p < n ? text.charCodeAt(p) : 10;
    if (j < cols - 1) {
      if (c !== dcode) { values.length = mark; return -1; }
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

// ---------------------------------------------------------------------------------------
// JSON

/** A strict scanner for arrays of numbers in JSON text. */
class JsonScanner {
  pos = 0;
  constructor(readonly s: string, readonly name: string, readonly lineBase: number) {}

  ws(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  where(): string {
    let line = this.lineBase, col = 1;
    for (let k = 0; k < this.pos && k < this.s.length; k++) {
      if (this.s.charCodeAt(k) === 10) { line++; col = 1; } else col++;
    }
    return `line ${line}, character ${col}`;
  }

  fail(msg: string): never {
    throw new InputError(msg, this.name);
  }

  syntax(msg: string): never {
    this.fail(`invalid JSON at ${this.where()}: ${msg}`);
  }

  /** What the token at pos is, for messages. */
  tokenKind(): string {
    const c = this.s[this.pos];
    if (c === undefined) return 'the end of the text';
    if (c === '"') return 'a string';
    if (c === '{') return 'an object';
    if (c === '[') return 'an array';
    if (this.s.startsWith('null', this.pos)) return 'null';
    if (this.s.startsWith('true', this.pos) || this.s.startsWith('false', this.pos)) return 'a boolean';
    return `'${c}'`;
  }

  /** A number at pos, or an error message naming what is there instead. */
  number(): number | string {
    const s = this.s;
    const start = this.pos;
    let e = start;
    while (e < s.length) {
      const c = s.charCodeAt(e);
      if ((c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 101 || c === 69) e++;
      else break;
    }
    if (e === start || /^[A-Za-z]/.test(s[e] ?? '')) {
      const m = /^-?(NaN|Infinity|inf|nan)/i.exec(s.slice(start, start + 12));
      if (m) return `${m[0]} is not allowed (values must be finite)`;
      return `expected a number, found ${this.tokenKind()}`;
    }
    if (e - start > MAX_CELL_CHARS) return `number has ${e - start} characters, more than ${MAX_CELL_CHARS}: ${quote(s.slice(start, start + 100))}`;
    const tok = s.slice(start, e);
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(tok)) {
      return `${quote(tok)} is not a valid JSON number`;
    }
    const v = Number(tok);
    if (!Number.isFinite(v) || Math.abs(v) > F32_MAX) return `${quote(tok)} is out of float32 range (|x| > 3.4028235e38)`;
    this.pos = e;
    return v;
  }

  /** Parse '[' n1, n2, ... ']' at pos into values; returns the count. */
  row(values: Values, rowNo: number, what: string): number {
    this.ws();
    if (this.s[this.pos] !== '[') this.fail(`${what} ${rowNo}: expected an array of numbers, found ${this.tokenKind()}`);
    this.pos++;
    const start = this.pos;
    this.ws();
    let count = 0;
    let max = 0, tiny = 0;
    if (this.s[this.pos] === ']') { this.pos++; return 0; }
    for (;;) {
      this.ws();
      const v = this.number();
      if (typeof v === 'string') this.fail(`${what} ${rowNo}, column ${count + 1}: ${v}`);
      values.push(v as number);
      const a = Math.abs(v as number);
      if (a > max) max = a;
      if (a < F32_MIN_NORMAL && a > tiny) tiny = a;
      count++;
      this.ws();
      const c = this.s[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === ']') {
        this.pos++;
        if (rowUnderflows(max, tiny)) this.underflow(start, count, `${what} ${rowNo}`);
        return count;
      }
      this.syntax(`expected ',' or ']' after ${what} ${rowNo}, column ${count}`);
    }
  }

  /** Names the cell of the row starting at `start` (just after its '[') that underflows float32 (rare: the row is read again). */
  underflow(start: number, count: number, where: string): never {
    this.pos = start;
    const tokens: string[] = [];
    for (let j = 0; j < count; j++) {
      this.ws();
      const p0 = this.pos;
      this.number();
      tokens.push(this.s.slice(p0, this.pos));
      this.ws();
      this.pos++; // ',' or ']'
    }
    const hit = rowUnderflow((j) => Number(tokens[j]), count)!;
    this.fail(`${where}, column ${hit.col + 1}: ${quote(tokens[hit.col])} ${underflowReason(hit.rowMax)}`);
  }
}

function checkCount(name: string, what: string, rowNo: number, got: number, cols: number): void {
  if (got === 0) throw new InputError(`${what} ${rowNo} is empty`, name);
  if (got !== cols) {
    throw new InputError(`${what} ${rowNo} has ${got} values, expected ${cols} (as in ${what} 1)`, name);
  }
}

/**
 * Parse a JSON array of rows (`[[1, 2], [3, 4]]`); a flat array of numbers is read as n × 1.
 * Rows and columns in messages are 1-based positions in the array.
 */
export function parseJsonMatrix(text: string, name: string): F32Matrix {
  text = stripBom(text);
  const sc = new JsonScanner(text, name, 1);
  sc.ws();
  if (sc.pos >= text.length) throw new InputError('empty file (no JSON array)', name);
  if (text[sc.pos] !== '[') sc.fail(`expected a JSON array of rows ([[...], [...]]), found ${sc.tokenKind()}`);
  sc.pos++;
  sc.ws();
  const values = new Values();
  let rows = 0, cols = -1;
  if (text[sc.pos] === ']') throw new InputError('the JSON array is empty (no rows)', name);
  const flat = text[sc.pos] !== '[';
  for (;;) {
    sc.ws();
    if (flat) {
      const p0 = sc.pos;
      const v = sc.number();
      if (typeof v === 'string') sc.fail(`row ${rows + 1}: ${v}${v.startsWith('expected') ? ' (rows must all be numbers or all be arrays)' : ''}`);
      // each value is its own row: a non-zero one under float32's normal range is all of it
      if (rowUnderflows(Math.abs(v as number), Math.abs(v as number) < F32_MIN_NORMAL ? Math.abs(v as number) : 0)) {
        sc.fail(`row ${rows + 1}: ${quote(text.slice(p0, sc.pos))} ${underflowReason(Math.abs(v as number))}`);
      }
      values.push(v as number);
      cols = 1;
    } else {
      const got = sc.row(values, rows + 1, 'row');
      if (cols < 0) cols = got;
      checkCount(name, 'row', rows + 1, got, cols);
    }
    rows++;
    sc.ws();
    const c = text[sc.pos];
    if (c === ',') { sc.pos++; continue; }
    if (c === ']') { sc.pos++; break; }
    sc.syntax(`expected ',' or ']' after row ${rows}`);
  }
  sc.ws();
  if (sc.pos !== text.length) sc.syntax('unexpected text after the array');
  return { data: values.finish(), rows, cols };
}

/** Parse JSON Lines: one array of numbers per line; blank trailing lines are fine. */
export function parseJsonl(text: string, name: string): F32Matrix {
  text = stripBom(text);
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new InputError('empty file (no rows)', name);
  const values = new Values();
  let cols = -1;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (line.trim() === '') throw new InputError(`line ${k + 1}: blank line between rows (every line needs an array)`, name);
    const sc = new JsonScanner(line, name, k + 1);
    const got = sc.row(values, k + 1, 'line');
    if (cols < 0) cols = got;
    checkCount(name, 'line', k + 1, got, cols);
    sc.ws();
    if (sc.pos !== line.length) sc.syntax('unexpected text after the array (one array per line)');
  }
  return { data: values.finish(), rows: lines.length, cols };
}

/**
 * Parse a labels file: one label per line (a trailing newline is fine, CRLF ok), or a JSON
 * array of strings/numbers (`["cat", "dog", 3]`). A file ending in .json, or whose text
 * starts with '[' and parses as a JSON array, is read as JSON; otherwise as lines.
 */
export function parseLabels(text: string, name: string, expectedCount?: number): string[] {
  text = stripBom(text);
  const json = jsonLabels(text, name);
  if (json) {
    if (expectedCount !== undefined && json.length !== expectedCount) {
      throw new InputError(`has ${json.length} label${json.length === 1 ? '' : 's'} (JSON array entries), expected ${expectedCount} (one per row)`, name);
    }
    return json;
  }
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (expectedCount !== undefined && lines.length !== expectedCount) {
    throw new InputError(
      `has ${lines.length} label${lines.length === 1 ? '' : 's'} (lines), expected ${expectedCount} (one per row)`,
      name,
    );
  }
  return lines;
}

/** The labels of a JSON-array labels file, or undefined when the text is one label per line. */
function jsonLabels(text: string, name: string): string[] | undefined {
  const isJsonName = /\.json$/i.test(name);
  const t = text.trimStart();
  if (!isJsonName && !t.startsWith('[')) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    // A line-per-label file may well start with '[' ("[cat]"): only a .json name insists.
    if (!isJsonName) return undefined;
    throw new InputError(`is not valid JSON: ${(e as Error).message.slice(0, 120)}`, name);
  }
  if (!Array.isArray(v)) {
    if (!isJsonName) return undefined;
    throw new InputError('must hold a JSON array of labels (["a", "b", ...])', name);
  }
  return v.map((x, k) => {
    if (typeof x === 'string') return x;
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    throw new InputError(`label ${k + 1} (1-based) is ${x === null ? 'null' : Array.isArray(x) ? 'an array' : 'an object'}; labels must be strings or numbers`, name);
  });
}

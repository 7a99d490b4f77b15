// JSON matrix readers: an array of arrays, JSON Lines (one array per line), and
// the labels files (a JSON array of strings, or one label per line). Every value
// must be a finite number; errors name the 1-based row and column.
import { InputError } from '../errors.js';
import type { F32Matrix } from './npy.js';
import { quoteInput as quote } from './quote.js';
import { F32_MAX, F32_MIN_NORMAL, rowUnderflow, rowUnderflows, underflowReason } from './f32-range.js';
import { MAX_CELL_CHARS, stripBom, Values } from './text-cells.js';

/** A strict scanner for arrays of numbers in JSON text. */
class JsonScanner {
  pos = 0;
  constructor(
    readonly s: string,
    readonly name: string,
    readonly lineBase: number,
  ) {}

  ws(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  where(): string {
    let line = this.lineBase,
      col = 1;
    for (let k = 0; k < this.pos && k < this.s.length; k++) {
      if (this.s.charCodeAt(k) === 10) {
        line++;
        col = 1;
      } else col++;
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
    let max = 0,
      tiny = 0;
    if (this.s[this.pos] === ']') {
      this.pos++;
      return 0;
    }
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
      if (c === ',') {
        this.pos++;
        continue;
      }
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
  let rows = 0,
    cols = -1;
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
    if (c === ',') {
      sc.pos++;
      continue;
    }
    if (c === ']') {
      sc.pos++;
      break;
    }
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
    throw new InputError(`has ${lines.length} label${lines.length === 1 ? '' : 's'} (lines), expected ${expectedCount} (one per row)`, name);
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
    throw new InputError(
      `label ${k + 1} (1-based) is ${x === null ? 'null' : Array.isArray(x) ? 'an array' : 'an object'}; labels must be strings or numbers`,
      name,
    );
  });
}

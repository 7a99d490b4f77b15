// The CSV/TSV reader. Pure functions over strings, usable in every runtime. Every
// value must be a finite number; errors name the 1-based row (the line, as a user
// sees the file) and column. Cells: text-cells.ts; line 1 and a row-index column:
// csv-header.ts; the JSON readers: text-json.ts.
import { InputError } from '../errors.js';
import type { F32Matrix } from './npy.js';
import { quoteInput as quote } from './quote.js';
import { F32_MIN_NORMAL, rowUnderflow, rowUnderflows, underflowReason } from './f32-range.js';
import { cellTooLong, fastRecord, MAX_CELL_CHARS, parseCell, stripBom, Values } from './text-cells.js';
import { dropFirstColumn, headerRule, indexColumnChoice } from './csv-header.js';

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
      if (p >= n) {
        cells.push(cell);
        break;
      }
      const c = text.charCodeAt(p);
      if (c === 34 /* " */ && cell.trim() === '') {
        // quoted cell
        p++;
        let q = '';
        for (;;) {
          if (p >= n) fail(startLine, 'unterminated quoted cell');
          const d = text.charCodeAt(p);
          if (d === 34) {
            if (text.charCodeAt(p + 1) === 34) {
              q += '"';
              p += 2;
              continue;
            }
            p++;
            break;
          }
          if (d === 10) line++;
          q += text[p++];
          if (q.length > MAX_CELL_CHARS)
            fail(startLine, `a quoted cell runs past ${MAX_CELL_CHARS} characters, more than a value or column name may have: ${quote(q)}`);
        }
        // only spaces may follow the closing quote
        while (p < n && text.charCodeAt(p) === 32) p++;
        const e = text.charCodeAt(p);
        if (p < n && e !== dcode && e !== 10 && e !== 13) {
          fail(startLine, 'unexpected text after a closing quote');
        }
        cell = q;
        continue;
      }
      if (c === dcode) {
        cells.push(cell);
        cell = '';
        p++;
        continue;
      }
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
    if (cols < 0) {
      cols = cells.length;
      refLine = startLine;
    }
    if (cells.length !== cols) {
      throw new InputError(`line ${startLine} has ${cells.length} column${cells.length === 1 ? '' : 's'}, expected ${cols} (as in line ${refLine})`, name);
    }
    let max = 0,
      tiny = 0;
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

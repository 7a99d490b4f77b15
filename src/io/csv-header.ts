// Line 1 of a delimited file and its first column: whether line 1 is a header
// (a rule that cannot take a data row for one, refusing what it cannot tell) and
// whether a first column under an empty header cell is pandas' row index.
import { InputError } from '../errors.js';
import { quoteInput as quote } from './quote.js';
import { isNumericCell, parseCell } from './text-cells.js';

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
export function headerRule(cells: readonly string[], name: string): boolean {
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
  fail(
    j,
    `${cell === '' ? 'empty cell' : `${quote(cell)} (a missing value)`} in what looks like a header, which needs a name in every column; if it is one, ${SAY_IS_HEADER}`,
  );
  return false;
}

/**
 * A first column under an empty header cell, as pandas' `df.to_csv()` writes the row index:
 * refused when it holds only whole numbers (0, 1, …, n−1 or a filtered index) and `choice` is
 * not given, since reading it as a feature silently changes every result.
 */
export function indexColumnChoice(
  data: Float32Array,
  rows: number,
  cols: number,
  name: string,
  choice: 'drop' | 'keep' | undefined,
): 'dropped' | 'kept' | null {
  if (choice === 'drop') return 'dropped';
  if (choice === 'keep') return 'kept';
  let counts = true,
    whole = true;
  for (let r = 0; r < rows && whole; r++) {
    const v = data[r * cols];
    if (v !== r) counts = false;
    if (!Number.isInteger(v)) whole = false;
  }
  if (!whole) return null;
  const what = counts ? `holds 0, 1, …, ${rows - 1}: a row index, as pandas' to_csv() writes,` : 'holds only whole numbers, like a row index,';
  throw new InputError(
    `column 1 has an empty header cell and ${what} not a feature; say whether to drop or keep it (indexColumn: 'drop' or 'keep'; --index-col drop|keep on the command line)`,
    name,
  );
}

export function dropFirstColumn(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * (cols - 1));
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * cols + 1, (r + 1) * cols), r * (cols - 1));
  return out;
}

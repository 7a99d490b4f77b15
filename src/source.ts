// Row sources: the one interface compare() reads data through, so in-memory
// matrices and files streamed from disk take the same code path.
import type { Matrix } from './types.js';
import { sampleIndices } from './wasm/rng.js';
import { SIGMA_SAMPLE_ROWS } from './sigma.js';

/** Paired-row data read in chunks. `read` returns rows [start, start+count) row-major. */
export interface RowSource {
  rows: number;
  cols: number;
  /** Name used in error messages (a file name, or 'X'/'Y'). */
  name: string;
  read(start: number, count: number): Float32Array | Float64Array;
}

export function matrixSource(m: Matrix, name: string): RowSource {
  return {
    rows: m.rows,
    cols: m.cols,
    name,
    read: (start, count) => m.data.subarray(start * m.cols, (start + count) * m.cols),
  };
}

/** Reads a whole source into memory. */
export function readAll(s: RowSource): Matrix {
  return { data: s.read(0, s.rows), rows: s.rows, cols: s.cols };
}

/** The seeded σ-auto sample (≤ 1000 rows) of a source, read row by row. */
export function sampleRows(s: RowSource, seed: number): Matrix {
  const idx = sampleIndices(s.rows, SIGMA_SAMPLE_ROWS, seed);
  const data = new Float32Array(idx.length * s.cols);
  idx.forEach((r, i) => data.set(s.read(r, 1), i * s.cols));
  return { data, rows: idx.length, cols: s.cols };
}

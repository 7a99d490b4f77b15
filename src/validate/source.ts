// Row sources: the one interface compare() and finc() read data through, so in-memory
// matrices and files streamed from disk take the same code path. A source carries
// the name every message about its rows uses (a file name, or 'X'/'Y').
import type { Matrix } from '../types/index.js';
import { sampleIndices } from '../wasm/rng.js';
import { checkFinite } from './checks.js';

/** Rows read in chunks. `read` returns rows [start, start+count) row-major. */
export interface RowSource {
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
  /** Name used in error messages (a file name, or 'X'/'Y'). */
  name: string;
  /** Rows [start, start + count), row-major. */
  read(start: number, count: number): Float32Array | Float64Array;
  /**
   * The same rows written into `out` (returned, trimmed to count × cols), for sources
   * that can fill a caller's buffer directly: a file read straight into a buffer that
   * is then transferred to a worker costs no copy.
   */
  readInto?(start: number, count: number, out: Float32Array): Float32Array;
}

/** Rows in a seeded sample (σ = 'auto', the linear kernel's scale). */
export const SAMPLE_ROWS = 1000;

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

/**
 * A seeded sample of ≤ `size` (default SAMPLE_ROWS) rows of `sources` pooled (row indices run
 * through the first source, then the next), drawn once, as f32. Each row is
 * checked finite under its own source's name and row number.
 */
export function sampleRows(sources: RowSource[], seed: number, size = SAMPLE_ROWS): Matrix {
  const cols = sources[0].cols;
  const total = sources.reduce((s, src) => s + src.rows, 0);
  const idx = sampleIndices(total, size, seed);
  const data = new Float32Array(idx.length * cols);
  idx.forEach((r, i) => {
    let s = 0;
    while (r >= sources[s].rows) r -= sources[s++].rows;
    const row = sources[s].read(r, 1);
    checkFinite({ data: row, rows: 1, cols }, sources[s].name, r);
    data.set(row, i * cols);
  });
  return { data, rows: idx.length, cols };
}

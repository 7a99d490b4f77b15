// The NumPy fixture of the sharded-route suites (scripts/fixtures/shards.py):
// X (2048 × 12), Y (2048 × 8) and row sources over shards of them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNpy } from '../../../../src/io/npy.js';
import { matrixSource, type RowSource } from '../../../../src/validate/source.js';
import type { Matrix } from '../../../../src/types/index.js';

const DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'shards');

export const X = parseNpy(new Uint8Array(readFileSync(join(DIR, 'x.npy'))), 'x.npy');
export const Y = parseNpy(new Uint8Array(readFileSync(join(DIR, 'y.npy'))), 'y.npy');
export const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));

/** Rows [a, b) of m, as a source named `name`. */
export function rowsOf(m: Matrix, a: number, b: number, name: string): RowSource {
  return matrixSource({ data: m.data.subarray(a * m.cols, b * m.cols), rows: b - a, cols: m.cols }, name);
}

/** Shard s of 4 (512 rows each) of X and Y. */
export function shard(s: number): { x: RowSource; y: RowSource } {
  return { x: rowsOf(X, 512 * s, 512 * (s + 1), `x-${s}`), y: rowsOf(Y, 512 * s, 512 * (s + 1), `y-${s}`) };
}

export const COSINE = { task: 'compare' as const, kernelX: 'cosine' as const, kernelY: 'cosine' as const };

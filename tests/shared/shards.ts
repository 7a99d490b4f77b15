// A planted set and its shards, for the suites of the sharded covariance route
// (tests/cli/shards.test.ts, tests/scale/): 8 shards of 1024 rows as .npy files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from './rng.mjs';

export const SHARDS = 8,
  ROWS = 1024;

export function npyBytes(data: Float32Array, rows: number, cols: number): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 11, ' ') + '\n';
  const b = Buffer.alloc(total + 4 * data.length);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(b);
  b.writeUInt16LE(header.length, 8);
  b.write(header, 10, 'latin1');
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(b, total);
  return b;
}

/** A planted set: 4 clusters in X; Y merges clusters 0 and 1 (a mode of side x), with noise. */
export function planted(n: number, seed: number): { X: Float32Array; Y: Float32Array; dx: number; dy: number } {
  const r = mulberry32(seed),
    dx = 16,
    dy = 12;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const cx = Array.from({ length: 4 }, () => Array.from({ length: dx }, () => 3 * gauss()));
  const cy = Array.from({ length: 4 }, () => Array.from({ length: dy }, () => 3 * gauss()));
  const X = new Float32Array(n * dx),
    Y = new Float32Array(n * dy);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * 4),
      cyI = c === 1 ? 0 : c;
    for (let j = 0; j < dx; j++) X[i * dx + j] = cx[c][j] + gauss();
    for (let j = 0; j < dy; j++) Y[i * dy + j] = cy[cyI][j] + gauss();
  }
  return { X, Y, dx, dy };
}

/** Writes the whole set and its shards (x-0.npy, y-0.npy, ...) into `dir`. */
export function writeSet(dir: string, seed: number) {
  const n = SHARDS * ROWS;
  const { X, Y, dx, dy } = planted(n, seed);
  writeFileSync(join(dir, 'X.npy'), npyBytes(X, n, dx));
  writeFileSync(join(dir, 'Y.npy'), npyBytes(Y, n, dy));
  for (let s = 0; s < SHARDS; s++) {
    writeFileSync(join(dir, `x-${s}.npy`), npyBytes(X.subarray(s * ROWS * dx, (s + 1) * ROWS * dx), ROWS, dx));
    writeFileSync(join(dir, `y-${s}.npy`), npyBytes(Y.subarray(s * ROWS * dy, (s + 1) * ROWS * dy), ROWS, dy));
  }
  return { X, Y, dx, dy, n };
}

// A NaN/Inf in a .npy file streamed by openNpyStream (the CLI's compare/finc
// path) is found by the consumers of its rows — the wasm feature kernels on the
// covariance route, in process or on workers, and checkFinite on the exact
// route — and every message names the file and the real 1-based row and column.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareSources, fincSources, terminateWorkers } from '../../dist/index.js';
import { openNpyStream } from '../../src/io/node-file.js';

const dir = mkdtempSync(join(tmpdir(), 'spec-embed-stream-'));
after(() => {
  terminateWorkers();
  rmSync(dir, { recursive: true, force: true });
});

/** A C-order little-endian float32 .npy (NumPy format 1.0). */
function writeNpy(path: string, data: Float32Array, rows: number, cols: number): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const pre = new Uint8Array(10);
  pre.set([0x93, ...Buffer.from('NUMPY'), 1, 0]);
  new DataView(pre.buffer).setUint16(8, header.length, true);
  writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]));
}

function file(name: string, rows: number, cols: number, bad?: { row: number; col: number; value: number }): string {
  const data = new Float32Array(rows * cols);
  let s = rows * 7 + cols;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  if (bad) data[bad.row * cols + bad.col] = bad.value;
  const path = join(dir, name);
  writeNpy(path, data, rows, cols);
  return path;
}

/** A row source over a streamed file, named by its path as the CLI names it. */
function source(path: string) {
  const s = openNpyStream(path);
  return { rows: s.rows, cols: s.cols, name: path, read: (a: number, n: number) => s.readRows(a, n), close: () => s.close() };
}

// Row 9001 (1-based) lies beyond the first READ_ROWS = 8192 chunk and inside a worker's second range.
const N = 9500,
  BAD = { row: 9000, col: 4 };
// The exact route holds two n × n f64 matrices: a smaller file there.
const SMALL = 1500,
  BAD_SMALL = { row: 1200, col: 4 };

for (const value of [NaN, -Infinity]) {
  for (const [label, opts] of [
    ['covariance, in process', { kernel: 'cosine', method: 'covariance', threads: 1 }],
    ['covariance, on workers', { kernel: 'cosine', method: 'covariance', threads: 2 }],
    ['covariance, Gaussian RFF', { kernel: { type: 'gaussian', sigma: 1, rffDim: 16 }, method: 'covariance', threads: 1 }],
    ['exact', { kernel: 'linear', method: 'exact', threads: 1 }],
  ] as const) {
    test(`compare: ${value} in a streamed .npy is named by file, row and column (${label})`, async () => {
      const [n, at] = label === 'exact' ? [SMALL, BAD_SMALL] : [N, BAD];
      const bad = file(`x_${value}_${n}.npy`, n, 12, { ...at, value }),
        clean = file(`y_${n}.npy`, n, 8);
      const expected = `${bad}: non-finite value ${value} at row ${at.row + 1}, column ${at.col + 1} (1-based)`;
      const sx = source(bad),
        sy = source(clean);
      try {
        await assert.rejects(compareSources(sx, sy, opts as any), (e: any) => e.name === 'InputError' && e.message === expected);
      } finally {
        sx.close();
        sy.close();
      }
    });
  }
}

test('finc: a NaN in the second streamed set is named by file, row and column (workers)', async () => {
  const x = file('fx.npy', N, 12),
    y = file('fy.npy', N, 12, { ...BAD, value: NaN });
  const sx = source(x),
    sy = source(y);
  try {
    await assert.rejects(
      fincSources(sx, sy, { kernel: 'cosine', threads: 2 } as any),
      (e: any) => e.name === 'InputError' && e.message === `${y}: non-finite value NaN at row ${BAD.row + 1}, column ${BAD.col + 1} (1-based)`,
    );
  } finally {
    sx.close();
    sy.close();
  }
});

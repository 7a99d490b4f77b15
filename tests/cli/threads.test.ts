// --threads in the CLI: a real worker count, identical output to one thread, and
// a run that fails inside a worker exits with code 2, promptly, naming file and row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, expectUsageError, PROGRESS_LINE, ROOT } from './helpers.js';
import { parseNpy } from '../../dist/io.js';
import { readFileSync } from 'node:fs';

const fix = (name: string) => join(ROOT, 'tests', 'fixtures', 'parallel', name);

function npyBytes(data: Float32Array, rows: number, cols: number): Buffer {
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

const ARGS = ['--kernel-x', 'cosine', '--kernel-y', 'linear', '--method', 'covariance', '--top', '3', '--json'];

/** Deep equality with numbers equal to 1e-12 relative: threads change only the summation order. */
function closeTo(a: any, b: any, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)) + 1e-300, `${path}: ${a} vs ${b}`);
  } else if (a && typeof a === 'object') {
    assert.deepEqual(Object.keys(a), Object.keys(b), path);
    for (const k of Object.keys(a)) closeTo(a[k], b[k], `${path}.${k}`);
  } else assert.equal(a, b, path);
}

test('compare/finc --threads 2 print the same JSON as --threads 1 (timings aside; numbers to 1e-12)', () => {
  const strip = (s: string) => {
    const o = JSON.parse(s);
    delete o.timings;
    // the cost model's reason names the thread count
    delete o.solverReason;
    return o;
  };
  const one = cli(['compare', fix('compare_x.npy'), fix('compare_y.npy'), ...ARGS, '--threads', '1']);
  const two = cli(['compare', fix('compare_x.npy'), fix('compare_y.npy'), ...ARGS, '--threads', '2']);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  closeTo(strip(two.stdout), strip(one.stdout));
  const f1 = cli(['finc', fix('finc_x.npy'), fix('finc_y.npy'), '--method', 'covariance', '--json', '--threads', '1']);
  const f2 = cli(['finc', fix('finc_x.npy'), fix('finc_y.npy'), '--method', 'covariance', '--json', '--threads', '2']);
  assert.equal(f2.code, 0, f2.stderr);
  closeTo(strip(f2.stdout), strip(f1.stdout));
});

test('a run failing inside a worker exits 2, naming the file and the row', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-threads-'));
  try {
    const X = parseNpy(new Uint8Array(readFileSync(fix('compare_x.npy'))), 'x');
    const data = X.data.slice();
    // A zero row under the cosine kernel: the reader passes it, the second worker's feature map refuses it.
    data.fill(0, 2950 * X.cols, 2951 * X.cols);
    const bad = join(dir, 'bad.npy');
    writeFileSync(bad, npyBytes(data, X.rows, X.cols));
    copyFileSync(fix('compare_y.npy'), join(dir, 'y.npy'));
    const r = cli(['compare', bad, join(dir, 'y.npy'), ...ARGS, '--threads', '2']);
    // the process exits by itself (cli() waits for the exit): idle workers do not hold it
    expectUsageError(assert, r, /bad\.npy/, /row 2951\b/, /zero/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The one error line of a failing run (exit 2). */
function errorLine(r: ReturnType<typeof cli>): string {
  expectUsageError(assert, r);
  return r.stderr.split('\n').filter((l) => l !== '' && !PROGRESS_LINE.test(l))[0];
}

test('--threads 2 names the first bad row, as --threads 1 does (not the row of the worker that answered first)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-threads-'));
  try {
    // 16384 rows: worker 0 takes rows 1..8192, worker 1 rows 8193..; a bad row at each side of the split.
    const n = 16384,
      d = 8,
      split = 8192;
    const make = (seed: number) => Float32Array.from({ length: n * d }, (_, i) => Math.sin(seed * 1e4 + i * 0.7) + 1.5);
    const write = (name: string, data: Float32Array) => {
      const p = join(dir, name);
      writeFileSync(p, npyBytes(data, n, d));
      return p;
    };
    const x = make(1),
      y = make(2);
    const zx = x.slice();
    zx.fill(0, (split - 1) * d, (split + 1) * d);
    const ny = y.slice();
    ny[(split - 1) * d + 4] = NaN;
    ny[split * d + 1] = NaN;
    const X = write('x.npy', x),
      Y = write('y.npy', y),
      ZX = write('zx.npy', zx),
      NY = write('ny.npy', ny);
    const cases: [string[], RegExp][] = [
      [['compare', ZX, Y, '--kernel-x', 'cosine', '--method', 'covariance'], /zx\.npy\): row 8192 \(1-based\) is all zeros/],
      [['compare', X, NY, '--kernel-y', 'linear', '--method', 'covariance'], /ny\.npy\): .*row 8192, column 5\b/],
      [['finc', ZX, Y, '--kernel', 'cosine', '--method', 'covariance'], /zx\.npy\): row 8192 \(1-based\) is all zeros/],
      [['finc', X, NY, '--kernel', 'linear', '--method', 'covariance'], /ny\.npy\): .*row 8192, column 5\b/],
    ];
    for (const [args, want] of cases) {
      const one = errorLine(cli([...args, '--threads', '1']));
      assert.match(one, want, args.join(' '));
      assert.equal(errorLine(cli([...args, '--threads', '2'])), one, args.join(' '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--threads must be a positive integer ≤ 256', () => {
  expectUsageError(assert, cli(['compare', fix('compare_x.npy'), fix('compare_y.npy'), '--threads', '0']), /--threads must be an integer ≥ 1/);
  expectUsageError(assert, cli(['compare', fix('compare_x.npy'), fix('compare_y.npy'), '--threads', '300']), /threads must be an integer from 1 to 256/);
});

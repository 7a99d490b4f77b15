import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNpy } from '../../src/io/index.js';
import { openNpyStream, readLabels, readMatrixFile } from '../../src/io/node-file.js';
import { FIXTURES, expected, fixture, assertMatrix, assertInputError } from './io-helpers.js';

test('readMatrixFile reads every fixture format (.npy through the streaming reader)', () => {
  for (const [key, e] of Object.entries(expected)) {
    const [file, arr] = key.split(':');
    if (file === 'two.npz' || file === 'two_compressed.npz') {
      assertMatrix(readMatrixFile(FIXTURES + file, { key: arr }), e, key);
    } else {
      assertMatrix(readMatrixFile(FIXTURES + file), e, key);
    }
  }
});

test('readMatrixFile: missing, unreadable and malformed files are InputErrors naming the path', () => {
  const missing = join(FIXTURES, 'no-such-file.npy');
  assertInputError(() => readMatrixFile(missing), missing, /cannot read the file: no such file or directory/);
  const csvMissing = join(FIXTURES, 'no-such-file.csv');
  assertInputError(() => readMatrixFile(csvMissing), csvMissing, /cannot read the file/);
  const tmp = mkdtempSync(join(tmpdir(), 'spec-embed-io-'));
  const d = join(tmp, 'dir.csv');
  mkdirSync(d); // a directory named like a file
  assertInputError(() => readMatrixFile(d), d, /cannot read the file: is a directory/);
  for (const [name, re] of [
    ['bad_truncated.npy', /truncated .npy data/],
    ['bad_extra.npy', /does not match the shape/],
    ['bad_magic.npy', /bad magic/],
    ['empty.npy', /empty file/],
    ['bad_3d.npy', /3-D/],
    ['bad_nan.npy', /NaN at row 3, column 2/],
    ['bad_inf_f.npy', /-Infinity at row 4, column 3/],
    ['bad_overflow.npy', /row 2, column 1.*too large for float32/],
    ['bad_unicode.npy', /unsupported dtype/],
  ] as const) {
    assertInputError(() => readMatrixFile(FIXTURES + name), FIXTURES + name, re);
  }
  rmSync(tmp, { recursive: true, force: true });
});

test('readLabels: count must match', () => {
  assert.equal(readLabels(FIXTURES + 'labels.txt', 5).length, 5);
  assertInputError(() => readLabels(FIXTURES + 'labels.txt', 4), FIXTURES + 'labels.txt', /has 5 labels \(lines\), expected 4/);
  assertInputError(() => readLabels(FIXTURES + 'nope.txt', 4), FIXTURES + 'nope.txt', /cannot read the file/);
});

test('openNpyStream: chunks concatenated equal parseNpy, for C and Fortran order and every dtype', () => {
  const names = Object.keys(expected).filter((k) => k.endsWith('.npy'));
  for (const name of names) {
    const whole = parseNpy(fixture(name), name);
    for (const chunk of [1, 2, 3, 7]) {
      const s = openNpyStream(FIXTURES + name);
      assert.equal(s.rows, whole.rows);
      assert.equal(s.cols, whole.cols);
      const parts: number[] = [];
      for (let r = 0; r < s.rows; r += chunk) parts.push(...s.readRows(r, Math.min(chunk, s.rows - r)));
      s.close();
      assert.deepEqual(parts, [...whole.data], `${name} chunk ${chunk}`);
    }
  }
});

test('openNpyStream: out buffer, range checks, non-finite rows named in file coordinates', () => {
  const s = openNpyStream(FIXTURES + 'f8_be_f.npy');
  assert.equal(s.dtype, '>f8');
  assert.equal(s.fortranOrder, true);
  const out = new Float32Array(100);
  const got = s.readRows(2, 2, out);
  assert.equal(got.buffer, out.buffer);
  assert.deepEqual([...got], expected['f8_be_f.npy'].data.slice(6, 12));
  assert.equal(s.readRows(5, 0).length, 0);
  assert.throws(() => s.readRows(4, 2), RangeError);
  assert.throws(() => s.readRows(-1, 1), RangeError);
  s.close();
  s.close(); // idempotent
  assert.throws(() => s.readRows(0, 1), /after close/);

  const n = openNpyStream(FIXTURES + 'bad_nan.npy');
  n.readRows(0, 2); // rows before the NaN are fine
  assertInputError(() => n.readRows(2, 3), FIXTURES + 'bad_nan.npy', /NaN at row 3, column 2/);
  n.close();
  assertInputError(() => openNpyStream(FIXTURES + 'bad_truncated.npy'), FIXTURES + 'bad_truncated.npy', /truncated/);
  assertInputError(() => openNpyStream(FIXTURES + 'missing.npy'), FIXTURES + 'missing.npy', /cannot read the file/);
});

test('openNpyStream reads a 50 MB file in chunks without holding it in memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-io-'));
  const path = join(dir, 'big.npy');
  const rows = 65536, cols = 200; // 52 MB of float32
  try {
    const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
    const padded = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
    const pre = new Uint8Array(10);
    pre.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length & 255, padded.length >> 8]);
    const fd = openSync(path, 'w');
    writeSync(fd, pre);
    writeSync(fd, padded);
    const block = 4096; // rows per write
    const buf = new Float32Array(block * cols);
    for (let r0 = 0; r0 < rows; r0 += block) {
      for (let k = 0; k < buf.length; k++) buf[k] = ((r0 * cols + k) % 9973) - 4986;
      writeSync(fd, new Uint8Array(buf.buffer));
    }
    closeSync(fd);

    globalThis.gc?.();
    const base = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const s = openNpyStream(path);
    const chunk = 1000;
    const out = new Float32Array(chunk * cols);
    let checked = 0;
    for (let r = 0; r < rows; r += chunk) {
      const c = Math.min(chunk, rows - r);
      const part = s.readRows(r, c, out);
      const k = (r * 7) % (c * cols); // spot-check one value per chunk
      assert.equal(part[k], ((r * cols + k) % 9973) - 4986);
      checked++;
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
    }
    s.close();
    assert.equal(checked, Math.ceil(rows / chunk));
    assert.ok(peak < 16 * 2 ** 20, `array-buffer memory grew by ${(peak / 2 ** 20).toFixed(1)} MB for a 52 MB file`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeFileSync round-trip: a .npy written at run time by hand reads back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-io-'));
  try {
    const p = join(dir, 'x.npy');
    writeFileSync(p, fixture('v2_f8_f.npy'));
    assertMatrix(readMatrixFile(p), expected['v2_f8_f.npy'], 'copy');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

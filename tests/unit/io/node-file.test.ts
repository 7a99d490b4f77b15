import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNpy } from '../../../src/io/index.js';
import { openNpyStream, readLabels, readMatrixFile } from '../../../src/io/node-file.js';
import { FIXTURES, expected, fixture, assertMatrix, assertInputError } from './helpers.js';

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
  try {
    const d = join(tmp, 'dir.csv');
    mkdirSync(d); // a directory named like a file
    assertInputError(() => readMatrixFile(d), d, /cannot read the file: is a directory/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const [name, re] of [
    ['bad_truncated.npy', /truncated .npy data/],
    ['bad_extra.npy', /does not match the shape/],
    ['bad_magic.npy', /bad magic/],
    ['empty.npy', /empty file/],
    ['bad_3d.npy', /3-D/],
    ['bad_nan.npy', /NaN at row 3, column 2/],
    ['bad_inf_f.npy', /-Infinity at row 4, column 3/],
    ['bad_overflow.npy', /value 1e\+300 at row 2, column 1 \(1-based\) is out of float32 range/],
    ['bad_unicode.npy', /unsupported dtype/],
  ] as const) {
    assertInputError(() => readMatrixFile(FIXTURES + name), FIXTURES + name, re);
  }
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
  // NaN/Inf are left to the rows' consumers (tests/unit/routes/stream-errors.test.ts)
  assert.ok(Number.isNaN(n.readRows(2, 3)[1]));
  n.close();
  assertInputError(() => openNpyStream(FIXTURES + 'bad_truncated.npy'), FIXTURES + 'bad_truncated.npy', /truncated/);
  assertInputError(() => openNpyStream(FIXTURES + 'missing.npy'), FIXTURES + 'missing.npy', /cannot read the file/);
});

test('openNpyStream reads a 50 MB file in chunks without holding it in memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-io-'));
  const path = join(dir, 'big.npy');
  const rows = 65536,
    cols = 200; // 52 MB of float32
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

test('devices (/dev/zero, or a .csv symlink to it) are refused before any byte is read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-io-'));
  try {
    for (const name of ['zero.csv', 'zero.npz', 'zero.npy', 'zero.txt']) symlinkSync('/dev/zero', join(dir, name));
    for (const name of ['zero.csv', 'zero.npz', 'zero.npy']) {
      const p = join(dir, name);
      assertInputError(() => readMatrixFile(p), p, /is a character device, not a regular file/);
    }
    assertInputError(() => openNpyStream(join(dir, 'zero.npy')), join(dir, 'zero.npy'), /character device/);
    assertInputError(() => readLabels(join(dir, 'zero.txt'), 3), join(dir, 'zero.txt'), /character device/);
    assertInputError(() => readMatrixFile('/dev/zero'), '/dev/zero', /character device/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a FIFO with no writer is refused at once, not waited on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-io-'));
  try {
    const fifo = join(dir, 'pipe.csv');
    const mk = spawnSync('mkfifo', [fifo]);
    assert.equal(mk.status, 0, `mkfifo: ${mk.stderr}`);
    // In a child process: a blocking open would hang this test runner's event loop too.
    const nodeFile = fileURLToPath(new URL('../../../src/io/node-file.ts', import.meta.url));
    const code = `import { readMatrixFile, openNpyStream, readLabels } from ${JSON.stringify(nodeFile)};
      for (const f of [() => readMatrixFile(process.argv[1]), () => openNpyStream(process.argv[1]), () => readLabels(process.argv[1], 1)]) {
        try { f(); console.log('no error'); } catch (e) { console.log(e.message); }
      }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, fifo], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.error, undefined, `the reader hung on the FIFO (${r.error?.message})`);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 3, r.stdout + r.stderr);
    for (const l of lines) assert.match(l, /pipe\.csv: is a named pipe \(FIFO\), not a regular file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a text file larger than the text limit is refused from its fstat size, unread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-io-'));
  try {
    const p = join(dir, 'huge.csv');
    writeFileSync(p, '1,2\n');
    truncateSync(p, 600 * 2 ** 20); // sparse: no disk used, but fstat says 600 MiB
    const rss0 = process.memoryUsage().rss;
    assertInputError(() => readMatrixFile(p), p, /is 600 MiB, more than the 512 MiB limit for text formats/, /\.npy/);
    assert.ok(process.memoryUsage().rss - rss0 < 100 * 2 ** 20, 'nothing was read');
    const l = join(dir, 'labels.txt');
    writeFileSync(l, 'a\n');
    truncateSync(l, 600 * 2 ** 20);
    assertInputError(() => readLabels(l, 2), l, /more than the 512 MiB limit for a labels file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a key with a non-.npz file is refused before reading it', () => {
  assertInputError(() => readMatrixFile(FIXTURES + 'plain.csv', { key: 'a' }), FIXTURES + 'plain.csv', /a key \('a'\) applies only to .npz archives/);
});

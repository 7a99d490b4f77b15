// Values float32 cannot hold, in every reader: a non-zero value under float32's
// normal range (2⁻¹²⁶) is refused when it matters in its row (above 2⁻²⁴ × the
// row's largest |value|), and accepted — read as float32 reads it — below that.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDelimited } from '../../../src/io/text.js';
import { parseJsonMatrix, parseJsonl } from '../../../src/io/text-json.js';
import { parseNpy } from '../../../src/io/npy.js';
import { openNpyStream, readMatrixFile } from '../../../src/io/node-file.js';
import { assertInputError } from './helpers.js';

const DIR = fileURLToPath(new URL('../../fixtures/underflow/', import.meta.url));
const UNDERFLOW = /underflows float32 \(0 < \|x\| < 1\.1754944e-38\); rescale the data \(for example multiply by 1e\d+\)/;

test('CSV: rows of values ~1e-50 are refused naming line and column, on the fast and the general path', () => {
  // first record: general parser; later records: the fast path (which hands the row back)
  assertInputError(() => parseDelimited('1e-50,2e-50\n1,2\n', 'a.csv'), 'a.csv', /^a\.csv: line 1, column 1: "1e-50" /, UNDERFLOW);
  assertInputError(() => parseDelimited('1,2\n3,4\n1e-50,-2e-50\n', 'a.csv'), 'a.csv', /^a\.csv: line 3, column 1: "1e-50" /, UNDERFLOW);
  // a header row, quoted cells (general path), TSV
  assertInputError(() => parseDelimited('a,b\n"1e-50","3e-45"\n', 'a.csv'), 'a.csv', /line 2, column 1: "1e-50"/, UNDERFLOW);
  assertInputError(() => parseDelimited('1\t2\n0\t1e-40\n', 'a.tsv', '\t'), 'a.tsv', /line 2, column 2: "1e-40"/, /multiply by 1e40/);
  // the first value that matters is named, not a harmless one before it
  assertInputError(() => parseDelimited('1,2,3\n1e-60,1e-40,1e-39\n', 'a.csv'), 'a.csv', /line 2, column 2: "1e-40"/, /multiply by 1e39/);
});

test('CSV/JSON: a harmless tiny value beside large ones is read as float32 reads it', () => {
  // 1e-45 < 2⁻²⁴ · 1: below float32's precision in its row
  const m = parseDelimited('1,2\n1e-45,1\n', 'a.csv');
  assert.deepEqual(Array.from(m.data), [1, 2, Math.fround(1e-45), 1]);
  assert.deepEqual(Array.from(parseJsonMatrix('[[1e-45, 1], [0, 0]]', 'a.json').data), [Math.fround(1e-45), 1, 0, 0]);
  // 1e-39 is subnormal but 1e-39 > 2⁻²⁴ · 1e-32: in a row of values ~1e-32 it matters
  assertInputError(() => parseDelimited('1,2\n1e-32,1e-39\n', 'a.csv'), 'a.csv', /line 2, column 2: "1e-39"/, UNDERFLOW);
  // zeros are not tiny values
  assert.deepEqual(Array.from(parseDelimited('0,0\n0,1\n', 'a.csv').data), [0, 0, 0, 1]);
});

test('JSON and JSONL: underflowing values are refused naming row/line and column', () => {
  assertInputError(() => parseJsonMatrix('[[1, 2], [1e-50, 3e-50]]', 'a.json'), 'a.json', /^a\.json: row 2, column 1: "1e-50" /, UNDERFLOW);
  assertInputError(() => parseJsonMatrix('[1, 1e-50]', 'a.json'), 'a.json', /^a\.json: row 2: "1e-50" /, UNDERFLOW);
  assertInputError(() => parseJsonl('[1, 2]\n[0, -1e-40]\n', 'a.jsonl'), 'a.jsonl', /^a\.jsonl: line 2, column 2: "-1e-40" /, UNDERFLOW);
});

test('f8 .npy scaled by 1e-43 (C and Fortran order): refused by the whole-file and the streaming reader', () => {
  for (const f of ['tiny_c.npy', 'tiny_f.npy']) {
    const bytes = new Uint8Array(readFileSync(DIR + f));
    const e = assertInputError(() => parseNpy(bytes, f), f, /value -?[\d.]+e-4\d at row 1, column 1 \(1-based\) underflows float32/, UNDERFLOW);
    assertInputError(() => readMatrixFile(DIR + f), DIR + f, UNDERFLOW);
    const s = openNpyStream(DIR + f);
    try {
      // a later chunk names its row in the whole file
      assert.throws(
        () => s.readRows(10, 5),
        (err: Error) => /at row 11, column 1 \(1-based\) underflows float32/.test(err.message),
      );
    } finally {
      s.close();
    }
    assert.ok(e.message.includes(f));
  }
});

test("f8 .npy with one harmless tiny value: read, equal to NumPy's float32 conversion", () => {
  const ref = JSON.parse(readFileSync(DIR + 'harmless.json', 'utf8'));
  const m = parseNpy(new Uint8Array(readFileSync(DIR + 'harmless.npy')), 'harmless.npy');
  assert.deepEqual(Array.from(m.data), ref.f32);
  const s = readMatrixFile(DIR + 'harmless.npy');
  assert.deepEqual(Array.from(s.data), ref.f32);
});

test('big-endian and unaligned f8 data take the same check', () => {
  // '>f8' 2 × 2 [[1e-50, 2e-50], [1, 2]] written by hand (NumPy's layout): header then data
  const header = "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 2), }";
  const pad = 64 - ((10 + header.length + 1) % 64);
  const h = header + ' '.repeat(pad) + '\n';
  const buf = new Uint8Array(10 + h.length + 32);
  buf.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8]);
  for (let k = 0; k < h.length; k++) buf[10 + k] = h.charCodeAt(k);
  const dv = new DataView(buf.buffer, 10 + h.length);
  [1e-50, 2e-50, 1, 2].forEach((v, k) => dv.setFloat64(8 * k, v, false));
  assertInputError(() => parseNpy(buf, 'be.npy'), 'be.npy', /value 1e-50 at row 1, column 1 \(1-based\) underflows float32/, /multiply by 1e50/);
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-range-'));
  try {
    const p = join(dir, 'be.npy');
    writeFileSync(p, buf); // the streaming reader reads it from disk

    assertInputError(() => readMatrixFile(p), p, /value 1e-50 at row 1, column 1 \(1-based\) underflows float32/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

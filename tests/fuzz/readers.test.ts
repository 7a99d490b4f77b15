// Seeded fuzzing of the input readers (parseMatrix: .npy, .npz, .csv, .tsv, .json,
// .jsonl; and the streaming .npy reader): random bytes and mutations of the valid
// fixtures in tests/fixtures/io. Every input must parse to a well-formed finite
// float32 matrix no larger than its bytes can hold, or raise a one-line
// InputError, within a bounded time; an unmutated fixture must parse to its
// expected values. Inputs that broke this are kept under tests/fixtures/fuzz/ and
// replayed. SPEC_EMBED_FUZZ_SEED / SPEC_EMBED_FUZZ_ITERS explore further;
// SPEC_EMBED_FUZZ_SAVE=1 writes new failures into the corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/errors.js';
import { parseMatrix, extensionOf } from '../../src/io/matrix.js';
import { readMatrixFile } from '../../src/io/node-file.js';
import { mulberry32 } from '../shared/rng.mjs';
import { zipSync } from 'fflate';

const IO = fileURLToPath(new URL('../fixtures/io/', import.meta.url));
const CORPUS = fileURLToPath(new URL('../fixtures/fuzz/', import.meta.url));
const SEED = Number(process.env.SPEC_EMBED_FUZZ_SEED ?? 9);
const ITERS = Number(process.env.SPEC_EMBED_FUZZ_ITERS ?? 20000);
const EXTS = ['.npy', '.npz', '.csv', '.tsv', '.json', '.jsonl'];
/** .npz members inflate at most 1032× (deflate's limit), plus a header's worth. */
const maxValues = (ext: string, bytes: number) => (ext === '.npz' ? bytes * 1032 + 1024 : bytes);

const expected: Record<string, { rows: number; cols: number; data: number[] }> = JSON.parse(readFileSync(join(IO, 'expected.json'), 'utf8'));
const valid = readdirSync(IO)
  .filter((f) => EXTS.includes(extensionOf(f)) && !f.startsWith('bad_'))
  .map((f) => ({ name: f, ext: extensionOf(f), bytes: new Uint8Array(readFileSync(join(IO, f))) }));

type Verdict = { ok: true } | { ok: false; why: string };

/** Runs one reader on one input and judges the outcome. */
function judge(
  bytes: Uint8Array,
  ext: string,
  read: (b: Uint8Array, name: string) => { data: Float32Array; rows: number; cols: number } = parseMatrix,
  named = `fuzz${ext}`,
): Verdict {
  let out;
  try {
    out = read(bytes, named);
  } catch (e) {
    if (!(e instanceof InputError)) return { ok: false, why: `threw ${(e as Error)?.name}: ${(e as Error)?.message}` };
    if (/[\n\r]/.test(e.message)) return { ok: false, why: `multi-line message: ${JSON.stringify(e.message.slice(0, 300))}` };
    if (e.message.length > 600) return { ok: false, why: `message of ${e.message.length} characters` };
    if (!e.message.startsWith(`${named}: `)) return { ok: false, why: `message does not name the file: ${JSON.stringify(e.message.slice(0, 200))}` };
    return { ok: true };
  }
  const { data, rows, cols } = out;
  if (!(data instanceof Float32Array)) return { ok: false, why: 'data is not a Float32Array' };
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) return { ok: false, why: `shape ${rows} × ${cols}` };
  if (data.length !== rows * cols) return { ok: false, why: `${data.length} values for shape ${rows} × ${cols}` };
  if (data.length > maxValues(ext, bytes.length)) return { ok: false, why: `${data.length} values from ${bytes.length} bytes` };
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return { ok: false, why: `non-finite value ${data[i]} at ${i} was accepted` };
  return { ok: true };
}

const INTERESTING = [
  0, 1, 0x7f, 0x80, 0xff, 0x20, 0x0a, 0x0d, 0x09, 0x22, 0x27, 0x2c, 0x2d, 0x2e, 0x30, 0x39, 0x45, 0x65, 0x5b, 0x5d, 0x7b, 0x7d, 0x3a, 0x28, 0x29, 0x4e, 0x49,
];

/** One random mutation of `src` (bit flip, byte set, insert, delete, duplicate, truncate, splice, digit run). */
function mutate(src: Uint8Array, r: () => number, other: Uint8Array): Uint8Array {
  const at = (n: number) => Math.floor(r() * n);
  const b = Array.from(src);
  const kind = at(9);
  const p = at(b.length + 1);
  switch (kind) {
    case 0:
      if (b.length) {
        const i = at(b.length);
        b[i] ^= 1 << at(8);
      }
      break;
    case 1:
      if (b.length) b[at(b.length)] = INTERESTING[at(INTERESTING.length)];
      break;
    case 2:
      b.splice(p, 0, ...Array.from({ length: 1 + at(8) }, () => (r() < 0.5 ? INTERESTING[at(INTERESTING.length)] : at(256))));
      break;
    case 3:
      b.splice(p, 1 + at(16));
      break;
    case 4: {
      const len = 1 + at(64);
      b.splice(p, 0, ...b.slice(p, p + len));
      break;
    }
    case 5:
      b.length = at(b.length + 1);
      break;
    case 6: {
      const q = at(other.length + 1);
      return Uint8Array.from([...b.slice(0, p), ...other.slice(q)]);
    }
    case 7:
      b.splice(p, 0, ...Array.from(String(Math.floor(r() * 10 ** (1 + at(20))))).map((c) => c.charCodeAt(0)));
      break;
    default:
      if (b.length) b[at(b.length)] = at(256);
      break;
  }
  return Uint8Array.from(b);
}

const failures: { bytes: Uint8Array; ext: string; why: string }[] = [];
function record(bytes: Uint8Array, ext: string, v: Verdict) {
  if (v.ok) return;
  failures.push({ bytes, ext, why: v.why });
  if (process.env.SPEC_EMBED_FUZZ_SAVE === '1') {
    mkdirSync(CORPUS, { recursive: true });
    const h = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    writeFileSync(join(CORPUS, `${h}${ext}`), bytes);
  }
}

test('unmutated fixtures parse to their expected values', () => {
  for (const f of valid) {
    const e = expected[f.name];
    if (!e) continue;
    const m = parseMatrix(f.bytes, f.name);
    assert.equal(m.rows, e.rows, f.name);
    assert.equal(m.cols, e.cols, f.name);
    assert.deepEqual(Array.from(m.data), Array.from(Float32Array.from(e.data)), f.name);
  }
});

test(`mutations of valid files and random bytes: a finite matrix or one InputError, values bounded by the bytes (seed ${SEED}, ${ITERS} inputs)`, {
  timeout: 120_000,
}, () => {
  const r = mulberry32(SEED);
  const rss0 = process.memoryUsage().rss;
  for (let it = 0; it < ITERS; it++) {
    let bytes: Uint8Array, ext: string;
    if (it % 10 === 4) {
      // Structure-aware: a mutated .npy inside a well-formed .npz (valid CRC, stored
      // or deflated), so the mutation reaches the member parser and the inflate bound.
      const npys = valid.filter((f) => f.ext === '.npy');
      const f = npys[Math.floor(r() * npys.length)];
      ext = '.npz';
      bytes = zipSync({ 'a.npy': mutate(mutate(f.bytes, r, f.bytes), r, f.bytes) }, { level: r() < 0.5 ? 0 : 6 });
    } else if (it % 10 === 9) {
      ext = EXTS[Math.floor(r() * EXTS.length)];
      bytes = Uint8Array.from({ length: Math.floor(r() * 512) }, () => Math.floor(r() * 256));
    } else {
      const f = valid[Math.floor(r() * valid.length)];
      const other = valid[Math.floor(r() * valid.length)].bytes;
      ext = f.ext;
      bytes = f.bytes;
      const rounds = 1 + Math.floor(r() * 4);
      for (let k = 0; k < rounds; k++) bytes = mutate(bytes, r, other);
    }
    record(bytes, ext, judge(bytes, ext));
  }
  const grew = (process.memoryUsage().rss - rss0) / 2 ** 20;
  assert.deepEqual(
    failures.map((f) => `${f.ext} (${f.bytes.length} B): ${f.why}`),
    [],
    'reader failures (rerun with SPEC_EMBED_FUZZ_SAVE=1 to keep them in tests/fixtures/fuzz/)',
  );
  assert.ok(grew < 512, `RSS grew by ${grew.toFixed(0)} MiB over the fuzz run`);
});

test('the streaming .npy reader refuses or reads every mutated .npy like parseNpy', { timeout: 60_000 }, () => {
  const r = mulberry32(SEED + 1);
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-fuzz-'));
  try {
    const npys = valid.filter((f) => f.ext === '.npy');
    for (let it = 0; it < 300; it++) {
      const f = npys[Math.floor(r() * npys.length)];
      const bytes = mutate(mutate(f.bytes, r, f.bytes), r, f.bytes);
      const path = join(dir, `m${it}.npy`);
      writeFileSync(path, bytes);
      // readMatrixFile reads a .npy through the stream in chunks and checks the values (the stream leaves NaN/Inf to its consumers)
      const streamed = (_b: Uint8Array) => readMatrixFile(path);
      const v = judge(bytes, '.npy', streamed, path);
      record(bytes, '.npy', v);
      assert.ok(v.ok, `stream ${it}: ${!v.ok && v.why}`);
      // Where both accept, they agree value for value.
      let a, b;
      try {
        a = parseMatrix(bytes, 'x.npy');
      } catch {
        a = null;
      }
      try {
        b = streamed(bytes);
      } catch {
        b = null;
      }
      if (a && b) {
        assert.equal(b.rows, a.rows);
        assert.equal(b.cols, a.cols);
        assert.deepEqual(Array.from(b.data), Array.from(a.data), `stream ${it}: values differ`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('regression corpus (tests/fixtures/fuzz/) replays cleanly', () => {
  if (!existsSync(CORPUS)) return;
  const files = readdirSync(CORPUS).filter((f) => EXTS.includes(extensionOf(f)));
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(join(CORPUS, f)));
    const v = judge(bytes, extensionOf(f));
    assert.ok(v.ok, `${f}: ${!v.ok && v.why}`);
  }
});

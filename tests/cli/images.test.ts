// --images: each entry is opened as an untrusted file (regular files only, bounded by the
// size limit, typed by its magic bytes); skipped entries are counted on stderr by reason,
// and a list where no entry loads is an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, expectUsageError, fx } from './helpers.js';
import { reportData } from './report-data.js';
import { MAX_IMAGE_BYTES, readImage } from '../../src/report/image-files.js';

const IMAGES = join(fx('..'), 'images');
const X = fx('x.npy'),
  Y = fx('y.npy'); // 60 rows each

/** A folder with the four tiny images, a GIF named .jpg, a symlink to /dev/zero, a FIFO, a link to a text file, an oversize PNG. */
function scratch(): { dir: string; fifo: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-images-'));
  for (const f of ['tiny.png', 'tiny.jpg', 'tiny.gif', 'tiny.webp']) copyFileSync(join(IMAGES, f), join(dir, f));
  copyFileSync(join(IMAGES, 'tiny.gif'), join(dir, 'gif-named.jpg'));
  symlinkSync('/dev/zero', join(dir, 'zero.png'));
  writeFileSync(join(dir, 'notes.txt'), 'root:x:0:0:root:/root:/bin/bash\n');
  symlinkSync(join(dir, 'notes.txt'), join(dir, 'passwd.png'));
  const big = Buffer.alloc(MAX_IMAGE_BYTES + 1);
  readFileSync(join(IMAGES, 'tiny.png')).copy(big);
  writeFileSync(join(dir, 'big.png'), big);
  const fifo = spawnSync('mkfifo', [join(dir, 'fifo.png')]).status === 0;
  return { dir, fifo };
}

const GOOD: Record<string, string> = {
  'tiny.png': 'image/png',
  'tiny.jpg': 'image/jpeg',
  'tiny.gif': 'image/gif',
  'tiny.webp': 'image/webp',
  'gif-named.jpg': 'image/gif',
};

test('--images: only regular image files are embedded, typed by their bytes; /dev/zero, a FIFO, a text file and an oversize file are skipped and counted', (t) => {
  const { dir, fifo } = scratch();
  try {
    if (!fifo) t.diagnostic('mkfifo unavailable: the FIFO entry is left out');
    const entries = [
      'tiny.png',
      'tiny.jpg',
      'tiny.gif',
      'tiny.webp',
      'gif-named.jpg',
      'zero.png',
      'passwd.png',
      'big.png',
      'missing.png',
      ...(fifo ? ['fifo.png'] : []),
    ];
    const lines = Array.from({ length: 60 }, (_, i) => entries[i % entries.length]);
    writeFileSync(join(dir, 'list.txt'), `${lines.join('\n')}\n`);
    const out = join(dir, 'r.html');
    // A FIFO open without O_NONBLOCK never returns and /dev/zero never ends: a timeout is the failure.
    const r = cli(['compare', X, Y, '--images', join(dir, 'list.txt'), '--out', out, '--top', '2'], { timeout: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const d = reportData(readFileSync(out, 'utf8'));
    const want = lines.map((l) => GOOD[l]);
    for (let i = 0; i < 60; i++) {
      const uri = d.thumbs[`0:${i}`];
      if (want[i] === undefined) assert.equal(uri, undefined, `line ${i + 1} (${lines[i]}) has no thumbnail`);
      else {
        assert.ok(uri, `line ${i + 1} (${lines[i]}) has a thumbnail`);
        assert.equal(uri, `data:${want[i]};base64,${readFileSync(join(dir, lines[i])).toString('base64')}`);
      }
    }
    const skipped = lines.filter((l) => !GOOD[l]).length;
    const count = (name: string) => lines.filter((l) => l === name).length;
    const note = r.stderr.split('\n').find((l) => l.includes('entries skipped'));
    assert.ok(note, `a note on stderr: ${r.stderr}`);
    assert.match(note, new RegExp(`list\\.txt: ${skipped} of 60 entries skipped: `));
    assert.match(note, new RegExp(`${count('zero.png') + count('fifo.png')} not a regular file \\(lines 6, ${fifo ? 10 : 15}, `));
    assert.match(note, new RegExp(`${count('passwd.png')} not a PNG, JPEG, GIF or WebP image \\(lines 7, 17, `));
    assert.match(note, new RegExp(`${count('big.png')} larger than ${MAX_IMAGE_BYTES} bytes \\(lines 8, 18, `));
    assert.match(note, new RegExp(`${count('missing.png')} no such file \\(lines 9, 19, `));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--images / --images-y where no entry loads is an error before computing, and no report is written', () => {
  const { dir, fifo } = scratch();
  try {
    const bad = ['zero.png', 'passwd.png', ...(fifo ? ['fifo.png'] : [])];
    writeFileSync(join(dir, 'bad.txt'), Array.from({ length: 60 }, (_, i) => bad[i % bad.length]).join('\n'));
    const out = join(dir, 'r.html');
    const r = cli(['compare', X, Y, '--images', join(dir, 'bad.txt'), '--out', out], { timeout: 60_000 });
    expectUsageError(
      assert,
      r,
      /images file .*bad\.txt: no entry is a loadable image: \d+ not a regular file \(lines 1, /,
      /not a PNG, JPEG, GIF or WebP image/,
    );
    assert.doesNotMatch(r.stderr, / \.\.\. \d+%$/m, 'refused before any stage started');
    assert.equal(existsSync(out), false);
    const f = cli(['finc', X, Y, '--images-y', join(dir, 'bad.txt'), '--out', out], { timeout: 60_000 });
    expectUsageError(assert, f, /images-y file .*bad\.txt: no entry is a loadable image/);
    assert.equal(existsSync(out), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readImage reads at most the limit + 1 bytes, never blocks on a FIFO, and types by magic', () => {
  const { dir, fifo } = scratch();
  try {
    assert.deepEqual(readImage('/dev/zero'), { skip: 'not a regular file' });
    if (fifo) assert.deepEqual(readImage(join(dir, 'fifo.png')), { skip: 'not a regular file' });
    assert.deepEqual(readImage(join(dir, 'big.png')), { skip: 'too large' });
    assert.deepEqual(readImage(join(dir, 'tiny.png'), 72), { skip: 'too large' }); // 73 bytes
    assert.deepEqual(readImage(join(dir, 'passwd.png')), { skip: 'not an image' });
    assert.deepEqual(readImage(join(dir, 'nope.png')), { skip: 'no such file' });
    const png = readImage(join(dir, 'tiny.png'), 73);
    assert.ok('type' in png && png.type === 'image/png' && png.bytes.length === 73);
    const head = readImage(join(dir, 'big.png'), Infinity, true);
    assert.ok('type' in head && head.type === 'image/png' && head.bytes.length === 16, 'a type probe reads 16 bytes');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

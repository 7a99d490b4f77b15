// Thumbnails from an image list: typing by magic bytes, the reader's refusals
// (missing, special, too large, not an image), the list's line checks and the
// grouped note, and the data URIs (the file's own bytes, base64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_IMAGE_BYTES, imageListThumbs, imageType, readImage } from '../../../src/report/image-files.js';
import { InputError } from '../../../src/errors.js';

const IMAGES = fileURLToPath(new URL('../../fixtures/images/', import.meta.url));
const bytes = (...b: (number | string)[]) => Uint8Array.from(b.flatMap((x) => (typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x])));

test('imageType: PNG, JPEG, GIF87a/89a and WebP by their first bytes; anything short or else is undefined', () => {
  assert.equal(imageType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a)), 'image/png');
  assert.equal(imageType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a)), undefined, 'seven bytes of the signature');
  assert.equal(imageType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0b)), undefined);
  assert.equal(imageType(bytes(0xff, 0xd8, 0xff, 0xe0)), 'image/jpeg');
  assert.equal(imageType(bytes(0xff, 0xd8)), undefined);
  assert.equal(imageType(bytes('GIF87a')), 'image/gif');
  assert.equal(imageType(bytes('GIF89a', 1, 0)), 'image/gif');
  assert.equal(imageType(bytes('GIF88a')), undefined);
  assert.equal(imageType(bytes('RIFF', 0, 0, 0, 0, 'WEBP')), 'image/webp');
  assert.equal(imageType(bytes('RIFF', 0, 0, 0, 0, 'WAVE')), undefined);
  assert.equal(imageType(new Uint8Array(0)), undefined);
  for (const [f, type] of [
    ['tiny.png', 'image/png'],
    ['tiny.jpg', 'image/jpeg'],
    ['tiny.gif', 'image/gif'],
    ['tiny.webp', 'image/webp'],
  ]) {
    assert.equal(imageType(new Uint8Array(readFileSync(IMAGES + f))), type, f);
  }
});

test('readImage: the bytes of an image; each refusal by its reason', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-img-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const png = readFileSync(IMAGES + 'tiny.png');
  const r = readImage(IMAGES + 'tiny.png');
  assert.ok('bytes' in r);
  assert.equal(r.type, 'image/png');
  assert.deepEqual(Buffer.from(r.bytes), png);
  const head = readImage(IMAGES + 'tiny.png', MAX_IMAGE_BYTES, true);
  assert.ok('bytes' in head && head.bytes.length === Math.min(16, png.length), 'head: the first 16 bytes');
  writeFileSync(join(dir, 'text.png'), 'not really a png');
  assert.deepEqual(readImage(join(dir, 'text.png')), { skip: 'not an image' });
  assert.deepEqual(readImage(join(dir, 'none.png')), { skip: 'no such file' });
  assert.deepEqual(readImage(join(dir, 'text.png', 'x')), { skip: 'no such file' }, 'ENOTDIR');
  assert.deepEqual(readImage(dir), { skip: 'not a regular file' });
  assert.deepEqual(readImage('/dev/zero'), { skip: 'not a regular file' });
  symlinkSync('/dev/zero', join(dir, 'zero.png'));
  assert.deepEqual(readImage(join(dir, 'zero.png')), { skip: 'not a regular file' });
  // the limit is inclusive: max bytes load, max + 1 do not
  assert.ok('bytes' in readImage(IMAGES + 'tiny.png', png.length));
  assert.deepEqual(readImage(IMAGES + 'tiny.png', png.length - 1), { skip: 'too large' });
  writeFileSync(join(dir, 'big.png'), Buffer.concat([png, Buffer.alloc(MAX_IMAGE_BYTES)]));
  assert.deepEqual(readImage(join(dir, 'big.png')), { skip: 'too large' });
  try {
    execFileSync('mkfifo', [join(dir, 'fifo.png')]);
  } catch {
    return; // no mkfifo here
  }
  assert.deepEqual(readImage(join(dir, 'fifo.png')), { skip: 'not a regular file' }, 'a FIFO without a writer does not block');
});

test("imageListThumbs: resolves lines beside the list, skips with a grouped note, URIs of the files' bytes", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-imglist-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.gif'), readFileSync(IMAGES + 'tiny.gif'));
  writeFileSync(join(dir, 'notes.txt'), 'hello');
  const list = join(dir, 'list.txt');
  writeFileSync(
    list,
    ['a.gif', `  ${IMAGES}tiny.png  `, 'https://example.com/x.png', '', 'missing.png', 'notes.txt', 'a.gif', 'ftp://h/y', 'HTTP://h/z', ''].join('\r\n') +
      '\r\n',
  );
  const r = imageListThumbs(list, 10, 1, 'images-y file');
  assert.deepEqual(r.paths.slice(0, 3), ['a.gif', `${IMAGES}tiny.png`, 'https://example.com/x.png']);
  assert.equal(r.paths.length, 10);
  assert.deepEqual(r.files, [
    { line: 1, file: join(dir, 'a.gif') },
    { line: 2, file: `${IMAGES}tiny.png` },
  ]);
  assert.equal(
    r.note,
    `images-y file ${list}: 7 of 10 entries skipped: ` +
      '3 a URL (not fetched) (lines 3, 8, 9), 2 empty line (lines 4, 10), 1 no such file (line 5), 1 not a PNG, JPEG, GIF or WebP image (line 6)',
  );
  assert.equal(r.thumb(1, 0), `data:image/gif;base64,${readFileSync(IMAGES + 'tiny.gif').toString('base64')}`);
  assert.equal(r.thumb(1, 1), `data:image/png;base64,${readFileSync(IMAGES + 'tiny.png').toString('base64')}`);
  assert.equal(r.thumb(1, 6), r.thumb(1, 0), 'a file named twice');
  assert.equal(r.thumb(0, 0), null, 'another set');
  for (const i of [2, 3, 4, 5, 7, 99]) assert.equal(r.thumb(1, i), null, `entry ${i}`);
  // more than three lines per reason are cut with an ellipsis
  writeFileSync(list, 'a.gif\n\n\n\n\n');
  assert.equal(imageListThumbs(list, 5).note, `images file ${list}: 4 of 5 entries skipped: 4 empty line (lines 2, 3, 4, …)`);
  writeFileSync(list, 'a.gif\n');
  assert.equal(imageListThumbs(list, 1).note, undefined, 'every entry loads: no note');
});

test('imageListThumbs: refusals are InputErrors naming the list', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-imglist-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const list = join(dir, 'l.txt');
  const refuses = (n: number, message: string) =>
    assert.throws(
      () => imageListThumbs(list, n),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.equal(e.message, `images file ${list}: ${message}`);
        return true;
      },
    );
  refuses(1, 'cannot read it (ENOENT)');
  writeFileSync(list, 'a\nb\n');
  refuses(3, 'has 2 image paths but the embedding has 3 rows');
  refuses(2, 'no entry is a loadable image: 2 no such file (lines 1, 2)');
  writeFileSync(list, '');
  assert.equal(imageListThumbs(list, 0).files.length, 0, 'an empty list for no rows is fine');
});

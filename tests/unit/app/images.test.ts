// The app's images input: list lines matched to picked files by their shared path tail
// (URLs and ties get none), name order without a list, the count checks, and thumbnails
// that are the picked file's own bytes (typed by magic bytes, size-capped).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageThumbs, isListName, rowImages } from '../../../src/app/images.js';
import type { ImagePick } from '../../../src/app/protocol.js';
import { InputError } from '../../../src/errors.js';
import { MAX_IMAGE_BYTES } from '../../../src/report/image-type.js';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const pick = (paths: string[], list?: string): ImagePick => ({
  files: paths.map((path, i) => ({ path, blob: new Blob([new Uint8Array([...PNG, i])]) })),
  ...(list !== undefined ? { list: { name: 'list.txt', text: list } } : {}),
});

test('isListName: .txt, .lst and .list files are the list', () => {
  assert.deepEqual(['a.txt', 'd/L.LST', 'x.list', 'a.png', 'txt'].map(isListName), [true, true, true, false, false]);
});

test('without a list: one image per row, in natural name order (img-2 before img-10)', () => {
  const p = pick(['f/img-10.png', 'f/img-2.png', 'f/img-1.png']);
  assert.deepEqual(rowImages(p, 3, 'images').file, [2, 1, 0]);
  assert.throws(
    () => rowImages(p, 4, 'images'),
    (e: unknown) =>
      e instanceof InputError &&
      e.message ===
        'images: 3 images picked but there are 4 rows; pick one image per row (taken in file-name order), or add a list file naming one image per row',
  );
});

test('a list: each line matches the picked file sharing the longest path tail; URLs, empty lines, unknown names and ties get none', () => {
  const lines = ['/home/u/data/a/1.png', 'b/1.png', '2.png', 'https://example.com/c.png', '', 'zzz.png', '1.png', '.\\c.png'];
  const p = pick(['data/a/1.png', 'data/b/1.png', 'data/b/2.png', 'c.png'], `${lines.join('\r\n')}\r\n`);
  const r = rowImages(p, lines.length, "X's images");
  assert.deepEqual(r.file, [0, 1, 2, undefined, undefined, undefined, undefined, 3]);
  assert.equal(r.note, "X's images: 4 of 8 rows have no picked image (lines 4, 5, 6, …)");
  assert.throws(() => rowImages(pick(['a.png'], 'a.png\nb.png\n'), 3, 'images'), /the list list\.txt names 2 images but there are 3 rows/);
  assert.throws(() => rowImages(pick(['a.png'], 'x.png\ny.png'), 2, 'images'), /no line of the list list\.txt names one of the picked images/);
});

test('thumbnails: the row’s own bytes as a data URI, only for its set; not an image or too large: none', () => {
  const p = pick(['a.png', 'b.png']);
  p.files.push({ path: 'c.png', blob: new Blob([new Uint8Array([1, 2, 3])]) });
  p.files.push({ path: 'd.png', blob: new Blob([new Uint8Array(MAX_IMAGE_BYTES + 1)]) });
  const read = (b: Blob) => new Uint8Array(syncBytes.get(b)!);
  const syncBytes = new Map<Blob, Uint8Array>();
  return Promise.all(p.files.map(async (f) => syncBytes.set(f.blob, new Uint8Array(await f.blob.arrayBuffer())))).then(() => {
    const thumb = imageThumbs(p, { file: [1, 0, 2, 3, undefined] }, 1, read);
    assert.equal(thumb(1, 0), `data:image/png;base64,${Buffer.from([...PNG, 1]).toString('base64')}`);
    assert.equal(thumb(1, 1), `data:image/png;base64,${Buffer.from([...PNG, 0]).toString('base64')}`);
    assert.equal(thumb(0, 0), null, 'set 0 is not this input');
    assert.equal(thumb(1, 2), null, 'not an image');
    assert.equal(thumb(1, 3), null, 'too large');
    assert.equal(thumb(1, 4), null, 'no image');
  });
});

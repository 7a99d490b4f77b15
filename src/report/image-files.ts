// `--images FILE`: thumbnails from image files named one per sample (Node only).
// Each local image is embedded as a data URI when it is small enough; URLs are
// never fetched (the report must not touch the network) and get no thumbnail.
//
// An entry is whatever the list says, so it is opened as untrusted: a link to
// /dev/zero must not be read to exhaustion, a FIFO must not block the open, and a
// link to a text file must not be embedded as "image/png". Each entry is opened
// non-blocking, checked with fstat (on the open descriptor, so no swap between check
// and read), read at most MAX_IMAGE_BYTES + 1 bytes, and typed by its magic bytes.
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { ThumbFn } from './data.js';
import { MAX_IMAGE_BYTES, imageType } from './image-type.js';

export { MAX_IMAGE_BYTES, imageType };

/** Why an entry gets no thumbnail; the keys are grouped in the note on stderr. */
export type SkipReason = 'no path' | 'a URL (not fetched)' | 'no such file' | 'not a regular file' | 'too large' | 'not an image' | 'unreadable';

const REASON_TEXT: Record<SkipReason, string> = {
  'no path': 'empty line',
  'a URL (not fetched)': 'a URL (not fetched)',
  'no such file': 'no such file',
  'not a regular file': 'not a regular file',
  'too large': `larger than ${MAX_IMAGE_BYTES} bytes`,
  'not an image': 'not a PNG, JPEG, GIF or WebP image',
  unreadable: 'cannot be read',
};

export type ImageRead = { type: string; bytes: Uint8Array } | { skip: SkipReason };

/**
 * Reads `file` as an image of at most `max` bytes; with `head`, only its first bytes
 * (enough to type it). Never blocks and never reads more than max + 1 bytes.
 */
export function readImage(file: string, max = MAX_IMAGE_BYTES, head = false): ImageRead {
  let fd: number;
  try {
    // stat first so that a device is never even opened (opening some has effects, e.g. a tape
    // rewinds); fstat below checks again on the descriptor, in case the path was swapped.
    if (!statSync(file).isFile()) return { skip: 'not a regular file' };
    // O_NONBLOCK: opening a FIFO with no writer returns at once (fstat then refuses it).
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { skip: code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : 'unreadable' };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { skip: 'not a regular file' };
    if (st.size > max) return { skip: 'too large' };
    // The size may change after fstat: read into max + 1 bytes at most and refuse if they fill.
    const buf = new Uint8Array(head ? 16 : max + 1);
    let got = 0;
    for (let k: number; got < buf.length && (k = readSync(fd, buf, got, buf.length - got, null)) > 0; ) got += k;
    if (!head && got > max) return { skip: 'too large' };
    const bytes = buf.subarray(0, got);
    const type = imageType(bytes);
    return type ? { type, bytes } : { skip: 'not an image' };
  } catch {
    return { skip: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

export interface ImageList {
  thumb: ThumbFn;
  /** The list's lines (trimmed). */
  paths: string[];
  /** The resolved file of each entry that loads (first line naming it, 1-based), for the output checks. */
  files: { line: number; file: string }[];
  /** "3 of 20 entries skipped: …" for stderr, or undefined when every entry loads. */
  note?: string;
}

function grouped(skips: Map<SkipReason, number[]>): string {
  return [...skips]
    .map(([reason, lines]) => {
      const shown = lines.slice(0, 3).join(', ') + (lines.length > 3 ? ', …' : '');
      return `${lines.length} ${REASON_TEXT[reason]} (line${lines.length === 1 ? '' : 's'} ${shown})`;
    })
    .join(', ');
}

/**
 * Reads the list (one path or URL per line, `n` lines), types every entry (first bytes
 * only), and returns a thumbnail function for set `set`. A list where no entry loads is
 * an InputError: the user asked for thumbnails and would get none.
 */
export function imageListThumbs(listPath: string, n: number, set: 0 | 1 = 0, what = 'images file'): ImageList {
  const source = `${what} ${listPath}`;
  let text: string;
  try {
    text = readFileSync(listPath, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, source);
  }
  const paths = text.split(/\r?\n/).map((p) => p.trim());
  if (paths.length && paths[paths.length - 1] === '') paths.pop();
  if (paths.length !== n) throw new InputError(`has ${paths.length} image paths but the embedding has ${n} rows`, source);
  const base = dirname(resolve(listPath));
  const files: (string | undefined)[] = new Array(n);
  const skips = new Map<SkipReason, number[]>();
  const skip = (reason: SkipReason, i: number) => {
    const lines = skips.get(reason) ?? [];
    lines.push(i + 1);
    skips.set(reason, lines);
  };
  paths.forEach((p, i) => {
    if (!p) return skip('no path', i);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return skip('a URL (not fetched)', i);
    const file = isAbsolute(p) ? p : resolve(base, p);
    const r = readImage(file, MAX_IMAGE_BYTES, true);
    if ('skip' in r) return skip(r.skip, i);
    files[i] = file;
  });
  const loaded = files.filter((f) => f !== undefined).length;
  if (n > 0 && loaded === 0) throw new InputError(`no entry is a loadable image: ${grouped(skips)}`, source);
  const skipped = n - loaded;
  const thumb: ThumbFn = (s, index) => {
    if (s !== set) return null;
    const file = files[index];
    if (file === undefined) return null;
    const r = readImage(file);
    return 'skip' in r ? null : `data:${r.type};base64,${Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.length).toString('base64')}`;
  };
  const first = new Map<string, number>();
  files.forEach((f, i) => {
    if (f !== undefined && !first.has(f)) first.set(f, i + 1);
  });
  return {
    thumb,
    paths,
    files: [...first].map(([file, line]) => ({ line, file })),
    note: skipped ? `${source}: ${skipped} of ${n} entries skipped: ${grouped(skips)}` : undefined,
  };
}

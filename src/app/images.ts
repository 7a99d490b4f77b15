// The app's images input: which picked image shows which row, and the thumbnails the
// report embeds. As the CLI's images file, a list may name one image per row (matched to
// the picked files by path); without one, the images are the rows in file-name order.
// Pure over names and blobs (the worker passes its synchronous blob reader).
import { InputError } from '../errors.js';
import type { ThumbFn } from '../report/data.js';
import { MAX_IMAGE_BYTES, imageType } from '../report/image-type.js';
import type { ImagePick } from './protocol.js';

/** A picked text file that is the list (one image per row), by its extension. */
export function isListName(path: string): boolean {
  return /\.(txt|lst|list)$/i.test(path);
}

const parts = (p: string) =>
  p
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');

/** How many trailing path components a and b share. */
function sharedTail(a: string[], b: string[]): number {
  let k = 0;
  while (k < a.length && k < b.length && a[a.length - 1 - k] === b[b.length - 1 - k]) k++;
  return k;
}

export interface RowImages {
  /** For each row, the index of its file in the pick, or undefined (no thumbnail). */
  file: (number | undefined)[];
  /** "5 of 60 rows have no image: …" when some rows get none. */
  note?: string;
}

/**
 * The file of each of `rows` rows. `what` names the input in messages ("X's images").
 * A list line matches the picked file sharing the most trailing path components with
 * it (at least the file name; a tie is no match); URLs are never fetched.
 */
export function rowImages(pick: ImagePick, rows: number, what: string): RowImages {
  const paths = pick.files.map((f) => parts(f.path));
  if (!pick.list) {
    if (pick.files.length !== rows)
      throw new InputError(
        `${pick.files.length} image${pick.files.length === 1 ? '' : 's'} picked but there are ${rows} rows; pick one image per row (taken in file-name order), or add a list file naming one image per row`,
        what,
      );
    const order = pick.files.map((_, i) => i).sort((a, b) => pick.files[a].path.localeCompare(pick.files[b].path, 'en', { numeric: true }));
    return { file: order };
  }
  const lines = pick.list.text.split(/\r?\n/).map((l) => l.trim());
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== rows)
    throw new InputError(`the list ${pick.list.name} names ${lines.length} images but there are ${rows} rows (one line per row)`, what);
  const missing: number[] = [];
  const file = lines.map((line, row) => {
    const want = parts(line);
    let best: number | undefined;
    let bestTail = 0;
    let tie = false;
    if (want.length && !/^[a-z][a-z0-9+.-]*:\/\//i.test(line)) {
      paths.forEach((p, i) => {
        const t = sharedTail(want, p);
        if (t > bestTail) [best, bestTail, tie] = [i, t, false];
        else if (t === bestTail && t > 0) tie = true;
      });
    }
    if (best === undefined || tie) {
      missing.push(row + 1);
      return undefined;
    }
    return best;
  });
  if (rows > 0 && missing.length === rows)
    throw new InputError(`no line of the list ${pick.list.name} names one of the picked images (pick the images, or their folder, with the list)`, what);
  const shown = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ', …' : '');
  return {
    file,
    note: missing.length ? `${what}: ${missing.length} of ${rows} rows have no picked image (line${missing.length === 1 ? '' : 's'} ${shown})` : undefined,
  };
}

function base64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * Thumbnails of set `set` for the report: each row's image read (only when the report asks
 * for it) through `read`, embedded when it is a PNG, JPEG, GIF or WebP of ≤ MAX_IMAGE_BYTES.
 */
export function imageThumbs(pick: ImagePick, rows: RowImages, set: 0 | 1, read: (b: Blob) => Uint8Array): ThumbFn {
  return (s, index) => {
    if (s !== set) return null;
    const i = rows.file[index];
    if (i === undefined) return null;
    const blob = pick.files[i].blob;
    if (blob.size > MAX_IMAGE_BYTES) return null;
    const bytes = read(blob);
    const type = imageType(bytes);
    return type ? `data:${type};base64,${base64(bytes)}` : null;
  };
}

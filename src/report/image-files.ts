// `--images FILE`: thumbnails from image files named one per sample (Node only).
// Each local image is embedded as a data URI when it is small enough; URLs are
// never fetched (the report must not touch the network) and get no thumbnail.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { ThumbFn } from './data.js';

const TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp', svg: 'image/svg+xml' };
/** Largest image file embedded (bytes); bigger ones get no thumbnail. */
export const MAX_IMAGE_BYTES = 200_000;

/** Reads the list (one path or URL per line, `n` lines) and returns a thumbnail function for set `set`. */
export function imageListThumbs(listPath: string, n: number, set: 0 | 1 = 0): { thumb: ThumbFn; paths: string[] } {
  let text: string;
  try {
    text = readFileSync(listPath, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, `images file ${listPath}`);
  }
  const paths = text.split(/\r?\n/);
  if (paths.length && paths[paths.length - 1] === '') paths.pop();
  if (paths.length !== n) throw new InputError(`has ${paths.length} image paths but the embedding has ${n} rows`, `images file ${listPath}`);
  const base = dirname(resolve(listPath));
  const thumb: ThumbFn = (s, index) => {
    if (s !== set) return null;
    const p = paths[index]?.trim();
    if (!p || /^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return null;
    const type = TYPES[p.split('.').pop()!.toLowerCase()];
    if (!type) return null;
    const file = isAbsolute(p) ? p : resolve(base, p);
    try {
      if (statSync(file).size > MAX_IMAGE_BYTES) return null;
      return `data:${type};base64,${readFileSync(file).toString('base64')}`;
    } catch {
      return null;
    }
  };
  return { thumb, paths };
}

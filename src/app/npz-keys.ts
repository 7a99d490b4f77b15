// Per-file .npz array choice: when X or Y is an archive, its arrays are listed in that
// side's select, so one archive holding X and Y under different names serves both sides.
import { listNpzKeys } from '../io/npz.js';
import { h } from '../report/client/dom.js';

/**
 * The array a side starts on: the only one, else one named for the side ('x', 'X', 'emb_x',
 * 'X_train'…: the side's letter as a word of the name), else none (the user chooses).
 */
export function preferredKey(keys: readonly string[], side: 'x' | 'y'): string {
  if (keys.length === 1) return keys[0];
  const named = keys.filter((k) =>
    k
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .includes(side),
  );
  return named.length === 1 ? named[0] : '';
}

/** Fills `select` with the arrays of `file` (an .npz); empty for any other file or an unreadable archive. */
export async function listArrays(file: File | undefined, select: HTMLSelectElement, side: 'x' | 'y'): Promise<void> {
  select.replaceChildren();
  if (!file || !/\.npz$/i.test(file.name)) return;
  let keys: string[];
  try {
    keys = listNpzKeys(new Uint8Array(await file.arrayBuffer()), file.name);
  } catch {
    return; // the run says what is wrong with the archive
  }
  const pick = preferredKey(keys, side);
  if (keys.length > 1) select.append(h('option', { value: '' }, `— choose one of ${keys.length} arrays —`));
  for (const k of keys) select.append(h('option', { value: k, ...(k === pick ? { selected: true } : {}) }, k));
  select.value = pick;
}

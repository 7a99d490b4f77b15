/**
 * spec-embed/io: read a matrix from the bytes or text of a file (.npy, .npz, .csv,
 * .tsv, .json, .jsonl) into `{ data, rows, cols }`, the form compare() and finc()
 * take. Pure functions with no WebAssembly and no Node API, so the same entry
 * runs in Node, Deno, browsers and edge functions; bad input throws the
 * package's InputError (the root's `instanceof InputError` recognises it).
 *
 * ```ts
 * import { parseNpy } from 'spec-embed/io';
 * const X = parseNpy(new Uint8Array(await (await fetch('clip.npy')).arrayBuffer()), 'clip.npy');
 * ```
 * @packageDocumentation
 */
export { parseMatrix } from './matrix.js';
export type { ParseOptions, ParsedMatrix } from './matrix.js';
export { parseNpy } from './npy.js';
export type { F32Matrix } from './npy.js';
export { parseNpz } from './npz.js';
export { parseDelimited } from './text.js';
export { parseJsonMatrix, parseJsonl } from './text-json.js';
export type { DelimitedOptions, DelimitedMatrix, TableInfo } from './text.js';

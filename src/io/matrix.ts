// parseMatrix: one reader for any supported file, chosen by its extension. Pure
// functions over bytes/text, usable in Node, Deno, browsers and edge functions. Node
// file access (and streaming of large .npy files) is in ./node-file.ts, which this
// module deliberately does not import.
import { InputError } from '../errors.js';
import { parseNpy, type F32Matrix } from './npy.js';
import { parseNpz } from './npz.js';
import { parseDelimited, type DelimitedOptions, type TableInfo } from './text.js';
import { parseJsonMatrix, parseJsonl } from './text-json.js';

/** File extensions parseMatrix understands. */
export const SUPPORTED_EXTENSIONS = ['.npy', '.npz', '.csv', '.tsv', '.json', '.jsonl'] as const;

/**
 * `header` and `indexColumn` apply to .csv/.tsv only (see DelimitedOptions) and are ignored for
 * other formats, so one set of options can serve two inputs of different formats.
 */
export interface ParseOptions extends Pick<DelimitedOptions, 'header' | 'indexColumn'> {
  /** The array to read from an .npz archive (with or without '.npy'). */
  key?: string;
}

/** A matrix as read from a file; `table` (header line, index column) for .csv/.tsv only. */
export interface ParsedMatrix extends F32Matrix {
  table?: TableInfo;
}

/** The lower-cased extension of a file name ('' if none). */
export function extensionOf(name: string): string {
  const base = name.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

function decodeText(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('is not valid UTF-8 text', name);
  }
}

function textOptions(opts: ParseOptions): DelimitedOptions {
  const o: DelimitedOptions = {};
  if (opts.header !== undefined) o.header = opts.header;
  if (opts.indexColumn !== undefined) o.indexColumn = opts.indexColumn;
  return o;
}

/**
 * Read a matrix from the bytes of a file, choosing the format by the extension of `name`:
 * .npy, .npz (opts.key), .csv, .tsv (opts.header, opts.indexColumn), .json (array of rows),
 * .jsonl (.ndjson) (one row per line).
 * Returns a row-major float32 matrix; bad input throws InputError naming `name`.
 */
export function parseMatrix(bytes: Uint8Array, name: string, opts: ParseOptions = {}): ParsedMatrix {
  const ext = extensionOf(name);
  if (opts.key !== undefined && ext !== '.npz') {
    throw new InputError(`a key ('${opts.key}') applies only to .npz archives`, name);
  }
  switch (ext) {
    case '.npy':
      return parseNpy(bytes, name);
    case '.npz':
      return parseNpz(bytes, name, opts.key);
    case '.csv':
      return parseDelimited(decodeText(bytes, name), name, { ...textOptions(opts), delimiter: ',' });
    case '.tsv':
    case '.tab':
      return parseDelimited(decodeText(bytes, name), name, { ...textOptions(opts), delimiter: '\t' });
    case '.json':
      return parseJsonMatrix(decodeText(bytes, name), name);
    case '.jsonl':
    case '.ndjson':
      return parseJsonl(decodeText(bytes, name), name);
    default:
      throw new InputError(`unsupported file type ${ext ? `'${ext}'` : '(no extension)'}; supported: ${SUPPORTED_EXTENSIONS.join(', ')}`, name);
  }
}

// STUB (cli branch only): Node file readers.
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { Matrix } from '../types.js';
import { parseMatrix } from './index.js';

function read(path: string): Uint8Array {
  try { return readFileSync(path); } catch (err) {
    throw new InputError(`cannot read file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, path);
  }
}

export function readMatrixFile(path: string, opts: { key?: string } = {}): Matrix {
  return parseMatrix(read(path), path, opts);
}

export function openNpyStream(path: string): never {
  throw new InputError('streaming is not available in the stub', path);
}

export function readLabels(path: string, expectedCount: number): string[] {
  const text = new TextDecoder().decode(read(path));
  let labels: string[];
  if (path.endsWith('.json')) labels = (JSON.parse(text) as unknown[]).map(String);
  else { labels = text.split(/\r?\n/); if (labels.length && labels[labels.length - 1] === '') labels.pop(); }
  if (labels.length !== expectedCount) {
    throw new InputError(`has ${labels.length} labels but the embeddings have ${expectedCount} rows`, path);
  }
  return labels;
}

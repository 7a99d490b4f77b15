// Shared helpers for the io-*.test.ts suites (not a test file itself).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../../src/errors.js';
import type { Matrix } from '../../../src/types/index.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/io/', import.meta.url));

export interface Expected {
  rows: number;
  cols: number;
  data: number[];
}
export const expected: Record<string, Expected> = JSON.parse(readFileSync(FIXTURES + 'expected.json', 'utf8'));

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(FIXTURES + name));
}

/** Exact comparison against NumPy's float32 values. */
export function assertMatrix(m: Matrix, e: Expected, label: string): void {
  assert.ok(m.data instanceof Float32Array, `${label}: Float32Array`);
  assert.equal(m.rows, e.rows, `${label}: rows`);
  assert.equal(m.cols, e.cols, `${label}: cols`);
  assert.equal(m.data.length, e.rows * e.cols, `${label}: length`);
  for (let k = 0; k < e.data.length; k++) {
    if (!Object.is(m.data[k], e.data[k])) {
      assert.fail(`${label}: value ${k} (row ${Math.floor(k / e.cols)}, col ${k % e.cols}) is ${m.data[k]}, NumPy says ${e.data[k]}`);
    }
  }
}

/** Assert fn throws an InputError whose message starts with the file name and matches every pattern. */
export function assertInputError(fn: () => unknown, name: string, ...patterns: RegExp[]): InputError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof InputError, `expected an InputError for ${name}, got ${err === undefined ? 'no error' : String(err)}`);
  const e = err as InputError;
  assert.ok(e.message.startsWith(`${name}: `), `message names the file: ${e.message}`);
  assert.equal(e.source, name);
  for (const p of patterns) assert.match(e.message, p);
  return e;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { parseNpz, listNpzKeys, parseMatrix } from '../../src/io/index.js';
import { expected, fixture, assertMatrix, assertInputError } from './io-helpers.js';

test('stored (np.savez) and deflated (np.savez_compressed) archives, keys with or without .npy', () => {
  for (const file of ['two.npz', 'two_compressed.npz']) {
    const bytes = fixture(file);
    assert.deepEqual(listNpzKeys(bytes, file), ['a', 'b']);
    assertMatrix(parseNpz(bytes, file, 'a'), expected[`${file}:a`], `${file}:a`);
    assertMatrix(parseNpz(bytes, file, 'b.npy'), expected[`${file}:b`], `${file}:b`);
    assertMatrix(parseMatrix(bytes, file, { key: 'b' }), expected[`${file}:b`], `${file}:b via parseMatrix`);
  }
});

test('a single-array archive needs no key', () => {
  assertMatrix(parseNpz(fixture('one.npz'), 'one.npz'), expected['one.npz'], 'one.npz');
});

test('a missing or ambiguous key lists the available arrays', () => {
  assertInputError(() => parseNpz(fixture('two.npz'), 'two.npz', 'c'), 'two.npz', /no array 'c'/, /available: 'a', 'b'/);
  assertInputError(() => parseNpz(fixture('two.npz'), 'two.npz'), 'two.npz', /holds 2 arrays \('a', 'b'\)/, /--key/);
});

test('corrupt, truncated or empty archives and bad members throw InputErrors', () => {
  assertInputError(() => parseNpz(fixture('bad_corrupt.npz'), 'bad_corrupt.npz'), 'bad_corrupt.npz', /not a valid .npz \(zip\) archive/);
  assertInputError(() => parseNpz(fixture('bad_truncated.npz'), 'bad_truncated.npz', 'a'), 'bad_truncated.npz', /not a valid .npz/);
  assertInputError(() => parseNpz(fixture('empty.npz'), 'empty.npz'), 'empty.npz', /empty file/);
  assertInputError(() => parseNpz(fixture('bad_crc.npz'), 'bad_crc.npz', 'a'), 'bad_crc.npz', /array 'a'/, /CRC-32 mismatch/);
  // the other member of the same archive is intact
  assertMatrix(parseNpz(fixture('bad_crc.npz'), 'bad_crc.npz', 'b'), expected['two.npz:b'], 'bad_crc.npz:b');
  assertInputError(() => parseNpz(fixture('bad_nan.npz'), 'bad_nan.npz'), 'bad_nan.npz', /array 'x'/, /NaN at row 3, column 2/);
  const junk = zipSync({ 'x.npy': new Uint8Array([1, 2, 3]) });
  assertInputError(() => parseNpz(junk, 'junk.npz'), 'junk.npz', /array 'x'/, /not a .npy file/);
  assertInputError(() => parseNpz(zipSync({}), 'none.npz'), 'none.npz', /holds no arrays/);
});

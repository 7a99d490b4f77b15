import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { parseNpz, parseMatrix } from '../../../src/io/index.js';
import { listNpzKeys } from '../../../src/io/npz.js';
import { expected, fixture, assertMatrix, assertInputError } from './helpers.js';

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

// ---------------------------------------------------------------------------------------
// A member that inflates far beyond what its .npy header claims (a zip bomb).

/** A v1 .npy header for `shape` of '<f4'. */
function npyHeader(shape: number[]): Uint8Array {
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + dict.length + 1) % 64 !== 0) dict += ' ';
  dict += '\n';
  const out = new Uint8Array(10 + dict.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length & 255, dict.length >> 8]);
  for (let k = 0; k < dict.length; k++) out[10 + k] = dict.charCodeAt(k);
  return out;
}

/**
 * A raw deflate stream (one fixed-Huffman block, written by hand so the test does not have
 * to hold the inflated bytes): `prefix` as literals, then `zeros` zero bytes as one literal
 * and (length 258, distance 1) matches.
 */
function deflateZeros(prefix: Uint8Array, zeros: number): Uint8Array {
  const bytes: number[] = [];
  let acc = 0,
    nbits = 0;
  const bits = (v: number, n: number) => {
    // LSB first
    for (let i = 0; i < n; i++) {
      acc |= ((v >> i) & 1) << nbits;
      if (++nbits === 8) {
        bytes.push(acc);
        acc = 0;
        nbits = 0;
      }
    }
  };
  const huff = (code: number, n: number) => {
    // Huffman codes go MSB first
    for (let i = n - 1; i >= 0; i--) bits((code >> i) & 1, 1);
  };
  const lit = (b: number) => (b < 144 ? huff(0x30 + b, 8) : huff(0x190 + b - 144, 9));
  bits(1, 1); // BFINAL
  bits(1, 2); // fixed Huffman
  for (const b of prefix) lit(b);
  lit(0);
  for (let left = zeros - 1; left > 0; ) {
    if (left >= 258) {
      huff(0xc5, 8); // length 258 (symbol 285)
      huff(0, 5); // distance 1
      left -= 258;
    } else {
      lit(0);
      left--;
    }
  }
  huff(0, 7); // end of block (256)
  if (nbits) bytes.push(acc);
  return new Uint8Array(bytes);
}

/** A one-member zip (deflated) around raw deflate data; sizes as claimed. */
function zipOne(name: string, deflated: Uint8Array, size: number): Uint8Array {
  const nm = new TextEncoder().encode(name);
  const local = new Uint8Array(30 + nm.length);
  const dv = new DataView(local.buffer);
  dv.setUint32(0, 0x04034b50, true);
  dv.setUint16(4, 20, true);
  dv.setUint16(8, 8, true);
  dv.setUint32(18, deflated.length, true);
  dv.setUint32(22, size, true);
  dv.setUint16(26, nm.length, true);
  local.set(nm, 30);
  const central = new Uint8Array(46 + nm.length);
  const dc = new DataView(central.buffer);
  dc.setUint32(0, 0x02014b50, true);
  dc.setUint16(4, 20, true);
  dc.setUint16(6, 20, true);
  dc.setUint16(10, 8, true);
  dc.setUint32(20, deflated.length, true);
  dc.setUint32(24, size, true);
  dc.setUint16(28, nm.length, true);
  dc.setUint32(42, 0, true);
  central.set(nm, 46);
  const end = new Uint8Array(22);
  const de = new DataView(end.buffer);
  de.setUint32(0, 0x06054b50, true);
  de.setUint16(8, 1, true);
  de.setUint16(10, 1, true);
  de.setUint32(12, central.length, true);
  de.setUint32(16, local.length + deflated.length, true);
  const out = new Uint8Array(local.length + deflated.length + central.length + end.length);
  out.set(local);
  out.set(deflated, local.length);
  out.set(central, local.length + deflated.length);
  out.set(end, local.length + deflated.length + central.length);
  return out;
}

test('a member inflating far past its .npy header claim is refused without inflating it', () => {
  const header = npyHeader([4, 4]); // claims 64 bytes of data
  const inflated = 256 * 2 ** 20; // but the stream holds 256 MiB of zeros
  const bomb = zipOne('x.npy', deflateZeros(header, inflated), 0xfffffffe);
  assert.ok(bomb.length < 2.5e6, `the archive is small (${bomb.length} bytes)`);
  const rss0 = process.resourceUsage().maxRSS; // KiB, the peak so far
  const t0 = performance.now();
  assertInputError(
    () => parseNpz(bomb, 'bomb.npz'),
    'bomb.npz',
    /array 'x'/,
    /inflates past the 192 bytes its .npy header implies \(128-byte header \+ shape \(4, 4\) of '<f4'\)/,
  );
  const ms = performance.now() - t0;
  const grewMiB = (process.resourceUsage().maxRSS - rss0) / 1024;
  assert.ok(grewMiB < 32, `peak memory grew by ${grewMiB.toFixed(0)} MiB while refusing (${ms.toFixed(0)} ms)`);
});

test('the bound is exact: one byte more than the claim is refused, the claim itself is read', () => {
  const header = npyHeader([4, 4]);
  const ok = zipOne('x.npy', deflateZeros(header, 64), header.length + 64);
  // CRC-32 is left 0 in the hand-made directory, so a fully read member reports a CRC mismatch:
  // that proves it was inflated to the end rather than refused as oversize.
  assertInputError(() => parseNpz(ok, 'ok.npz'), 'ok.npz', /array 'x': corrupt zip data \(CRC-32 mismatch\)/);
  const over = zipOne('x.npy', deflateZeros(header, 65), header.length + 65);
  assertInputError(() => parseNpz(over, 'over.npz'), 'over.npz', /array 'x': inflates past the 192 bytes/);
});

test('a header claiming more than the compressed bytes could ever hold is refused before allocating', () => {
  const header = npyHeader([1e6, 1e6]); // 4 TB of float32
  const z = zipOne('big.npy', deflateZeros(header, 1000), header.length + 1000);
  assertInputError(() => parseNpz(z, 'claim.npz'), 'claim.npz', /array 'big'/, /cannot hold them/);
});

test('an archive whose member names repeat is refused, naming the archive and the member', () => {
  // dup.npz (scripts/fixtures/make_reader_fixtures.py): 'x.npy' twice, then 'other.npy';
  // np.load returns the second 'x' there, so reading either one would be a silent choice.
  const bytes = new Uint8Array(readFileSync(new URL('../../fixtures/readers/dup.npz', import.meta.url)));
  for (const key of ['x', 'other', undefined]) {
    assertInputError(() => parseNpz(bytes, 'dup.npz', key), 'dup.npz', /two members named 'x\.npy' for array 'x'/, /np\.load would read the last/);
  }
  assertInputError(() => listNpzKeys(bytes, 'dup.npz'), 'dup.npz', /two members named 'x\.npy'/);
  // 'x' and 'x.npy' both answer to the key 'x'
  const npy = fixture('f4_le_c.npy');
  assertInputError(() => parseNpz(zipSync({ x: npy, 'x.npy': npy }), 'xx.npz', 'x'), 'xx.npz', /members 'x' and 'x\.npy' for array 'x'/);
});

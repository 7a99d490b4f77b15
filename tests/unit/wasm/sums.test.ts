// The wrappers the sums drive step by step (src/wasm/sums.ts): bands of one
// packed SYRK block equal one syrkAccumulate call bit for bit, packColumnsAt
// writes a weighted block at a row offset, the normalisation wrappers act on
// their range only, and every wrapper refuses arguments outside its buffers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import { syrkAccumulate } from '../../../src/wasm/syrk.js';
import { packColumnsAt, packRowsBlock, packedBlockLength, syrkBlockRows, syrkPackedBand, dscalAt, symmetrizeRows } from '../../../src/wasm/sums.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

test('syrkPackedBand over bands of 32-aligned rows, block by block, equals one syrkAccumulate bit for bit', () => {
  const rows = 600,
    D = 300,
    KC = syrkBlockRows();
  const P = memory.f32(rows * D).set(randomF32(rows * D, 1));
  const one = memory.f64(D * D),
    banded = memory.f64(D * D),
    pack = memory.f32(packedBlockLength(D));
  try {
    one.view.fill(0);
    banded.view.fill(0);
    syrkAccumulate(P, rows, D, one, 1);
    for (let b0 = 0; b0 < rows; b0 += KC) {
      const kc = Math.min(KC, rows - b0);
      packRowsBlock(P, b0 * D, D, kc, D, pack);
      for (const [i0, i1] of [
        [0, 64],
        [64, 96],
        [96, 288],
        [288, D],
      ])
        syrkPackedBand(pack, D, kc, banded, 1, i0, i1);
    }
    assert.deepEqual(banded.view, one.view);
    assert.throws(() => syrkPackedBand(pack, D, 10, banded, 1, 10, 40), RangeError);
    assert.throws(() => packRowsBlock(P, 0, D, KC + 1, D, pack), RangeError);
    assert.throws(() => packRowsBlock(P, (rows - 1) * D, D, 2, D, pack), RangeError);
  } finally {
    for (const b of [P, one, banded, pack]) b.free();
  }
});

test('packColumnsAt writes scale·src (scale rounded to f32) into columns [off, off + cols) from a row offset', () => {
  const rows = 5,
    cols = 3,
    ld = 8,
    off = 4;
  const src = memory.f32(rows * cols).set(randomF32(rows * cols, 2)),
    dst = memory.f32(10 * ld);
  try {
    dst.view.fill(-1);
    packColumnsAt(src, rows, cols, dst, 2 * ld, ld, off, Math.sqrt(0.3));
    for (let r = 0; r < 10; r++)
      for (let j = 0; j < ld; j++) {
        const inside = r >= 2 && r < 2 + rows && j >= off && j < off + cols;
        const want = inside ? Math.fround(Math.fround(Math.sqrt(0.3)) * src.view[(r - 2) * cols + j - off]) : -1;
        assert.equal(dst.view[r * ld + j], want, `(${r}, ${j})`);
      }
    assert.throws(() => packColumnsAt(src, rows, cols, dst, 6 * ld, ld, off), RangeError);
    assert.throws(() => packColumnsAt(src, rows, cols, dst, 0, ld, 6), RangeError);
  } finally {
    src.free();
    dst.free();
  }
});

test('dscalAt scales its range only; symmetrizeRows mirrors the upper triangle for its rows only', () => {
  const D = 70,
    C = memory.f64(D * D);
  try {
    C.view.set(Float64Array.from({ length: D * D }, (_, i) => i));
    dscalAt(D, 0.5, C, 3 * D);
    for (let i = 0; i < D * D; i++) assert.equal(C.view[i], i >= 3 * D && i < 4 * D ? i / 2 : i);
    C.view.set(Float64Array.from({ length: D * D }, (_, i) => i));
    symmetrizeRows(C, D, 32, 64);
    for (let i = 0; i < D; i++) for (let j = 0; j < i; j++) assert.equal(C.view[i * D + j], i >= 32 && i < 64 ? j * D + i : i * D + j);
    assert.throws(() => dscalAt(10, 2, C, D * D - 5), RangeError);
    assert.throws(() => symmetrizeRows(C, D, 10, 40), RangeError);
  } finally {
    C.free();
  }
});

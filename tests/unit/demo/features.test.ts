// The demo's HOG-like descriptor against NumPy (scripts/fixtures/demo_hog.py) and
// against hand-worked images whose gradients point one way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hogDescriptor } from '../../../src/demo/features.js';

interface Case {
  width: number;
  height: number;
  cells: number;
  bins: number;
  pixels: number[];
  expected: number[];
}
const { cases } = JSON.parse(readFileSync(new URL('../../fixtures/demo/hog.json', import.meta.url), 'utf8')) as { cases: Case[] };

test('hogDescriptor equals NumPy on random images (square and not, several grids)', () => {
  for (const c of cases) {
    const got = hogDescriptor(c.pixels, c.width, c.height, c.cells, c.bins);
    assert.equal(got.length, c.cells * c.cells * c.bins);
    for (let i = 0; i < got.length; i++) {
      assert.ok(Math.abs(got[i] - c.expected[i]) <= 2e-6, `${c.width}×${c.height}/${c.cells}/${c.bins} [${i}]: ${got[i]} vs ${c.expected[i]}`);
    }
  }
});

test('hogDescriptor by hand: a horizontal ramp puts its weight half in the last bin, half in the first', () => {
  // one row [0, 1, 2], one cell, 4 bins (zero outside the image): gy = 0; gx = 1, 2, −1.
  // θ = 0 → position −0.5 and θ = π → 3.5: bins 3 and 0 get half of each magnitude,
  // raw [2, 0, 0, 2] → L2 → 1/√2 each → clipped to 0.2 → renormalised → 1/√2 each
  const r = (d: Float32Array) => Array.from(d, (v) => Math.round(v * 1e6) / 1e6);
  assert.deepEqual(r(hogDescriptor([0, 1, 2], 3, 1, 1, 4)), [0.707107, 0, 0, 0.707107]);
  // the same ramp as a column: θ = ±π/2 → π/2 → position 1.5 → bins 1 and 2
  assert.deepEqual(r(hogDescriptor([0, 1, 2], 1, 3, 1, 4)), [0, 0.707107, 0.707107, 0]);
  // a 2 × 2 grid on the row [0, 0, 0, 5]: only x = 2 has a gradient (gx = 5 − 0, θ = 0), in cell
  // (row 0, column 1), so all of it lands in that cell's bins 3 and 0; the grid's second row is empty
  assert.deepEqual(r(hogDescriptor([0, 0, 0, 5], 4, 1, 2, 4)), [0, 0, 0, 0, 0.707107, 0, 0, 0.707107, 0, 0, 0, 0, 0, 0, 0, 0]);
  // a blank image has no gradient: all zeros, not NaN (a non-zero constant has edges against the zero border)
  assert.deepEqual(Array.from(hogDescriptor(new Float32Array(16), 4, 4, 2, 3)), new Array(12).fill(0));
});

test('hogDescriptor: writes into `out` (zeroing it first) and returns it', () => {
  const out = new Float32Array(4).fill(9);
  assert.equal(hogDescriptor([0, 1, 2], 1, 3, 1, 4, out), out);
  assert.deepEqual(
    Array.from(out, (v) => Math.round(v * 1e6) / 1e6),
    [0, 0.707107, 0.707107, 0],
  );
});

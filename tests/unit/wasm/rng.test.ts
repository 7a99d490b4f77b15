import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as rng from '../../../src/wasm/rng.js';
import { wasm } from '../../../src/wasm/loader.js';
import { loadFixture } from '../../fixtures/kernels/load.mjs';

await init();

test('xoshiro128** stream and Box–Muller draws match an independent Python implementation', () => {
  for (const c of loadFixture('rng')) {
    const lo = c.seed >>> 0,
      hi = Math.floor(c.seed / 2 ** 32) >>> 0;
    wasm().rngSeed(lo, hi, c.stream);
    for (let i = 0; i < c.u32.length; i++) assert.equal(wasm().rngNextU32() >>> 0, c.u32[i], `seed ${c.seed} draw ${i}`);
    // gaussianOmega draws N(0, 1/σ²): σ = 1/scale gives the fixture's N(0, scale²)
    const w = rng.gaussianOmega(1, c.gauss.length, 1 / c.scale, c.seed, c.stream);
    const z = w.toArray();
    w.free();
    for (let i = 0; i < z.length; i++) {
      // f32 rounding of the reference, plus ≤ a few ulp from wasm vs libm log/cos
      assert.ok(Math.abs(z[i] - c.gauss[i]) <= 1.2e-7 * Math.abs(c.gauss[i]) + 1e-12, `seed ${c.seed} gauss ${i}: ${z[i]} vs ${c.gauss[i]}`);
    }
  }
});

test('gaussianOmega: shape, determinism, seed sensitivity, N(0, 1/σ²) moments', () => {
  const d = 50,
    m = 4000,
    sigma = 2.5;
  const a = rng.gaussianOmega(d, m, sigma, 7),
    b = rng.gaussianOmega(d, m, sigma, 7),
    c = rng.gaussianOmega(d, m, sigma, 8);
  assert.equal(a.length, d * m);
  assert.deepEqual(a.toArray(), b.toArray());
  assert.notDeepEqual(a.toArray().slice(0, 16), c.toArray().slice(0, 16));
  const v = a.toArray();
  let s1 = 0,
    s2 = 0,
    s4 = 0,
    lag = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] * sigma; // standardised
    s1 += x;
    s2 += x * x;
    s4 += x ** 4;
    if (i > 0) lag += x * v[i - 1] * sigma;
  }
  const n = v.length;
  assert.ok(Math.abs(s1 / n) < 5 / Math.sqrt(n), `mean ${s1 / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 5 * Math.sqrt(2 / n), `var ${s2 / n}`);
  assert.ok(Math.abs(s4 / n - 3) < 5 * Math.sqrt(96 / n), `4th moment ${s4 / n}`);
  assert.ok(Math.abs(lag / n) < 5 / Math.sqrt(n), `lag-1 correlation ${lag / n}`);
  a.free();
  b.free();
  c.free();
  assert.throws(() => rng.gaussianOmega(2, 2, 0, 1), RangeError);
  assert.throws(() => rng.gaussianOmega(2, 2, 1, 1.5), RangeError);
});

test('sampleIndices: k distinct sorted indices, seeded, k ≥ n gives all, uniform inclusion', () => {
  const s = rng.sampleIndices(10_000, 1000, 3);
  assert.equal(s.length, 1000);
  for (let i = 1; i < s.length; i++) assert.ok(s[i] > s[i - 1]);
  assert.ok(s[0] >= 0 && s[s.length - 1] < 10_000);
  assert.deepEqual(rng.sampleIndices(10_000, 1000, 3), s);
  assert.notDeepEqual(rng.sampleIndices(10_000, 1000, 4), s);
  assert.deepEqual([...rng.sampleIndices(5, 5, 1)], [0, 1, 2, 3, 4]);
  assert.deepEqual([...rng.sampleIndices(5, 99, 1)], [0, 1, 2, 3, 4]);
  assert.equal(rng.sampleIndices(5, 0, 1).length, 0);
  assert.equal(rng.sampleIndices(0, 3, 1).length, 0);
  // each of 20 items drawn 5 at a time: inclusion probability 1/4
  const counts = new Array(20).fill(0);
  const T = 4000;
  for (let t = 0; t < T; t++) for (const i of rng.sampleIndices(20, 5, t)) counts[i]++;
  for (const c of counts) assert.ok(Math.abs(c / T - 0.25) < 0.035, `inclusion ${c / T}`);
});

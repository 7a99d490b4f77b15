// The demo's digits: the installed package's layout, the seeded order rebuilt
// here (Fisher–Yates driven by mulberry32 seeded with seed ^ 0x5eed), and the two
// representations of a digit set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SIDE, hogMatrix, loadMnistPackage, pixelMatrix, selectDigits, type MnistDigit } from '../../../src/demo/mnist.js';
import { hogDescriptor } from '../../../src/demo/features.js';

/** mulberry32 from its published definition. */
function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ten fake digit lists: digit d has d + 1 samples, pixel p of sample i is d + i / 100 + p / 1e6. */
const fake: MnistDigit[] = Array.from({ length: 10 }, (_, d) => ({
  id: d,
  length: d + 1,
  raw: Float64Array.from({ length: (d + 1) * 784 }, (_, k) => d + Math.floor(k / 784) / 100 + (k % 784) / 1e6),
}));

function order(seed: number): [number, number][] {
  const all: [number, number][] = [];
  for (let d = 0; d < 10; d++) for (let i = 0; i <= d; i++) all.push([d, i]);
  const r = mulberry((seed ^ 0x5eed) >>> 0);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all;
}

test('selectDigits: the seeded order, the first `limit`, pixels and labels of each', () => {
  for (const seed of [0, 3]) {
    const want = order(seed);
    const s = selectDigits(fake, 20, seed);
    assert.equal(s.n, 20);
    assert.deepEqual([s.width, s.height], [28, 28]);
    assert.deepEqual(s.source, want.slice(0, 20));
    assert.deepEqual(
      s.labels,
      want.slice(0, 20).map(([d]) => String(d)),
    );
    s.source.forEach(([d, i], k) => {
      for (const p of [0, 1, 400, 783]) assert.equal(s.pixels[k * 784 + p], Math.fround(d + i / 100 + p / 1e6), `sample ${k} pixel ${p}`);
    });
  }
  const all = selectDigits(fake);
  assert.equal(all.n, 55);
  assert.deepEqual(new Set(all.source.map(([d, i]) => `${d}:${i}`)).size, 55, 'every digit once');
  assert.notDeepEqual(selectDigits(fake, 55, 1).source, all.source);
});

test("pixelMatrix and hogMatrix: the set's pixels, and one descriptor per digit", () => {
  const s = selectDigits(fake, 5, 0);
  const X = pixelMatrix(s);
  assert.deepEqual([X.rows, X.cols], [5, 784]);
  assert.equal(X.data, s.pixels);
  const Y = hogMatrix(s);
  assert.deepEqual([Y.rows, Y.cols], [5, 144]);
  for (let k = 0; k < 5; k++) {
    assert.deepEqual(Y.data.subarray(k * 144, (k + 1) * 144), hogDescriptor(s.pixels.subarray(k * 784, (k + 1) * 784), SIDE, SIDE));
  }
  assert.equal(hogMatrix(s, 2, 5).cols, 20);
});

test('loadMnistPackage: ten digit lists of 28 × 28 images in [0, 1], 10,000 digits in all', () => {
  const digits = loadMnistPackage();
  let total = 0;
  for (let d = 0; d < 10; d++) {
    assert.ok(digits[d].length > 500, `digit ${d}`);
    assert.equal(digits[d].raw.length, digits[d].length * 784);
    total += digits[d].length;
  }
  assert.equal(total, 10000);
  const s = selectDigits(digits, 50, 0);
  assert.ok(s.pixels.every((v) => v >= 0 && v <= 1));
  assert.ok(s.pixels.some((v) => v > 0.5));
});

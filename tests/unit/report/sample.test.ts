// The plotted sample: exact indices against the documented procedure rebuilt here
// (mulberry32 seeded with seed ^ 0x9e3779b9; rejection sampling when few points are
// added, else a partial Fisher–Yates over the rest), both branches and the edges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleLayoutPoints } from '../../../src/report/sample.js';

/** mulberry32, written from its published definition. */
function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function reference(n: number, must: number[], max: number, seed: number): number[] {
  const chosen = new Set(must.filter((i) => Number.isInteger(i) && i >= 0 && i < n));
  const want = Math.min(n, Math.max(max, chosen.size));
  if (want === n) return [...Array(n).keys()];
  const r = mulberry((seed ^ 0x9e3779b9) >>> 0);
  const int = (m: number) => Math.min(m - 1, Math.floor(r() * m));
  if (want - chosen.size < n / 2) {
    while (chosen.size < want) chosen.add(int(n));
  } else {
    const rest = [...Array(n).keys()].filter((i) => !chosen.has(i));
    for (let k = 0; chosen.size < want; k++) {
      const j = k + int(rest.length - k);
      [rest[k], rest[j]] = [rest[j], rest[k]];
      chosen.add(rest[k]);
    }
  }
  return [...chosen].sort((a, b) => a - b);
}

test('sampleLayoutPoints: the exact indices of the documented procedure (rejection branch)', () => {
  for (const seed of [0, 1, 12345, -7]) {
    const got = sampleLayoutPoints(1000, [999, 3, 3], 40, seed);
    assert.deepEqual(got, reference(1000, [999, 3, 3], 40, seed), `seed ${seed}`);
    assert.equal(got.length, 40);
    assert.ok(got.includes(999) && got.includes(3));
  }
});

test('sampleLayoutPoints: the exact indices of the documented procedure (Fisher–Yates branch)', () => {
  for (const seed of [0, 2, 99]) {
    const got = sampleLayoutPoints(100, [50, 0], 80, seed);
    assert.deepEqual(got, reference(100, [50, 0], 80, seed), `seed ${seed}`);
    assert.equal(got.length, 80);
    assert.equal(new Set(got).size, 80);
  }
});

test('sampleLayoutPoints: edges — all points, must beyond max, out-of-range must, n = 0, bad n', () => {
  assert.deepEqual(sampleLayoutPoints(5, [], 5, 0), [0, 1, 2, 3, 4]);
  assert.deepEqual(sampleLayoutPoints(5, [], 100, 0), [0, 1, 2, 3, 4]);
  assert.deepEqual(sampleLayoutPoints(100, [9, 4, 70], 2, 0), [4, 9, 70], 'top samples are never dropped');
  assert.deepEqual(sampleLayoutPoints(100, [-1, 100, 2.5, 7], 1, 3), [7]);
  assert.deepEqual(sampleLayoutPoints(0, [0, 1], 10, 0), []);
  assert.deepEqual(sampleLayoutPoints(10, [], 0, 0), []);
  for (const n of [-1, 1.5, NaN]) {
    assert.throws(() => sampleLayoutPoints(n, [], 3, 0), { name: 'RangeError', message: `spec-embed: invalid sample count ${n}` });
  }
  // any iterable
  assert.deepEqual(sampleLayoutPoints(50, new Set([49, 48]), 2, 0), [48, 49]);
});

// mulberry32 against its C definition, evaluated here in BigInt arithmetic mod 2³²
// (no Math.imul, no >>> tricks), so a slip in the 32-bit JS version shows up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32, seededRandom } from '../../../src/runtime/prng.js';

const M = 1n << 32n;

/**
 *   z = (a += 0x6D2B79F5);
 *   z = (z ^ (z >> 15)) * (z | 1);
 *   z ^= z + (z ^ (z >> 7)) * (z | 61);
 *   return z ^ (z >> 14);
 */
function reference(state: number, count: number): number[] {
  let a = BigInt(state >>> 0);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5n) % M;
    let z = a;
    z = ((z ^ (z >> 15n)) * (z | 1n)) % M;
    z = (z ^ ((z + (z ^ (z >> 7n)) * (z | 61n)) % M)) % M;
    out.push(Number(z ^ (z >> 14n)) / 2 ** 32);
  }
  return out;
}

test('mulberry32 equals the C definition for several states, including 0 and 2³²−1', () => {
  for (const state of [0, 1, 42, 0x9e3779b9, 0xffffffff, 123456789]) {
    const r = mulberry32(state);
    const got = Array.from({ length: 200 }, () => r());
    assert.deepEqual(got, reference(state, 200), `state ${state}`);
  }
  // the state is taken mod 2³²: −1 and 2³²−1 are one stream
  const a = mulberry32(-1),
    b = mulberry32(0xffffffff);
  for (let i = 0; i < 10; i++) assert.equal(a(), b());
});

test('seededRandom(seed) is mulberry32(seed XOR 0x9e3779b9)', () => {
  for (const seed of [0, 1, 2, 7, 2 ** 31, 0xffffffff]) {
    const r = seededRandom(seed);
    const want = reference(((seed >>> 0) ^ 0x9e3779b9) >>> 0, 50);
    assert.deepEqual(
      Array.from({ length: 50 }, () => r()),
      want,
      `seed ${seed}`,
    );
  }
  // neighbouring seeds give unrelated first draws
  const first = [0, 1, 2, 3].map((s) => seededRandom(s)());
  assert.equal(new Set(first).size, 4);
});

test('draws lie in [0, 1) with the moments of a uniform variable', () => {
  const r = seededRandom(5),
    n = 100_000;
  let s1 = 0,
    s2 = 0,
    lo = 1,
    hi = 0;
  for (let i = 0; i < n; i++) {
    const u = r();
    s1 += u;
    s2 += u * u;
    lo = Math.min(lo, u);
    hi = Math.max(hi, u);
  }
  assert.ok(lo >= 0 && hi < 1, `range [${lo}, ${hi}]`);
  // mean 1/2 (sd 1/√(12n)), second moment 1/3 (sd ≈ 0.298/√n): 5 sd
  assert.ok(Math.abs(s1 / n - 0.5) < 5 / Math.sqrt(12 * n), `mean ${s1 / n}`);
  assert.ok(Math.abs(s2 / n - 1 / 3) < (5 * 0.3) / Math.sqrt(n), `second moment ${s2 / n}`);
});

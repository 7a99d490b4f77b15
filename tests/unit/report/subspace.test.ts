// The rows' coordinates in their top principal subspace (randomised range
// finder) against NumPy's SVD (scripts/fixtures/report_layout.py): on rows of
// rank 4 plus 1e-6 noise the pairwise distances must agree, whatever basis of
// the subspace comes out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { principalSubspace } from '../../../src/report/subspace.js';
import { randomF32 } from '../../shared/rng.mjs';

const { subspace: c } = JSON.parse(readFileSync(new URL('../../fixtures/report/layout.json', import.meta.url), 'utf8'));

test('principalSubspace: pairwise distances of the projected rows equal NumPy PCA', () => {
  const z = principalSubspace(c.data, c.rows, c.cols, c.p, 3);
  assert.equal(z.length, c.rows * c.p);
  let worst = 0;
  const scale = Math.max(...c.distances);
  for (let i = 0; i < c.rows; i++) {
    for (let j = 0; j < c.rows; j++) {
      let s = 0;
      for (let q = 0; q < c.p; q++) s += (z[i * c.p + q] - z[j * c.p + q]) ** 2;
      worst = Math.max(worst, Math.abs(Math.sqrt(s) - c.distances[i * c.rows + j]));
    }
  }
  assert.ok(worst <= 1e-6 * scale, `largest distance error ${worst} (scale ${scale})`);
});

test('principalSubspace: seeded (same seed, same coordinates); p ≥ d gives the centred rows', () => {
  const data = Array.from(randomF32(40 * 6, 5));
  assert.deepEqual(principalSubspace(data, 40, 6, 3, 1), principalSubspace(data, 40, 6, 3, 1));
  const all = principalSubspace(data, 40, 6, 6);
  for (let j = 0; j < 6; j++) {
    let mean = 0;
    for (let i = 0; i < 40; i++) mean += data[i * 6 + j] / 40;
    assert.ok(Math.abs(all[j] - (data[j] - mean)) < 1e-12);
  }
});

test('principalSubspace: rows spanning fewer directions than p give zero columns, never NaN', () => {
  // rank 1: every row a multiple of (1, 2, 3, 4, 5)
  const data = Array.from({ length: 20 * 5 }, (_, i) => (Math.floor(i / 5) - 7) * ((i % 5) + 1));
  const z = principalSubspace(data, 20, 5, 3);
  assert.ok(z.every(Number.isFinite));
  // distances are those of the rows themselves (the subspace holds them)
  const d01 = Math.hypot(...[1, 2, 3, 4, 5]);
  const got = Math.hypot(z[0] - z[3], z[1] - z[4], z[2] - z[5]);
  assert.ok(Math.abs(got - d01) < 1e-9 * d01, `${got} vs ${d01}`);
});

// Exact k-NN for UMAP against NumPy (scripts/fixtures/report_layout.py): a full
// distance matrix and a stable argsort, the row itself first, ties to the lower index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exactKnn } from '../../../src/report/knn.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/report/layout.json', import.meta.url), 'utf8'));

test('exactKnn: the indices and distances NumPy finds, the row itself first', () => {
  for (const c of fixture.knn) {
    const got = exactKnn(c.data, c.rows, c.cols, c.k);
    for (let i = 0; i < c.rows; i++) {
      assert.deepEqual(got.indices[i], c.expected[i].indices, `${c.rows}×${c.cols}, k ${c.k}, row ${i}`);
      got.distances[i].forEach((v, j) => assert.ok(Math.abs(v - c.expected[i].distances[j]) <= 1e-12 * (1 + v), `row ${i} distance ${j}`));
    }
  }
});

test('exactKnn: k above n gives every row; k = 1 only the row itself', () => {
  const data = [0, 0, 3, 4, 1, 0];
  const all = exactKnn(data, 3, 2, 10);
  assert.deepEqual(all.indices, [
    [0, 2, 1],
    [1, 2, 0],
    [2, 0, 1],
  ]);
  assert.deepEqual(all.distances[0], [0, 1, 5]);
  assert.deepEqual(exactKnn(data, 3, 2, 1).indices, [[0], [1], [2]]);
});

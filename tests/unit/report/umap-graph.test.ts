// UMAP's fuzzy neighbour graph with numeric keys against umap-js's own
// fuzzySimplicialSet (six string-keyed sparse-matrix operations) on the same
// k-NN: every entry of the union equal, no entry more or fewer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UMAP } from 'umap-js';
import { fuzzyUnion, type UmapInternals } from '../../../src/report/umap-graph.js';
import { exactKnn } from '../../../src/report/knn.js';
import { seededRandom } from '../../../src/report/random.js';
import { randomF32 } from '../../shared/rng.mjs';

type Entry = { row: number; col: number; value: number };

test("fuzzyUnion: the graph umap-js's fuzzySimplicialSet builds, entry by entry", () => {
  for (const [n, p, k, seed] of [
    [60, 4, 15, 1],
    [200, 8, 10, 2],
    [25, 3, 24, 3],
  ]) {
    const flat = randomF32(n * p, seed);
    const rows = Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * p, (i + 1) * p)));
    const knn = exactKnn(flat, n, p, k);
    const umap = new UMAP({ nNeighbors: k, random: seededRandom(0) });
    umap.setPrecomputedKNN(knn.indices, knn.distances);
    const internals = umap as unknown as UmapInternals;
    const ref = internals.fuzzySimplicialSet(rows, k, 1) as unknown as { getAll(): Entry[] };
    const got = fuzzyUnion(internals, n, k) as unknown as { getAll(): Entry[]; nRows: number; nCols: number };
    assert.equal(got.nRows, n);
    assert.equal(got.nCols, n);
    const a = ref.getAll(),
      b = got.getAll();
    assert.equal(b.length, a.length, `n ${n}: as many entries`);
    a.forEach((e, i) => {
      assert.equal(b[i].row, e.row);
      assert.equal(b[i].col, e.col);
      assert.equal(b[i].value, e.value, `n ${n}: entry (${e.row}, ${e.col})`);
    });
  }
});

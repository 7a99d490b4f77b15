// Layouts on layout workers (src/report/layouts.ts running the bundled
// src/report/layout-worker.ts): the same coordinates as in process, bit for bit;
// each job's progress from 0 to 1; in process when workers are off or cannot start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutAll, type LayoutJob } from '../../../src/report/layouts.js';
import { layout2d } from '../../../src/report/layout.js';
import { randomF32 } from '../../shared/rng.mjs';

function jobs(): LayoutJob[] {
  // two planted groups per set, so the layouts have structure to find
  const set = (n: number, d: number, seed: number) => {
    const data = randomF32(n * d, seed);
    for (let i = 0; i < n / 2; i++) data[i * d] += 4;
    return data;
  };
  return [
    { data: set(120, 40, 1), n: 120, d: 40, options: { seed: 2, nEpochs: 30, dims: 8 } },
    { data: set(120, 6, 2), n: 120, d: 6, options: { seed: 2, nEpochs: 30, normalize: true } },
    { data: set(30, 5, 3), n: 30, d: 5, options: { seed: 2 } },
  ];
}

test('layoutAll on workers: the in-process coordinates, bit for bit, in job order', async () => {
  const js = jobs();
  const progress = js.map(() => [] as number[]);
  const got = await layoutAll(js, { onProgress: (j, f) => progress[j].push(f) });
  for (const [i, j] of js.entries()) {
    const ref = await layout2d(j.data, j.n, j.d, j.options);
    assert.equal(got[i].method, ref.method, `job ${i}`);
    assert.deepEqual(Array.from(got[i].xy), Array.from(ref.xy), `job ${i}`);
  }
  assert.deepEqual(
    got.map((l) => l.method),
    ['umap', 'umap', 'pca'],
  );
  for (const [i, p] of progress.entries()) {
    assert.equal(p.at(-1), 1, `job ${i} ends at 1`);
    for (let k = 1; k < p.length; k++) assert.ok(p[k] >= p[k - 1], `job ${i}: progress never goes back`);
  }
});

test('layoutAll: in process when workers are off, or when the worker script fails', async () => {
  const js = jobs().slice(0, 2);
  const ref = await layoutAll(js, { workers: false });
  const fractions: number[] = [];
  assert.deepEqual(
    (await layoutAll(js, { workers: false, onProgress: (_, f) => fractions.push(f) })).map((l) => Array.from(l.xy)),
    ref.map((l) => Array.from(l.xy)),
  );
  assert.ok(fractions.includes(1));
  // a worker whose script throws reports the error (the layout is not silently dropped)
  await assert.rejects(layoutAll(js, { source: 'throw new Error("boom")' }), /boom|worker/);
});

// FeaturePipeline (src/sums/features-pass.ts): a chunk's feature rows, each
// part's φ in its block with its weight; values never depend on the step sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, InputError } from '../../../src/index.js';
import { FeaturePipeline, CHUNK_ROWS, featureCacheBytes, setFeatureCacheLimit, FEATURE_CACHE_BYTES } from '../../../src/sums/features-pass.js';
import { FeatureMap } from '../../../src/features/feature-map.js';
import { resolveKernel } from '../../../src/features/kernel.js';
import { drain } from '../../../src/runtime/cooperative.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();
const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });

test('two parts: [φX, s·φY] per row, s rounded to f32, from row r0 of the inputs; steps never change a value', () => {
  const dx = 7,
    dy = 5,
    rows = CHUNK_ROWS,
    X = mat(rows + 40, dx, 1),
    Y = mat(rows + 40, dy, 2),
    s = Math.sqrt(0.3);
  const lin = resolveKernel('linear', 'X');
  const p = new FeaturePipeline(
    [
      { map: new FeatureMap(lin, dx, 0), scale: 1 },
      { map: new FeatureMap(lin, dy, 0), scale: s },
    ],
    'Ψ',
  );
  try {
    assert.equal(p.D, dx + dy);
    let steps = 0;
    const gen = p.steps([X, Y], 40, rows, 40, ['X', 'Y']);
    for (let r = gen.next(); !r.done; r = gen.next()) steps++;
    assert.ok(steps >= 1, 'the first chunk is split into steps (the sizer starts at 64 rows)');
    const out = p.out.view,
      D = p.D;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < dx; j++) assert.equal(out[r * D + j], X.data[(r + 40) * dx + j]);
      for (let j = 0; j < dy; j++) assert.equal(out[r * D + dx + j], Math.fround(Math.fround(s) * Y.data[(r + 40) * dy + j]));
    }
    const first = out.slice(0, rows * D);
    drain(p.steps([X, Y], 40, rows, 40, ['X', 'Y'])); // the sizer has learnt: other step sizes now
    assert.deepEqual(p.out.view.slice(0, rows * D), first);
  } finally {
    p.free();
  }
});

test('one part: cosine rows of unit length; a bad value names its global row and its part', () => {
  const d = 9,
    rows = 300,
    X = mat(rows, d, 3);
  const p = new FeaturePipeline([{ map: new FeatureMap(resolveKernel('cosine', ''), d, 0), scale: 1 }], 'FINC');
  try {
    drain(p.steps([X], 0, rows, 0, ['set']));
    for (let r = 0; r < rows; r++) {
      let q = 0;
      for (let j = 0; j < d; j++) q += p.out.view[r * d + j] ** 2;
      assert.ok(Math.abs(q - 1) < 1e-6);
    }
    const bad = mat(rows, d, 4);
    bad.data[5 * d + 2] = NaN;
    assert.throws(
      () => drain(p.steps([bad], 0, rows, 1000, ['data.npy'])),
      (e: any) => e instanceof InputError && e.source === 'data.npy' && /row 1006\b/.test(e.message),
    );
  } finally {
    p.free();
  }
});

test("the feature cache budget: all rows' features or none", () => {
  assert.equal(featureCacheBytes(1000, 100), FEATURE_CACHE_BYTES);
  assert.equal(featureCacheBytes(FEATURE_CACHE_BYTES, 100), 0);
  setFeatureCacheLimit(0);
  try {
    assert.equal(featureCacheBytes(10, 10), 0);
  } finally {
    setFeatureCacheLimit();
  }
});

// compare() and finc() results through JSON.stringify: their Float64Arrays (eigenvalues,
// each mode's returnScores vector) come out as arrays, not {"0": …} objects, and the
// result's own keys are unchanged (toJSON is not enumerable).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare } from '../../../src/methods/compare.js';
import { finc } from '../../../src/methods/finc.js';
import { mulberry32 } from '../../shared/rng.mjs';

function rows(n: number, d: number, seed: number): number[][] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => r() - 0.5));
}

test('compare with returnScores: JSON.stringify round trip gives arrays equal to the typed arrays', async () => {
  const res = await compare(rows(30, 5, 1), rows(30, 4, 2), { topK: 2, returnScores: true });
  assert.ok(!Object.keys(res).includes('toJSON'));
  const back = JSON.parse(JSON.stringify(res));
  assert.deepEqual(back.eigenvalues, Array.from(res.eigenvalues));
  assert.equal(back.modes.length, res.modes.length);
  res.modes.forEach((m, i) => {
    assert.ok(Array.isArray(back.modes[i].scores));
    assert.deepEqual(back.modes[i].scores, Array.from(m.scores!));
    assert.deepEqual(back.modes[i].top, m.top);
  });
  assert.equal(back.spectrumComplete, false);
  assert.deepEqual(Object.keys(back), Object.keys(res));
  // the result itself still holds typed arrays
  assert.ok(res.eigenvalues instanceof Float64Array && res.modes[0].scores instanceof Float64Array);
});

test('finc: the same for its results, without returnScores too', async () => {
  const res = await finc(rows(20, 3, 3), rows(25, 3, 4), { topK: 3, kernel: 'linear' });
  const back = JSON.parse(JSON.stringify(res));
  assert.deepEqual(back.eigenvalues, Array.from(res.eigenvalues));
  assert.ok(back.modes.every((m: object) => !('scores' in m)));
  // 3 features: CX − CY has 3 eigenvalues, and 2·topK ≥ 3 lists them all
  assert.equal(back.spectrumComplete, true);
  const scored = await finc(rows(20, 3, 3), rows(25, 3, 4), { topK: 1, kernel: 'linear', returnScores: true });
  const b2 = JSON.parse(JSON.stringify(scored));
  scored.modes.forEach((m, i) => assert.deepEqual(b2.modes[i].scores, Array.from(m.scores!)));
});

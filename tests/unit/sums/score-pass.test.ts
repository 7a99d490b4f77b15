// ScorePass (src/sums/score-pass.ts): scale·F·V per chunk into a sink, rows
// numbered from the pass's base, from cached features or recomputed ones alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, InputError } from '../../../src/index.js';
import { SpecSums } from '../../../src/sums/spec-sums.js';
import { ScorePass } from '../../../src/sums/score-pass.js';
import { CHUNK_ROWS } from '../../../src/sums/features-pass.js';
import { resolveKernel } from '../../../src/features/kernel.js';
import { drain } from '../../../src/runtime/cooperative.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();
const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });
const lin = resolveKernel('linear', 'X');

/** Collects every score the pass hands over, by sample index. */
function sink(n: number, k: number) {
  const got = new Float64Array(n * k).fill(NaN);
  return {
    got,
    addRows(s: ArrayLike<number>, rows: number, start: number, scale = 1) {
      for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) got[(start + r) * k + j] = s[r * k + j] * scale;
    },
  };
}

test('scores are scale·Ψ·V (f32 GEMM), rows from base; cached features give the same scores as recomputed ones', () => {
  const n = 2 * CHUNK_ROWS + 77,
    dx = 6,
    dy = 4,
    D = dx + dy,
    k = 3,
    X = mat(n, dx, 1),
    Y = mat(n, dy, 2);
  const V = randomF32(D * k, 3),
    scale = 0.25;
  const cached = SpecSums.of(lin, lin, 1, 0, { cols: dx, name: 'X' }, { cols: dy, name: 'Y' });
  const plain = SpecSums.of(lin, lin, 1, 0, { cols: dx, name: 'X' }, { cols: dy, name: 'Y' });
  try {
    cached.cacheFeatures(1 << 24);
    drain(cached.addSteps(X, Y));
    drain(plain.addSteps(X, Y));
    assert.ok(cached.allCached && !plain.allCached);
    const a = sink(n, k),
      b = sink(n, k);
    drain(new ScorePass(cached, 0, { V, k, scale }, a, n).steps(null, n));
    const pass = new ScorePass(plain, 0, { V, k, scale }, b, n);
    drain(plain.scoreSteps(pass, X, Y));
    pass.checkComplete();
    assert.deepEqual(a.got, b.got);
    for (let r = 0; r < n; r += 97) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let i = 0; i < D; i++) s += (i < dx ? X.data[r * dx + i] : Y.data[r * dy + i - dx]) * V[i * k + j];
        assert.ok(Math.abs(a.got[r * k + j] - scale * s) < 1e-5 * (1 + Math.abs(s)), `row ${r}, mode ${j}`);
      }
    }
  } finally {
    cached.dispose();
    plain.dispose();
  }
});

test('a pass over a share of the rows numbers them from its base; too many rows, too few, and no data are refused', () => {
  const n = 3000,
    d = 5,
    X = mat(n, d, 4),
    Y = mat(n, d, 5),
    k = 2,
    V = randomF32(2 * d * k, 6);
  const s = SpecSums.of(lin, lin, 1, 0, { cols: d, name: 'X' }, { cols: d, name: 'Y' });
  try {
    s.cacheFeatures(1 << 24);
    const part = (m: typeof X) => ({ data: m.data.subarray(2048 * d), rows: n - 2048, cols: d });
    drain(s.addSetSteps(0, [part(X), part(Y)], 2048));
    const got = sink(n - 2048, k);
    const pass = new ScorePass(s, 0, { V, k, scale: 1 }, got, n - 2048, 2048);
    drain(pass.steps(null, n - 2048));
    assert.ok(got.got.every((v) => !Number.isNaN(v)));
    assert.throws(
      () => drain(pass.steps(null, 1)),
      (e: any) => e instanceof InputError && /scores\(\) received more rows \(953\) than add\(\) did \(952\)/.test(e.message),
    );
    const short = new ScorePass(s, 0, { V, k, scale: 1 }, sink(n, k), 952, 0);
    assert.throws(() => short.checkComplete(), /scores\(\) saw 0 rows, add\(\) saw 952/);
    const none = new ScorePass(s, 0, { V: new Float32Array(0), k: 0, scale: 1 }, sink(0, 0), 952);
    drain(none.steps(null, 952));
    assert.equal(none.scored, 952);
    // a chunk neither sent nor cached: the pass stops, and the sums with it
    assert.throws(() => drain(short.steps(null, 10)), /no data and no cached features/);
    assert.throws(() => drain(none.steps(null, 0)), /unusable/);
  } finally {
    s.dispose();
  }
});

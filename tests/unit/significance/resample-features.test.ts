// The cached features' weighted SYRK: Σ wᵢψᵢψᵢᵀ over rows of non-zero weight (rows scaled by
// √w), against the same sum in f64; and the refusal of buffers beyond one allocation. The
// covariance engine's half-B shortcut C_B v = (n·C v − n_A·λ·J v)/n_B rests on this sum being
// additive over rows, checked here too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { InputError } from '../../../src/errors.js';
import { Scope } from '../../../src/wasm/memory.js';
import { checkSignificanceSize, syrkBlock, weightedSyrk, weightSum } from '../../../src/significance/resample-features.js';
import { mulberry32, randomF32 } from '../../shared/rng.mjs';

await init();

/** Σ wᵢψᵢψᵢᵀ·scale in f64 from the f32 rows, full matrix. */
function reference(psi: Float32Array, n: number, D: number, w: ArrayLike<number>, scale: number): Float64Array {
  const C = new Float64Array(D * D);
  for (let i = 0; i < n; i++) for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) C[a * D + b] += scale * w[i] * psi[i * D + a] * psi[i * D + b];
  return C;
}

for (const D of [7, 300]) {
  test(`weightedSyrk equals Σ wᵢψᵢψᵢᵀ (upper triangle), D = ${D} (${D <= 256 ? 'f64' : 'f32-block'} products)`, () => {
    const n = 600;
    const data = randomF32(n * D, 3 + D);
    const r = mulberry32(9);
    const w = Array.from({ length: n }, () => Math.floor(r() * 3)); // 0, 1 or 2
    const sc = new Scope();
    try {
      const psi = sc.f32(n * D),
        C = sc.f64(D * D),
        block = syrkBlock(sc, D);
      psi.view.set(data);
      C.view.fill(0);
      weightedSyrk(psi, D, 0, w, C, 1 / weightSum(w), block);
      const want = reference(data, n, D, w, 1 / weightSum(w));
      const got = C.view;
      let worst = 0,
        scale = 0;
      for (let a = 0; a < D; a++)
        for (let b = a; b < D; b++) {
          worst = Math.max(worst, Math.abs(got[a * D + b] - want[a * D + b]));
          scale = Math.max(scale, Math.abs(want[a * D + b]));
        }
      assert.ok(worst <= (D <= 256 ? 1e-7 : 1e-5) * scale, `max error ${worst} of ${scale}`);
      // additivity over rows: the sums of the two halves add up to the whole
      const half = w.map((_, i) => (i % 2 ? 1 : 0)),
        other = w.map((_, i) => (i % 2 ? 0 : 1));
      const A = sc.f64(D * D),
        B = sc.f64(D * D),
        F = sc.f64(D * D);
      for (const m of [A, B, F]) m.view.fill(0);
      weightedSyrk(psi, D, 0, half, A, 1, block);
      weightedSyrk(psi, D, 0, other, B, 1, block);
      weightedSyrk(psi, D, 0, new Array(n).fill(1), F, 1, block);
      let add = 0;
      for (let a = 0; a < D; a++) for (let b = a; b < D; b++) add = Math.max(add, Math.abs(A.view[a * D + b] + B.view[a * D + b] - F.view[a * D + b]));
      assert.ok(add <= (D <= 256 ? 1e-9 : 1e-3), `halves add to the whole within ${add}`);
    } finally {
      sc.free();
    }
  });
}

test('checkSignificanceSize refuses features or sums beyond one WebAssembly allocation, naming rffDim', () => {
  checkSignificanceSize(1000, 100);
  assert.throws(
    () => checkSignificanceSize(10_000_000, 2000),
    (e: unknown) => e instanceof InputError && /significance keeps every row's features \(10000000 × 2000 f32\).*rffDim/.test((e as Error).message),
  );
  assert.throws(() => checkSignificanceSize(10, 20000), InputError);
});

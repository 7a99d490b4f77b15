// Kernel CKA's parts on a row sample from features already computed: the sample's
// two m × m Gram matrices (1/m)·ΦΦᵀ, then their HSIC. A sample smaller than the set
// gets the unbiased estimator (centred.ts hsicUnbiasedSteps): the centred Grams'
// inner products overshoot the all-rows value by O(1/m), several times the sample's
// spread (docs/design.md). A "sample" of every row keeps those centred inner products
// (hsicKernelSteps), the value the other routes give. With m rows and D = DX + DY
// features the Grams cost m²·D/2 multiply-adds against m·D²/2 for the D × D sums of
// the same rows (whose centred products equal the biased parts up to rounding):
// cheaper whenever m < D (the matrix-free solve of B1: m = 1000, D = 4000). The
// matrix-free route hands over every row's features, so the sample is gathered from
// them, never read or featurised again.
import { Scope, type WasmArray } from '../wasm/memory.js';
import { gramSteps } from '../wasm/gram.js';
import type { Step } from '../runtime/cooperative.js';
import { hsicKernelSteps, hsicUnbiasedSteps, type HsicParts } from './centred.js';

type F32 = WasmArray<Float32Array>;

/** Copies the rows `idx` of the row-major (· × D) f32 features `phi` into `out` (m × D). */
function gatherRows(phi: F32, D: number, idx: Int32Array, out: F32): void {
  const src = phi.view,
    dst = out.view;
  for (let i = 0; i < idx.length; i++) dst.set(src.subarray(idx[i] * D, (idx[i] + 1) * D), i * D);
}

/**
 * HSIC parts of the paired rows `idx` of ΦX (· × DX) and ΦY (· × DY), f32
 * row-major: ⟨K̃X, K̃Y⟩, ‖K̃X‖², ‖K̃Y‖² of K = (1/m)·ΦΦᵀ over those m rows — or,
 * `unbiased` (a sample of a larger set; m ≥ 4), the unbiased HSIC estimates of the
 * same three — in resumable steps (progress in kernel rows of both sides).
 */
export function* sampleGramHsicSteps(phiX: F32, DX: number, phiY: F32, DY: number, idx: Int32Array, unbiased: boolean): Generator<Step | void, HsicParts> {
  const m = idx.length;
  const sc = new Scope();
  try {
    const rows = sc.f32(Math.max(1, m * Math.max(DX, DY)), `kernel CKA sample features (${m} rows)`);
    const KX = sc.f64(m * m, `kernel CKA sample Gram of X (${m} × ${m})`),
      KY = sc.f64(m * m, `kernel CKA sample Gram of Y (${m} × ${m})`);
    gatherRows(phiX, DX, idx, rows);
    yield* gramSteps(rows, m, DX, 'linear', 0, KX, 1 / m, undefined, 0, 2 * m);
    gatherRows(phiY, DY, idx, rows);
    yield* gramSteps(rows, m, DY, 'linear', 0, KY, 1 / m, undefined, m, 2 * m);
    if (unbiased)
      return yield* hsicUnbiasedSteps(
        () => KX.view,
        () => KY.view,
        m,
      );
    const out = yield* hsicKernelSteps(
      () => KX.view,
      () => KY.view,
      m,
    );
    return out.parts;
  } finally {
    sc.free();
  }
}

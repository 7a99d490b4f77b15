// The centred statistics behind the metrics (docs/design.md, "Metrics and permutation
// tests"): HSIC and CKA from a covariance route's sums or from two n × n kernel
// matrices (biased, or unbiased for a row sample), and the unbiased MMD² from FINC's
// sums. All are O(D²) or O(n²) passes over what the route already built: no data are
// read again.

/** Rows of an n × n matrix per step of the O(n²) passes (~1–4 ms each). */
const ROWS_PER_STEP = (n: number) => Math.max(1, Math.floor((1 << 20) / Math.max(1, n)));

/** The three centred inner products CKA is made of: ⟨K̃X, K̃Y⟩, ‖K̃X‖², ‖K̃Y‖² (any common scale). */
export interface HsicParts {
  xy: number;
  xx: number;
  yy: number;
}

/** CKA = ⟨K̃X, K̃Y⟩ / (‖K̃X‖·‖K̃Y‖); NaN when a side has no variation (a constant kernel). */
export function ckaOf(h: HsicParts): number {
  const den = Math.sqrt(h.xx) * Math.sqrt(h.yy);
  return den > 0 ? Math.min(1, Math.max(0, h.xy / den)) : Number.NaN;
}

/**
 * HSIC parts from paired-row sums S = ΨᵀΨ (row-major D × D, upper triangle
 * valid) and s = Σ Ψ over n rows, with Ψ = [ΦX, c·ΦY] split at DX. With
 * C̃ = S/n − (s/n)(s/n)ᵀ: ⟨K̃X, K̃Y⟩ = n²‖C̃XY‖², ‖K̃X‖² = n²‖C̃XX‖² (the factor
 * c scales xy and yy alike and cancels in CKA). Returned without the n².
 */
export function hsicFromSums(S: Float64Array, s: Float64Array, n: number, D: number, DX: number): HsicParts {
  const gen = hsicSumsSteps(() => S, s, n, D, DX);
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}

/** hsicFromSums in row steps (`S` re-read after each: wasm memory may grow). */
export function* hsicSumsSteps(S0: () => Float64Array, s: Float64Array, n: number, D: number, DX: number): Generator<void, HsicParts> {
  let xx = 0,
    yy = 0,
    xy = 0;
  const mu = Float64Array.from(s, (v) => v / n);
  const step = ROWS_PER_STEP(D);
  let S = S0();
  for (let i = 0; i < D; i++) {
    if (i > 0 && i % step === 0) {
      yield;
      S = S0();
    }
    const row = i * D,
      mi = mu[i];
    for (let j = i; j < D; j++) {
      const c = S[row + j] / n - mi * mu[j];
      const c2 = c * c;
      if (j < DX) xx += i === j ? c2 : 2 * c2;
      else if (i >= DX) yy += i === j ? c2 : 2 * c2;
      else xy += c2;
    }
  }
  return { xy, xx, yy };
}

/**
 * HSIC parts from two kernel matrices (n × n, full storage, any common scale),
 * in row steps (the views are re-read: wasm memory may grow between steps):
 * ⟨HAH, HBH⟩ = Σ A∘B − (2/n)·Σᵢ rAᵢ·rBᵢ + tA·tB/n² with r the row sums, t the totals.
 * With `keep`, also returns HAH and HBH as f32 copies (the permutation test's operands).
 */
export function* hsicKernelSteps(
  A: () => Float64Array,
  B: () => Float64Array,
  n: number,
  keep = false,
): Generator<void, { parts: HsicParts; centred: { A: Float32Array; B: Float32Array } | null }> {
  const { ab, aa, bb, ra, rb, ta, tb, rab, raa, rbb } = yield* kernelSums(A, B, n, false);
  const step = ROWS_PER_STEP(n);
  const parts = {
    xy: ab - (2 / n) * rab + (ta * tb) / (n * n),
    xx: aa - (2 / n) * raa + (ta * ta) / (n * n),
    yy: bb - (2 / n) * rbb + (tb * tb) / (n * n),
  };
  if (!keep) return { parts, centred: null };
  const ca = new Float32Array(n * n),
    cb = new Float32Array(n * n);
  const ma = ta / (n * n),
    mb = tb / (n * n);
  for (let i0 = 0; i0 < n; i0 += step) {
    const a = A(),
      b = B();
    for (let i = i0; i < Math.min(n, i0 + step); i++) {
      const ai = ra[i] / n - ma,
        bi = rb[i] / n - mb;
      for (let j = 0, o = i * n; j < n; j++) {
        ca[o + j] = a[o + j] - ai - ra[j] / n;
        cb[o + j] = b[o + j] - bi - rb[j] / n;
      }
    }
    yield;
  }
  return { parts, centred: { A: ca, B: cb } };
}

/**
 * Unbiased HSIC parts (Song et al. 2012) from two kernel matrices (n × n, full
 * storage, any common scale; n ≥ 4), in row steps like hsicKernelSteps. With
 * K̃, L̃ the matrices with zeroed diagonals (the diagonal is never read):
 * HSICᵤ = [tr(K̃L̃) + (1ᵀK̃1)(1ᵀL̃1)/((n−1)(n−2)) − (2/(n−2))·1ᵀK̃L̃1] / (n(n−3)).
 * The centred Grams' inner product overestimates HSIC by O(1/n) (their diagonal);
 * this estimate has no bias, so CKA from it tracks the population value on a row sample.
 */
export function* hsicUnbiasedSteps(A: () => Float64Array, B: () => Float64Array, n: number): Generator<void, HsicParts> {
  if (!(n >= 4)) throw new RangeError(`spec-embed: the unbiased HSIC needs at least 4 rows, got ${n}`);
  const { ab, aa, bb, ta, tb, rab, raa, rbb } = yield* kernelSums(A, B, n, true);
  const u = (tr: number, t1: number, t2: number, r12: number) => (tr + (t1 * t2) / ((n - 1) * (n - 2)) - (2 / (n - 2)) * r12) / (n * (n - 3));
  return { xy: u(ab, ta, tb, rab), xx: u(aa, ta, ta, raa), yy: u(bb, tb, tb, rbb) };
}

/**
 * The unbiased MMD² of two sets under one feature map from each set's sums
 * (S upper triangle valid) and column sums: Σ_{i≠j} k(xi, xj) = ‖sX‖² − tr SX,
 * so MMD²ᵤ = (‖sX‖² − tr SX)/(nx(nx−1)) + (‖sY‖² − tr SY)/(ny(ny−1)) − 2·sXᵀsY/(nx·ny).
 * NaN when a set has fewer than two rows.
 */
export function mmd2FromSums(SX: Float64Array, SY: Float64Array, sX: Float64Array, sY: Float64Array, nx: number, ny: number, D: number): number {
  if (nx < 2 || ny < 2) return Number.NaN;
  let trX = 0,
    trY = 0;
  for (let i = 0; i < D; i++) {
    trX += SX[i * D + i];
    trY += SY[i * D + i];
  }
  return mmd2FromMoments(dot(sX, sX), trX, dot(sY, sY), trY, dot(sX, sY), nx, ny);
}

/** MMD²ᵤ from the kernel block sums: ΣKXX (all pairs), tr KXX, ΣKYY, tr KYY, ΣKXY. */
export function mmd2FromMoments(sxx: number, trX: number, syy: number, trY: number, sxy: number, nx: number, ny: number): number {
  if (nx < 2 || ny < 2) return Number.NaN;
  return (sxx - trX) / (nx * (nx - 1)) + (syy - trY) / (ny * (ny - 1)) - (2 * sxy) / (nx * ny);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * The sums both HSIC estimators need from two n × n kernel matrices, in row steps:
 * Σ A∘B, Σ A∘A, Σ B∘B, the row sums r and their totals t, Σ rA·rB, Σ rA², Σ rB²;
 * `skipDiagonal` leaves the diagonal out of every sum (the unbiased estimator's K̃, L̃).
 */
function* kernelSums(A: () => Float64Array, B: () => Float64Array, n: number, skipDiagonal: boolean) {
  const ra = new Float64Array(n),
    rb = new Float64Array(n);
  let ab = 0,
    aa = 0,
    bb = 0;
  const step = ROWS_PER_STEP(n);
  for (let i0 = 0; i0 < n; i0 += step) {
    const a = A(),
      b = B();
    for (let i = i0; i < Math.min(n, i0 + step); i++) {
      let sa = 0,
        sb = 0;
      const o = i * n;
      for (let j = o, skip = skipDiagonal ? o + i : -1, end = o + n; j < end; j++) {
        if (j === skip) continue;
        const x = a[j],
          y = b[j];
        sa += x;
        sb += y;
        ab += x * y;
        aa += x * x;
        bb += y * y;
      }
      ra[i] = sa;
      rb[i] = sb;
    }
    yield;
  }
  let ta = 0,
    tb = 0,
    rab = 0,
    raa = 0,
    rbb = 0;
  for (let i = 0; i < n; i++) {
    ta += ra[i];
    tb += rb[i];
    rab += ra[i] * rb[i];
    raa += ra[i] * ra[i];
    rbb += rb[i] * rb[i];
  }
  return { ab, aa, bb, ra, rb, ta, tb, rab, raa, rbb };
}

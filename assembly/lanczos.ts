// Kernels of the thick-restart Lanczos solver: control flow lives in
// src/solver/eigen.ts, every floating-point loop lives here.
//
// The operator is module state, bound by lzBind before a slice of steps (the
// host binds it again after every yield, since another solve may have run):
//   OP_DENSE: y = A x, A symmetric n×n row-major, only the upper triangle read
//             (the exact route's Λ).
//   OP_RSR:   Θ = R S Rᵀ (n×n, n = the rank r), R the pivoted Cholesky factor of
//             the covariance C stored TRANSPOSED (D rows, leading dimension D),
//             S = diag(±1) in pivoted order (the covariance route).
//   OP_GRAM_N: Λ = Σ_b w_b·A_b A_bᵀ (n×n) over one or two f32 feature blocks A_b
//             (n × c_b, the matrix-free covariance route: (1/n)(ΦXΦXᵀ − η·ΦYΦYᵀ)).
//   OP_GRAM_D: M = Σ_b w_b·A_bᵀ A_b (D×D) over blocks of r_b rows × D (FINC's
//             (1/nx)ΦXᵀΦX − (η/ny)ΦYᵀΦY without forming either covariance).
//   OP_EXTERNAL: y is copied from a buffer the host filled (lzBindExternal): the
//             host applies the operator itself (the matrix-free route on workers)
//             and runs one step at a time.
// All use the Euclidean inner product; the basis Q holds rows of length n.
import { ddot, daxpy } from './blas1';
import { dsymvUpper, rsrApply, trapRowLength } from './symv';
import { uniformSymF64 } from './rng';
import { demoteF64, gemvGramDAcc, gemvNAcc, gemvTAcc } from './gemv-pair';

const OP_DENSE: i32 = 0;
const OP_RSR: i32 = 1;
const OP_GRAM_N: i32 = 2;
const OP_GRAM_D: i32 = 3;
const OP_EXTERNAL: i32 = 4;

// Breakdown: β_{j+1} ≤ BREAKDOWN_REL·‖Op‖ (running estimate) means an invariant subspace.
// @ts-ignore: decorator
@inline const BREAKDOWN_REL: f64 = 1e-13;

let opKind: i32 = OP_DENSE;
let opN: i32 = 0;
let opWide: i32 = 0;
let opA: usize = 0;
let opSigns: usize = 0;

/**
 * Binds the operator: kind (0 dense, 1 rsr), dimension n, row width `wide` of
 * the matrix at `a` (n for dense, D for rsr) and the rsr signs (f64, D; 0 for dense).
 */
export function lzBind(kind: i32, n: i32, wide: i32, a: usize, signs: usize): void {
  opKind = kind;
  opN = n;
  opWide = wide;
  opA = a;
  opSigns = signs;
}

/** The feature blocks of the OP_GRAM_* operators (block 1 unused when rows or weight is 0). */
let gA0: usize = 0,
  gR0: i32 = 0,
  gC0: i32 = 0,
  gW0: f64 = 0;
let gA1: usize = 0,
  gR1: i32 = 0,
  gC1: i32 = 0,
  gW1: f64 = 0;
let gScratch: usize = 0;

/**
 * Binds a Gram operator (kind 2: n-side, kind 3: D-side) of dimension n over the
 * f32 blocks (a_b, r_b rows, c_b columns, weight w_b). scratch: f64 space of
 * 2·max(c0, c1) + max(r0, r1) entries.
 */
export function lzBindGram(kind: i32, n: i32, a0: usize, r0: i32, c0: i32, w0: f64, a1: usize, r1: i32, c1: i32, w1: f64, scratch: usize): void {
  opKind = kind;
  opN = n;
  opWide = n;
  gA0 = a0;
  gR0 = r0;
  gC0 = c0;
  gW0 = w0;
  gA1 = a1;
  gR1 = r1;
  gC1 = c1;
  gW1 = w1;
  gScratch = scratch;
}

/** The host-filled result of OP_EXTERNAL (n f64). */
let extY: usize = 0;

/**
 * Binds the external operator of dimension n: lzApply copies y from `y` (n f64),
 * which the host filled with Op·x for the x of the next step (lanczosRun then
 * runs one step). y = 0 binds the dimension only (start vectors).
 */
export function lzBindExternal(n: i32, y: usize): void {
  opKind = OP_EXTERNAL;
  opN = n;
  opWide = n;
  extY = y;
}

/**
 * t = [A_0ᵀx ; A_1ᵀx] (c0 + c1 f64, each from zero) over the bound n-side Gram
 * blocks: a worker's share of OP_GRAM_N's first pass over its rows (x: r f64).
 * The same gemvTAcc as gramBlock, so summing the shares differs from one pass
 * only in the order of the f64 block sums.
 */
export function lzGramT(x: usize, t: usize): void {
  const s32 = gScratch + (<usize>max(gC0, gC1) << 3);
  memory.fill(t, 0, <usize>(gC0 + gC1) << 3);
  if (gR0 > 0 && gC0 > 0 && gW0 != 0.0) gemvTAcc(gR0, gC0, gA0, x, t, s32);
  if (gR1 > 0 && gC1 > 0 && gW1 != 0.0) gemvTAcc(gR1, gC1, gA1, x, t + (<usize>gC0 << 3), s32);
}

/**
 * y = w_0·A_0 t_0 + w_1·A_1 t_1 (the bound blocks' rows, from zero, block 0 then 1:
 * gramBlock's order), t = [t_0 ; t_1] f32: a worker's rows of OP_GRAM_N's result.
 */
export function lzGramN(t32: usize, y: usize): void {
  memory.fill(y, 0, <usize>opN << 3);
  if (gR0 > 0 && gC0 > 0 && gW0 != 0.0) gemvNAcc(gR0, gC0, gA0, t32, y, gW0);
  if (gR1 > 0 && gC1 > 0 && gW1 != 0.0) gemvNAcc(gR1, gC1, gA1, t32 + (<usize>gC0 << 2), y, gW1);
}

/** y += w·A Aᵀ x (n-side, x and y: rows f64) or y += w·Aᵀ A x (D-side, x and y: cols f64). */
function gramBlock(dside: bool, a: usize, rows: i32, cols: i32, w: f64, x: usize, y: usize): void {
  if (rows == 0 || cols == 0 || w == 0.0) return;
  const maxc = max(gC0, gC1);
  const t64 = gScratch,
    s32 = t64 + (<usize>maxc << 3),
    t32 = s32 + (<usize>maxc << 2),
    u64 = t32 + (<usize>maxc << 2);
  if (!dside) {
    memory.fill(t64, 0, <usize>cols << 3);
    gemvTAcc(rows, cols, a, x, t64, s32);
    demoteF64(cols, t64, t32);
    gemvNAcc(rows, cols, a, t32, y, w);
  } else {
    demoteF64(cols, x, t32);
    gemvGramDAcc(rows, cols, a, t32, y, w, u64, s32);
  }
}

/** y = Op x for the bound operator (x, y: n f64, distinct). */
export function lzApply(x: usize, y: usize): void {
  if (opKind == OP_RSR) rsrApply(opN, opWide, opA, opSigns, x, y);
  else if (opKind == OP_EXTERNAL) {
    if (extY == 0) unreachable();
    memory.copy(y, extY, <usize>opN << 3);
  }
  else if (opKind == OP_GRAM_N || opKind == OP_GRAM_D) {
    memory.fill(y, 0, <usize>opN << 3);
    const dside = opKind == OP_GRAM_D;
    gramBlock(dside, gA0, gR0, gC0, gW0, x, y);
    gramBlock(dside, gA1, gR1, gC1, gW1, x, y);
  } else dsymvUpper(opN, opA, x, y);
}

// @ts-ignore: decorator
@inline function row(q: usize, n: i32, i: i32): usize {
  return q + ((<usize>i * <usize>n) << 3);
}

// @ts-ignore: decorator
@inline function vscale(len: i32, s: f64, x: usize, y: usize): void {
  const sv = f64x2.splat(s);
  let t = 0;
  for (; t + 2 <= len; t += 2) {
    const o = <usize>t << 3;
    v128.store(y + o, f64x2.mul(sv, v128.load(x + o)));
  }
  for (; t < len; t++) {
    const o = <usize>t << 3;
    store<f64>(y + o, s * load<f64>(x + o));
  }
}

/** One classical Gram–Schmidt pass: h[i] = <Q_i, w> for i < m, then w -= Σ h_i Q_i. */
function orthPass(m: i32, n: i32, q: usize, w: usize, h: usize): void {
  for (let i = 0; i < m; i++) store<f64>(h + (<usize>i << 3), ddot(n, row(q, n, i), w));
  for (let i = 0; i < m; i++) daxpy(n, -load<f64>(h + (<usize>i << 3)), row(q, n, i), w);
}

/**
 * Writes a new basis vector into row j of Q: seeded uniform values, normalised,
 * then orthogonalised twice against rows 0..j-1. Returns the norm left after
 * orthogonalisation relative to 1 (≈ 0 means the reachable space is exhausted;
 * the row is then not written). w: n f64, h: ≥ j f64.
 */
export function lanczosStart(q: usize, j: i32, w: usize, h: usize, seed: i64): f64 {
  const n = opN;
  uniformSymF64(n, w, seed);
  const nrm = Math.sqrt(ddot(n, w, w));
  vscale(n, 1.0 / nrm, w, w);
  orthPass(j, n, q, w, h);
  orthPass(j, n, q, w, h);
  const left = Math.sqrt(ddot(n, w, w));
  if (left > 0.0) vscale(n, 1.0 / left, w, row(q, n, j));
  return left;
}

/** The running ‖Op‖ estimate after the last lanczosRun step (see lzNormEstimate). */
let normEstimate: f64 = 0;

/**
 * ‖Op‖est as lanczosRun left it. The host passes it back as anormIn of the next
 * slice, so that how the steps are sliced (by elapsed time) cannot change the
 * breakdown test, and results are the same on a busy machine as on an idle one.
 */
export function lzNormEstimate(): f64 {
  return normEstimate;
}

/**
 * Lanczos steps j = j0 .. j1-1 on the bound operator with full (twice-applied
 * classical Gram–Schmidt) reorthogonalisation against rows 0..j of Q. T is
 * (ldt × ldt) row-major; each step writes T[j][j] = α_j and T[j][j+1] =
 * T[j+1][j] = β_{j+1}, and row j+1 of Q. w: n f64; h: ldt f64. Returns j1 when
 * all steps ran, or -(j+1) when β_{j+1} ≤ max(BREAKDOWN_REL·‖Op‖est, brkAbs)
 * (breakdown: α_j written, row j+1 not formed), ‖Op‖est = max(anormIn,
 * sqrt(α_i² + β_{i+1}²)). Each step, the breaking one included, applies Op once.
 */
export function lanczosRun(q: usize, t: usize, ldt: i32, j0: i32, j1: i32, w: usize, h: usize, brkAbs: f64, anormIn: f64): i32 {
  const n = opN;
  let est = anormIn;
  normEstimate = est;
  for (let j = j0; j < j1; j++) {
    lzApply(row(q, n, j), w);
    orthPass(j + 1, n, q, w, h);
    let alpha = load<f64>(h + (<usize>j << 3));
    orthPass(j + 1, n, q, w, h);
    alpha += load<f64>(h + (<usize>j << 3));
    store<f64>(t + ((<usize>j * <usize>ldt + <usize>j) << 3), alpha);
    const beta = Math.sqrt(max(ddot(n, w, w), 0.0));
    // ‖Op q_j‖ ≥ sqrt(α² + β²) is a running lower bound of the operator norm
    est = max(est, Math.sqrt(alpha * alpha + beta * beta));
    normEstimate = est;
    if (!(beta > max(BREAKDOWN_REL * est, brkAbs))) return -(j + 1);
    if (j + 1 < ldt) {
      store<f64>(t + ((<usize>j * <usize>ldt + <usize>(j + 1)) << 3), beta);
      store<f64>(t + ((<usize>(j + 1) * <usize>ldt + <usize>j) << 3), beta);
    }
    store<f64>(h + (<usize>j << 3), beta);
    vscale(n, 1.0 / beta, w, row(q, n, j + 1));
  }
  return j1;
}

/**
 * out_r = Σ_{i<m} Y[r*ldy + i] · Q_i for r < l (rows of length n), in column
 * chunks so the m rows of Q stay in cache. out must not alias q.
 */
export function lzCombineRows(l: i32, m: i32, n: i32, y: usize, ldy: i32, q: usize, out: usize): void {
  const CH = 512;
  for (let c0 = 0; c0 < n; c0 += CH) {
    const len = min(CH, n - c0);
    const co = <usize>c0 << 3;
    for (let r = 0; r < l; r++) {
      const o = row(out, n, r) + co;
      memory.fill(o, 0, <usize>len << 3);
      for (let i = 0; i < m; i++) {
        const yi = load<f64>(y + ((<usize>r * <usize>ldy + <usize>i) << 3));
        if (yi != 0.0) daxpy(len, yi, row(q, n, i) + co, o);
      }
    }
  }
}

/** out[c] = s_c · L_cᵀ w for c < d: the vector S Rᵀ w in pivoted order. */
export function lzRsrBack(r: i32, d: i32, a: usize, s: usize, w: usize, out: usize): void {
  for (let c = 0; c < d; c++) {
    const lc = a + ((<usize>c * <usize>d) << 3);
    store<f64>(out + (<usize>c << 3), ddot(trapRowLength(c, r), lc, w) * load<f64>(s + (<usize>c << 3)));
  }
}

/** Σ over the factor's entries squared (‖R‖_F², an operator-scale bound). */
export function lzRsrFrob2(r: i32, d: i32, a: usize): f64 {
  let f = 0.0;
  for (let c = 0; c < d; c++) {
    const lc = a + ((<usize>c * <usize>d) << 3);
    f += ddot(trapRowLength(c, r), lc, lc);
  }
  return f;
}

/** Σ_{j>=i} a[i][j]² over the upper triangle (diagonal included). */
export function lzFrob2Upper(n: i32, a: usize): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const r = a + ((<usize>i * <usize>n + <usize>i) << 3);
    s += ddot(n - i, r, r);
  }
  return s;
}

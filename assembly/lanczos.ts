// Kernels of the thick-restart Lanczos solver (control flow lives in
// src/kernels/eigen.ts, every floating-point loop lives here).
//
// Operator kinds:
//   0 'dense': y = A x, A symmetric n×n row-major, only the upper triangle read.
//   1 'jc':    J·C in the C-inner product, C symmetric PSD (upper triangle read),
//              J = diag(I_dx, -I_{n-dx}). The basis Q is C-orthonormal and P = C·Q
//              is kept alongside, so each step costs one C-matvec.
//   2 'rjr':   Θ = R J Rᵀ, R upper triangular n×n row-major (from dpotrfUpper).
//   3 'rsr':   Θ = R S Rᵀ, R n×D upper trapezoidal (the pivoted Cholesky factor
//              of C on its numerical range) stored TRANSPOSED (D rows, ld D),
//              S = diag(±1) in pivoted order; D and S set by lzSetTrapezoid.
// Kinds 0 and 2 use the Euclidean inner product and P == Q.
import { ddot as vdot, daxpy as vaxpy } from './blas1';

const OP_DENSE: i32 = 0;
const OP_JC: i32 = 1;
const OP_RJR: i32 = 2;
const OP_RSR: i32 = 3;

// The 'rsr' operator's row width D and sign vector (f64, pivoted order), set
// by lzSetTrapezoid before the solver runs.
let wideCols: i32 = 0;
let signsPtr: usize = 0;
export function lzSetTrapezoid(d: i32, signs: usize): void {
  wideCols = d;
  signsPtr = signs;
}

/**
 * Transposes the n×n row-major matrix at `a` in place (32×32 tiles), turning the
 * pivoted Cholesky factor's rows R[t][·] into rows L[c][·] = R[·][c].
 */
export function lzTransposeSquare(n: i32, a: usize): void {
  lzTransposeRows(n, a, 0, n);
}

/**
 * lzTransposeSquare for the tile rows starting in [r0, r1) (r0 a multiple of 32):
 * each swaps (i, j > i) pairs no other tile row touches, so the host can split
 * the transpose of a large factor into steps.
 */
export function lzTransposeRows(n: i32, a: usize, r0: i32, r1: i32): void {
  const B = 32;
  for (let i0 = r0; i0 < min(r1, n); i0 += B) {
    for (let j0 = i0; j0 < n; j0 += B) {
      const i1 = min(i0 + B, n), j1 = min(j0 + B, n);
      for (let i = i0; i < i1; i++) {
        for (let j = max(j0, i + 1); j < j1; j++) {
          const x = a + ((<usize>i * <usize>n + <usize>j) << 3), y = a + ((<usize>j * <usize>n + <usize>i) << 3);
          const t = load<f64>(x); store<f64>(x, load<f64>(y)); store<f64>(y, t);
        }
      }
    }
  }
}

/** Length of row c of the transposed trapezoidal factor: entries t ≤ min(c, r−1). */
@inline function lrow(c: i32, r: i32): i32 {
  return min(c + 1, r);
}

/**
 * y (length r) = Σ_c s_c · L_c (L_cᵀ x), L_c = row c of the transposed factor
 * (d rows, leading dimension d): Θx = R S Rᵀ x in one pass over the factor,
 * each row read once for its dot product and its axpy.
 */
export function lzRsrApply(r: i32, d: i32, a: usize, s: usize, x: usize, y: usize): void {
  memory.fill(y, 0, <usize>r << 3);
  const ld = <usize>d << 3;
  let c = 0;
  // Four rows at a time over their common length, so x and y stream once per four rows.
  for (; c + 4 <= d; c += 4) {
    const l0 = a + <usize>c * ld, l1 = l0 + ld, l2 = l1 + ld, l3 = l2 + ld;
    const len = lrow(c, r);
    let d0 = f64x2.splat(0), d1 = f64x2.splat(0), d2 = f64x2.splat(0), d3 = f64x2.splat(0);
    let t = 0;
    for (; t + 2 <= len; t += 2) {
      const o = <usize>t << 3;
      const xv = v128.load(x + o);
      d0 = f64x2.add(d0, f64x2.mul(v128.load(l0 + o), xv));
      d1 = f64x2.add(d1, f64x2.mul(v128.load(l1 + o), xv));
      d2 = f64x2.add(d2, f64x2.mul(v128.load(l2 + o), xv));
      d3 = f64x2.add(d3, f64x2.mul(v128.load(l3 + o), xv));
    }
    let s0 = f64x2.extract_lane(d0, 0) + f64x2.extract_lane(d0, 1);
    let s1 = f64x2.extract_lane(d1, 0) + f64x2.extract_lane(d1, 1);
    let s2 = f64x2.extract_lane(d2, 0) + f64x2.extract_lane(d2, 1);
    let s3 = f64x2.extract_lane(d3, 0) + f64x2.extract_lane(d3, 1);
    for (let u = t; u < len; u++) {
      const o = <usize>u << 3;
      const xv = load<f64>(x + o);
      s0 += load<f64>(l0 + o) * xv; s1 += load<f64>(l1 + o) * xv;
      s2 += load<f64>(l2 + o) * xv; s3 += load<f64>(l3 + o) * xv;
    }
    // tails: row c+k has lrow(c+k, r) ≥ len entries
    const e1 = lrow(c + 1, r), e2 = lrow(c + 2, r), e3 = lrow(c + 3, r);
    for (let u = len; u < e1; u++) s1 += load<f64>(l1 + (<usize>u << 3)) * load<f64>(x + (<usize>u << 3));
    for (let u = len; u < e2; u++) s2 += load<f64>(l2 + (<usize>u << 3)) * load<f64>(x + (<usize>u << 3));
    for (let u = len; u < e3; u++) s3 += load<f64>(l3 + (<usize>u << 3)) * load<f64>(x + (<usize>u << 3));
    s0 *= load<f64>(s + (<usize>c << 3)); s1 *= load<f64>(s + (<usize>(c + 1) << 3));
    s2 *= load<f64>(s + (<usize>(c + 2) << 3)); s3 *= load<f64>(s + (<usize>(c + 3) << 3));
    const v0 = f64x2.splat(s0), v1 = f64x2.splat(s1), v2 = f64x2.splat(s2), v3 = f64x2.splat(s3);
    t = 0;
    for (; t + 2 <= len; t += 2) {
      const o = <usize>t << 3;
      let acc = v128.load(y + o);
      acc = f64x2.add(acc, f64x2.mul(v0, v128.load(l0 + o)));
      acc = f64x2.add(acc, f64x2.mul(v1, v128.load(l1 + o)));
      acc = f64x2.add(acc, f64x2.mul(v2, v128.load(l2 + o)));
      acc = f64x2.add(acc, f64x2.mul(v3, v128.load(l3 + o)));
      v128.store(y + o, acc);
    }
    for (let u = t; u < len; u++) {
      const o = <usize>u << 3;
      store<f64>(y + o, load<f64>(y + o) + s0 * load<f64>(l0 + o) + s1 * load<f64>(l1 + o) + s2 * load<f64>(l2 + o) + s3 * load<f64>(l3 + o));
    }
    for (let u = len; u < e1; u++) { const o = <usize>u << 3; store<f64>(y + o, load<f64>(y + o) + s1 * load<f64>(l1 + o)); }
    for (let u = len; u < e2; u++) { const o = <usize>u << 3; store<f64>(y + o, load<f64>(y + o) + s2 * load<f64>(l2 + o)); }
    for (let u = len; u < e3; u++) { const o = <usize>u << 3; store<f64>(y + o, load<f64>(y + o) + s3 * load<f64>(l3 + o)); }
  }
  for (; c < d; c++) {
    const len = lrow(c, r);
    const lc = a + <usize>c * ld;
    const t = vdot(len, lc, x) * load<f64>(s + (<usize>c << 3));
    if (t != 0.0) vaxpy(len, t, lc, y);
  }
}

/** out[c] = s_c · L_cᵀ w for c < d: the vector S Rᵀ w in pivoted order. */
export function lzRsrBack(r: i32, d: i32, a: usize, s: usize, w: usize, out: usize): void {
  for (let c = 0; c < d; c++) {
    const lc = a + ((<usize>c * <usize>d) << 3);
    store<f64>(out + (<usize>c << 3), vdot(lrow(c, r), lc, w) * load<f64>(s + (<usize>c << 3)));
  }
}

/** Σ over the factor's entries squared (‖R‖_F², an operator-scale bound). */
export function lzRsrFrob2(r: i32, d: i32, a: usize): f64 {
  let f = 0.0;
  for (let c = 0; c < d; c++) {
    const lc = a + ((<usize>c * <usize>d) << 3);
    f += vdot(lrow(c, r), lc, lc);
  }
  return f;
}

/** y = s ⊙ x elementwise (s: the 'rsr' signs); y may alias x. */
export function lzApplySigns(d: i32, s: usize, x: usize, y: usize): void {
  for (let i = 0; i < d; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(s + o) * load<f64>(x + o));
  }
}

@inline function row(q: usize, n: i32, i: i32): usize {
  return q + ((<usize>i * <usize>n) << 3);
}

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

/**
 * y = A x for a symmetric n×n row-major A reading ONLY the upper triangle
 * (diagonal included): each row i contributes a dot product to y[i] and an axpy
 * into y[i+1:], fused in one pass so A is streamed once at half the traffic.
 * Rows are taken four at a time so x and y are loaded once per four rows.
 */
export function dsymvUpper(n: i32, a: usize, x: usize, y: usize): void {
  memory.fill(y, 0, <usize>n << 3);
  const ld = <usize>n << 3;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const d0 = a + ((<usize>i * <usize>n + <usize>i) << 3);
    const xp = x + (<usize>i << 3);
    const yp = y + (<usize>i << 3);
    const x0 = load<f64>(xp), x1 = load<f64>(xp, 8), x2 = load<f64>(xp, 16), x3 = load<f64>(xp, 24);
    // 4×4 diagonal block (upper part), scalar
    const a00 = load<f64>(d0), a01 = load<f64>(d0, 8), a02 = load<f64>(d0, 16), a03 = load<f64>(d0, 24);
    const d1 = d0 + ld;
    const a11 = load<f64>(d1, 8), a12 = load<f64>(d1, 16), a13 = load<f64>(d1, 24);
    const d2 = d1 + ld;
    const a22 = load<f64>(d2, 16), a23 = load<f64>(d2, 24);
    const d3 = d2 + ld;
    const a33 = load<f64>(d3, 24);
    let y0 = a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3;
    let y1 = a01 * x0 + a11 * x1 + a12 * x2 + a13 * x3;
    let y2 = a02 * x0 + a12 * x1 + a22 * x2 + a23 * x3;
    let y3 = a03 * x0 + a13 * x1 + a23 * x2 + a33 * x3;
    // columns i+4 .. n-1 of the four rows
    const len = n - i - 4;
    const r0 = d0 + 32, r1 = d1 + 32, r2 = d2 + 32, r3 = d3 + 32;
    const xs = xp + 32, ys = yp + 32;
    const v0 = f64x2.splat(x0), v1 = f64x2.splat(x1), v2 = f64x2.splat(x2), v3 = f64x2.splat(x3);
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    let t = 0;
    for (; t + 2 <= len; t += 2) {
      const o = <usize>t << 3;
      const xv = v128.load(xs + o);
      const b0 = v128.load(r0 + o), b1 = v128.load(r1 + o), b2 = v128.load(r2 + o), b3 = v128.load(r3 + o);
      s0 = f64x2.add(s0, f64x2.mul(b0, xv));
      s1 = f64x2.add(s1, f64x2.mul(b1, xv));
      s2 = f64x2.add(s2, f64x2.mul(b2, xv));
      s3 = f64x2.add(s3, f64x2.mul(b3, xv));
      const u = f64x2.add(f64x2.add(f64x2.mul(b0, v0), f64x2.mul(b1, v1)), f64x2.add(f64x2.mul(b2, v2), f64x2.mul(b3, v3)));
      v128.store(ys + o, f64x2.add(v128.load(ys + o), u));
    }
    y0 += f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    y1 += f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    y2 += f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
    y3 += f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
    for (; t < len; t++) {
      const o = <usize>t << 3;
      const xv = load<f64>(xs + o);
      const b0 = load<f64>(r0 + o), b1 = load<f64>(r1 + o), b2 = load<f64>(r2 + o), b3 = load<f64>(r3 + o);
      y0 += b0 * xv; y1 += b1 * xv; y2 += b2 * xv; y3 += b3 * xv;
      store<f64>(ys + o, load<f64>(ys + o) + ((b0 * x0 + b1 * x1) + (b2 * x2 + b3 * x3)));
    }
    store<f64>(yp, load<f64>(yp) + y0);
    store<f64>(yp, load<f64>(yp, 8) + y1, 8);
    store<f64>(yp, load<f64>(yp, 16) + y2, 16);
    store<f64>(yp, load<f64>(yp, 24) + y3, 24);
  }
  for (; i < n; i++) {
    const rp = a + ((<usize>i * <usize>n + <usize>i) << 3);
    const xi = load<f64>(x + (<usize>i << 3));
    let s = load<f64>(rp) * xi;
    for (let j = i + 1; j < n; j++) {
      const av = load<f64>(rp + (<usize>(j - i) << 3));
      s += av * load<f64>(x + (<usize>j << 3));
      const yq = y + (<usize>j << 3);
      store<f64>(yq, load<f64>(yq) + av * xi);
    }
    const yp = y + (<usize>i << 3);
    store<f64>(yp, load<f64>(yp) + s);
  }
}

/** y = Rᵀ x, R upper triangular n×n row-major (strict lower part ignored). */
export function dtrmvUpperT(n: i32, r: usize, x: usize, y: usize): void {
  memory.fill(y, 0, <usize>n << 3);
  for (let i = 0; i < n; i++) {
    const xi = load<f64>(x + (<usize>i << 3));
    if (xi != 0.0) vaxpy(n - i, xi, r + ((<usize>i * <usize>n + <usize>i) << 3), y + (<usize>i << 3));
  }
}

/** y = R x, R upper triangular n×n row-major (strict lower part ignored). */
export function dtrmvUpper(n: i32, r: usize, x: usize, y: usize): void {
  for (let i = 0; i < n; i++) {
    store<f64>(y + (<usize>i << 3), vdot(n - i, r + ((<usize>i * <usize>n + <usize>i) << 3), x + (<usize>i << 3)));
  }
}

/** y = J x, J = diag(I_dx, -I_{n-dx}); y may alias x. */
export function lzApplyJ(n: i32, dx: i32, x: usize, y: usize): void {
  if (x != y) memory.copy(y, x, <usize>dx << 3);
  for (let i = dx; i < n; i++) store<f64>(y + (<usize>i << 3), -load<f64>(x + (<usize>i << 3)));
}

/** y = s x; y may alias x. */
export function lzScale(n: i32, s: f64, x: usize, y: usize): void {
  vscale(n, s, x, y);
}

/** x - y into out. */
export function lzSub(n: i32, x: usize, y: usize, out: usize): void {
  for (let t = 0; t < n; t++) {
    const o = <usize>t << 3;
    store<f64>(out + o, load<f64>(x + o) - load<f64>(y + o));
  }
}

/**
 * The symmetric operator of kind 0 or 2: y = A x (dense, upper triangle) or
 * y = R J Rᵀ x (tmp: n f64).
 */
export function opApply(kind: i32, n: i32, a: usize, dx: i32, x: usize, y: usize, tmp: usize): void {
  if (kind == OP_RJR) {
    dtrmvUpperT(n, a, x, tmp);
    lzApplyJ(n, dx, tmp, tmp);
    dtrmvUpper(n, a, tmp, y);
  } else if (kind == OP_RSR) {
    lzRsrApply(n, wideCols, a, signsPtr, x, y);
  } else {
    dsymvUpper(n, a, x, y);
  }
}

/** Deterministic uniform values in [-1, 1) from a 64-bit SplitMix sequence. */
export function lzFillUniform(n: i32, x: usize, seed: i64): void {
  let s: u64 = <u64>seed * 0x9e3779b97f4a7c15 + 0x632be59bd9b4e019;
  for (let i = 0; i < n; i++) {
    s += 0x9e3779b97f4a7c15;
    let z = s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    z = z ^ (z >> 31);
    store<f64>(x + (<usize>i << 3), <f64>(z >> 11) * 2.220446049250313e-16 - 1.0);
  }
}

/** h[i] = <P_i, w> for i < m, then w -= Σ h_i Q_i; returns h[m-1] (0 if m == 0). */
function orthPass(m: i32, n: i32, q: usize, p: usize, w: usize, h: usize): void {
  for (let i = 0; i < m; i++) store<f64>(h + (<usize>i << 3), vdot(n, row(p, n, i), w));
  for (let i = 0; i < m; i++) vaxpy(n, -load<f64>(h + (<usize>i << 3)), row(q, n, i), w);
}

/** Same as orthPass, and also z -= Σ h_i P_i (keeps z = C w without a matvec). */
function orthPassZ(m: i32, n: i32, q: usize, p: usize, w: usize, z: usize, h: usize): void {
  for (let i = 0; i < m; i++) store<f64>(h + (<usize>i << 3), vdot(n, row(p, n, i), w));
  for (let i = 0; i < m; i++) {
    const hi = -load<f64>(h + (<usize>i << 3));
    vaxpy(n, hi, row(q, n, i), w);
    vaxpy(n, hi, row(p, n, i), z);
  }
}

/**
 * Writes a new basis vector into row j of Q (and P = C·Q for 'jc'): seeded
 * random g, mapped into range(J·C) for 'jc' (w = J C g), normalised, then
 * orthogonalised twice against rows 0..j-1 in the operator's inner product.
 * Returns the norm left after orthogonalisation relative to 1 (≈ 0 means the
 * reachable space is exhausted; the row is then not normalised).
 */
export function lanczosStart(kind: i32, n: i32, a: usize, dx: i32, q: usize, p: usize, j: i32,
                             w: usize, z: usize, h: usize, seed: i64): f64 {
  if (kind == OP_JC) {
    lzFillUniform(n, z, seed);
    dsymvUpper(n, a, z, w);
    lzApplyJ(n, dx, w, w);
    dsymvUpper(n, a, w, z);
    const nrm = Math.sqrt(max(vdot(n, w, z), 0.0));
    if (!(nrm > 0.0)) return 0.0;
    vscale(n, 1.0 / nrm, w, w);
    vscale(n, 1.0 / nrm, z, z);
    orthPassZ(j, n, q, p, w, z, h);
    orthPassZ(j, n, q, p, w, z, h);
    // fresh C w for accuracy
    dsymvUpper(n, a, w, z);
    const left = Math.sqrt(max(vdot(n, w, z), 0.0));
    if (left > 0.0) {
      vscale(n, 1.0 / left, w, row(q, n, j));
      vscale(n, 1.0 / left, z, row(p, n, j));
    }
    return left;
  }
  lzFillUniform(n, w, seed);
  const nrm = Math.sqrt(vdot(n, w, w));
  vscale(n, 1.0 / nrm, w, w);
  orthPass(j, n, q, q, w, h);
  orthPass(j, n, q, q, w, h);
  const left = Math.sqrt(vdot(n, w, w));
  if (left > 0.0) vscale(n, 1.0 / left, w, row(q, n, j));
  return left;
}

/**
 * Lanczos steps j = j0 .. j1-1 with full (twice-applied classical Gram–Schmidt)
 * reorthogonalisation against rows 0..j of Q. T is (ldt × ldt) row-major; each
 * step writes T[j][j] = α_j and T[j][j+1] = T[j+1][j] = β_{j+1}, and row j+1 of
 * Q (and P). w, z, tmp: n f64 each; h: ldt f64. Returns j1 when all steps ran,
 * or -(j+1) when β_{j+1} <= max(brkRel·‖Op‖est, brkAbs) (breakdown: α_j
 * written, row j+1 not formed); ‖Op‖est = max(anormIn, sqrt(α_i² + β_{i+1}²)).
 * Returns the number of matvecs through mv[0] (i32 at mv).
 */
export function lanczosRun(kind: i32, n: i32, a: usize, dx: i32, q: usize, p: usize,
                           t: usize, ldt: i32, j0: i32, j1: i32,
                           w: usize, z: usize, h: usize, tmp: usize, brkRel: f64, brkAbs: f64, anormIn: f64,
                           mv: usize): i32 {
  const jc = kind == OP_JC;
  let est = anormIn;
  const pp = jc ? p : q;
  let count = 0;
  for (let j = j0; j < j1; j++) {
    if (jc) lzApplyJ(n, dx, row(p, n, j), w);
    else { opApply(kind, n, a, dx, row(q, n, j), w, tmp); count++; }
    orthPass(j + 1, n, q, pp, w, h);
    let alpha = load<f64>(h + (<usize>j << 3));
    orthPass(j + 1, n, q, pp, w, h);
    alpha += load<f64>(h + (<usize>j << 3));
    store<f64>(t + ((<usize>j * <usize>ldt + <usize>j) << 3), alpha);
    let b2: f64;
    if (jc) { dsymvUpper(n, a, w, z); count++; b2 = vdot(n, w, z); }
    else b2 = vdot(n, w, w);
    const beta = Math.sqrt(max(b2, 0.0));
    // ‖Op q_j‖ ≥ sqrt(α² + β²) is a running lower bound of the operator norm
    est = max(est, Math.sqrt(alpha * alpha + beta * beta));
    if (!(beta > max(brkRel * est, brkAbs))) {
      store<i32>(mv, load<i32>(mv) + count);
      return -(j + 1);
    }
    if (j + 1 < ldt) {
      store<f64>(t + ((<usize>j * <usize>ldt + <usize>(j + 1)) << 3), beta);
      store<f64>(t + ((<usize>(j + 1) * <usize>ldt + <usize>j) << 3), beta);
    }
    store<f64>(h + (<usize>j << 3), beta);
    vscale(n, 1.0 / beta, w, row(q, n, j + 1));
    if (jc) vscale(n, 1.0 / beta, z, row(p, n, j + 1));
  }
  store<i32>(mv, load<i32>(mv) + count);
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
        if (yi != 0.0) vaxpy(len, yi, row(q, n, i) + co, o);
      }
    }
  }
}

/** x·y (exported for the host-side control flow). */
export function lzDot(n: i32, x: usize, y: usize): f64 {
  return vdot(n, x, y);
}

/** Σ_{j>=i} a[i][j]² over the upper triangle (diagonal included). */
export function lzFrob2Upper(n: i32, a: usize): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const r = a + ((<usize>i * <usize>n + <usize>i) << 3);
    s += vdot(n - i, r, r);
  }
  return s;
}

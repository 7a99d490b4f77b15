// Symmetric matrix-vector products y = A x in f64 (the eigensolvers' operators).
//  - dsymvUpper: A symmetric n×n row-major, only the upper triangle read (the
//    exact route's Λ, Lanczos operator 'dense').
//  - symvUpperLd: the same on an m×m block with leading dimension ld, one row
//    at a time (the Householder reduction in syev.ts).
//  - rsrApply: Θx = R S Rᵀ x with R the pivoted Cholesky factor stored
//    transposed (Lanczos operator 'rsr', the covariance route).
// Scalar references: symv-ref.ts.
import { ddot, daxpy } from './blas1';

/** Length of row c of the transposed trapezoidal factor of rank r: entries t ≤ min(c, r−1). */
// @ts-ignore: decorator
@inline export function trapRowLength(c: i32, r: i32): i32 {
  return min(c + 1, r);
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

/** y = A x over the upper triangle of the m×m block at a (leading dimension ld). */
export function symvUpperLd(m: i32, a: usize, ld: i32, x: usize, y: usize): void {
  memory.fill(y, 0, <usize>m << 3);
  for (let i = 0; i < m; i++) {
    const row = a + ((<usize>i * <usize>ld + <usize>i) << 3);
    const xi = load<f64>(x + (<usize>i << 3));
    const xiv = f64x2.splat(xi);
    const len = m - i - 1;
    const r = row + 8;
    const xs = x + (<usize>(i + 1) << 3);
    const ys = y + (<usize>(i + 1) << 3);
    let s0 = f64x2.splat(0);
    let t = 0;
    for (; t + 2 <= len; t += 2) {
      const o = <usize>t << 3;
      const av = v128.load(r + o);
      s0 = f64x2.add(s0, f64x2.mul(av, v128.load(xs + o)));
      v128.store(ys + o, f64x2.add(v128.load(ys + o), f64x2.mul(av, xiv)));
    }
    let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    for (; t < len; t++) {
      const o = <usize>t << 3;
      const av = load<f64>(r + o);
      s += av * load<f64>(xs + o);
      store<f64>(ys + o, load<f64>(ys + o) + av * xi);
    }
    const yp = y + (<usize>i << 3);
    store<f64>(yp, load<f64>(yp) + load<f64>(row) * xi + s);
  }
}

/**
 * y (length r) = Σ_c s_c · L_c (L_cᵀ x), L_c = row c of the transposed factor
 * (d rows, leading dimension d): Θx = R S Rᵀ x in one pass over the factor,
 * each row read once for its dot product and its axpy.
 */
export function rsrApply(r: i32, d: i32, a: usize, s: usize, x: usize, y: usize): void {
  memory.fill(y, 0, <usize>r << 3);
  const ld = <usize>d << 3;
  let c = 0;
  // Four rows at a time over their common length, so x and y stream once per four rows.
  for (; c + 4 <= d; c += 4) {
    const l0 = a + <usize>c * ld, l1 = l0 + ld, l2 = l1 + ld, l3 = l2 + ld;
    const len = trapRowLength(c, r);
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
    // tails: row c+k has trapRowLength(c+k, r) ≥ len entries
    const e1 = trapRowLength(c + 1, r), e2 = trapRowLength(c + 2, r), e3 = trapRowLength(c + 3, r);
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
    const len = trapRowLength(c, r);
    const lc = a + <usize>c * ld;
    const t = ddot(len, lc, x) * load<f64>(s + (<usize>c << 3));
    if (t != 0.0) daxpy(len, t, lc, y);
  }
}

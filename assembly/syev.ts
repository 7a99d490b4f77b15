// Dense symmetric eigensolver: Householder tridiagonalisation (upper triangle of a
// row-major matrix, rank-2 updates row by row) with the orthogonal factor Qᵀ
// accumulated by right multiplication, then implicit QL with Wilkinson shifts on
// the tridiagonal matrix, rotations applied to ROWS of Zᵀ (contiguous, SIMD).
// Output convention of dsyevRaw: d ascending, row i of zt = eigenvector i.
import { ddot as dot, daxpy as axpy } from './blas1';
import { symvUpperLd } from './symv';

@inline function at(a: usize, n: i32, i: i32, j: i32): usize {
  return a + ((<usize>i * <usize>n + <usize>j) << 3);
}

/**
 * Householder reduction of the symmetric n×n row-major matrix at a (upper
 * triangle read; destroyed) to tridiagonal form T = QᵀAQ: d (n) diagonal, e (n)
 * with e[i] = T[i][i+1] (e[n-1] = 0). Householder vectors are left in the rows of
 * a, scalars in tau (n). work needs 2n f64.
 */
export function dsytrdUpper(n: i32, a: usize, d: usize, e: usize, tau: usize, work: usize): void {
  const p = work;
  const w = work + (<usize>n << 3);
  for (let k = 0; k < n - 2; k++) {
    const m = n - k - 1;
    const x = at(a, n, k, k + 1);
    store<f64>(d + (<usize>k << 3), load<f64>(at(a, n, k, k)));
    // scaled norm of x[1:]
    let scale = 0.0;
    for (let t = 0; t < m; t++) scale = max(scale, Math.abs(load<f64>(x + (<usize>t << 3))));
    const alpha = load<f64>(x);
    let sigma = 0.0;
    if (scale > 0.0) {
      // Divide, not multiply by 1/scale: for a subnormal scale 1/scale overflows to Inf.
      for (let t = 1; t < m; t++) {
        const v = load<f64>(x + (<usize>t << 3)) / scale;
        sigma += v * v;
      }
    }
    if (sigma == 0.0) {
      store<f64>(tau + (<usize>k << 3), 0.0);
      store<f64>(e + (<usize>k << 3), alpha);
      continue;
    }
    const as = alpha / scale;
    const normx = scale * Math.sqrt(as * as + sigma);
    const beta = alpha >= 0 ? -normx : normx;
    const v0 = alpha - beta;
    const tk = (beta - alpha) / beta;
    store<f64>(x, 1.0);
    for (let t = 1; t < m; t++) {
      const o = x + (<usize>t << 3);
      store<f64>(o, load<f64>(o) / v0); // v0 ~ ‖x‖ may be subnormal: no 1/v0
    }
    store<f64>(tau + (<usize>k << 3), tk);
    store<f64>(e + (<usize>k << 3), beta);
    // A22 <- H A22 H, H = I - tk v vᵀ
    const a22 = at(a, n, k + 1, k + 1);
    symvUpperLd(m, a22, n, x, p);
    for (let t = 0; t < m; t++) store<f64>(p + (<usize>t << 3), load<f64>(p + (<usize>t << 3)) * tk);
    const kk = 0.5 * tk * dot(m, p, x);
    for (let t = 0; t < m; t++) {
      const o = <usize>t << 3;
      store<f64>(w + o, load<f64>(p + o) - kk * load<f64>(x + o));
    }
    // upper-triangle rank-2 update: A22[i][j] -= v_i w_j + w_i v_j, j >= i
    for (let i = 0; i < m; i++) {
      const row = a22 + ((<usize>i * <usize>n + <usize>i) << 3);
      const off = <usize>i << 3;
      const vi = load<f64>(x + off), wi = load<f64>(w + off);
      axpy(m - i, -vi, w + off, row);
      axpy(m - i, -wi, x + off, row);
    }
  }
  if (n >= 2) {
    store<f64>(d + (<usize>(n - 2) << 3), load<f64>(at(a, n, n - 2, n - 2)));
    store<f64>(e + (<usize>(n - 2) << 3), load<f64>(at(a, n, n - 2, n - 1)));
  }
  if (n >= 1) {
    store<f64>(d + (<usize>(n - 1) << 3), load<f64>(at(a, n, n - 1, n - 1)));
    store<f64>(e + (<usize>(n - 1) << 3), 0.0);
  }
}

/** zt = Qᵀ from the reflectors left by dsytrdUpper. work needs n f64. */
export function dorgtrT(n: i32, a: usize, tau: usize, zt: usize, work: usize): void {
  memory.fill(zt, 0, (<usize>n * <usize>n) << 3);
  for (let i = 0; i < n; i++) store<f64>(at(zt, n, i, i), 1.0);
  // Qᵀ = H_{n-3} ... H_0, built as Z <- Z H_k for k = n-3 .. 0; only the block
  // [k+1:, k+1:] changes.
  for (let k = n - 3; k >= 0; k--) {
    const tk = load<f64>(tau + (<usize>k << 3));
    if (tk == 0.0) continue;
    const m = n - k - 1;
    const v = at(a, n, k, k + 1);
    for (let i = 0; i < m; i++) {
      const row = at(zt, n, k + 1 + i, k + 1);
      const y = dot(m, row, v);
      axpy(m, -tk * y, v, row);
    }
  }
}

@inline function pythag(a: f64, b: f64): f64 {
  const aa = Math.abs(a), ab = Math.abs(b);
  if (aa > ab) {
    const r = ab / aa;
    return aa * Math.sqrt(1.0 + r * r);
  }
  if (ab == 0.0) return 0.0;
  const r = aa / ab;
  return ab * Math.sqrt(1.0 + r * r);
}

/** Rows i and i+1 of zt: [zi; zi1] <- [c zi - s zi1; s zi + c zi1]. */
@inline function rotRows(n: i32, zt: usize, i: i32, c: f64, s: f64): void {
  if (zt == 0) return;
  const r0 = at(zt, n, i, 0);
  const r1 = r0 + (<usize>n << 3);
  const cv = f64x2.splat(c), sv = f64x2.splat(s);
  let t = 0;
  for (; t + 2 <= n; t += 2) {
    const o = <usize>t << 3;
    const x = v128.load(r0 + o), y = v128.load(r1 + o);
    v128.store(r0 + o, f64x2.sub(f64x2.mul(cv, x), f64x2.mul(sv, y)));
    v128.store(r1 + o, f64x2.add(f64x2.mul(sv, x), f64x2.mul(cv, y)));
  }
  for (; t < n; t++) {
    const o = <usize>t << 3;
    const x = load<f64>(r0 + o), y = load<f64>(r1 + o);
    store<f64>(r0 + o, c * x - s * y);
    store<f64>(r1 + o, s * x + c * y);
  }
}

/**
 * Implicit QL with Wilkinson shifts on the symmetric tridiagonal (d, e),
 * e[i] = T[i][i+1], e has n entries (e[n-1] ignored, zeroed). On exit d holds the
 * eigenvalues in ascending order and, if zt != 0, the rows of zt (n×n, on entry
 * Qᵀ or the identity) are the corresponding eigenvectors. Returns 0, or l+1 if
 * eigenvalue l was still unconverged when the budget of 30·n sweeps ran out.
 */
export function dsteqlT(n: i32, d: usize, e: usize, zt: usize): i32 {
  if (n <= 0) return 0;
  store<f64>(e + (<usize>(n - 1) << 3), 0.0);
  // absolute deflation floor eps·‖T‖ (normwise backward stable; without it
  // clusters of zero eigenvalues never satisfy the relative test)
  let tnorm = 0.0;
  for (let i = 0; i < n; i++) {
    tnorm = max(tnorm, Math.abs(load<f64>(d + (<usize>i << 3))) + 2.0 * Math.abs(load<f64>(e + (<usize>i << 3))));
  }
  const floor = 1.1102230246251565e-16 * tnorm;
  let fail = 0;
  // LAPACK's budget: 30·n QL sweeps in all, not a fixed count per eigenvalue
  // (clusters of tiny eigenvalues can need far more than average for one l).
  let budget = 30 * n;
  for (let l = 0; l < n; l++) {
    while (true) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(load<f64>(d + (<usize>m << 3))) + Math.abs(load<f64>(d + (<usize>(m + 1) << 3)));
        const em = Math.abs(load<f64>(e + (<usize>m << 3)));
        if (em <= 1.1102230246251565e-16 * dd || em <= floor) break;
      }
      if (m == l) break;
      if (--budget < 0) {
        if (fail == 0) fail = l + 1;
        break;
      }
      const dl = load<f64>(d + (<usize>l << 3));
      const el = load<f64>(e + (<usize>l << 3));
      let g = (load<f64>(d + (<usize>(l + 1) << 3)) - dl) / (2.0 * el);
      let r = pythag(g, 1.0);
      g = load<f64>(d + (<usize>m << 3)) - dl + el / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
      let s = 1.0, c = 1.0, p = 0.0;
      let i = m - 1;
      let early = false;
      for (; i >= l; i--) {
        const ei = load<f64>(e + (<usize>i << 3));
        const f = s * ei;
        const b = c * ei;
        r = pythag(f, g);
        store<f64>(e + (<usize>(i + 1) << 3), r);
        if (r == 0.0) {
          const q = d + (<usize>(i + 1) << 3);
          store<f64>(q, load<f64>(q) - p);
          store<f64>(e + (<usize>m << 3), 0.0);
          early = true;
          break;
        }
        s = f / r;
        c = g / r;
        const di1 = d + (<usize>(i + 1) << 3);
        g = load<f64>(di1) - p;
        r = (load<f64>(d + (<usize>i << 3)) - g) * s + 2.0 * c * b;
        p = s * r;
        store<f64>(di1, g + p);
        g = c * r - b;
        // eigenvector columns i, i+1 of Z  ==  rows i, i+1 of Zᵀ
        rotRows(n, zt, i, c, s);
      }
      if (early) continue;
      const dlp = d + (<usize>l << 3);
      store<f64>(dlp, load<f64>(dlp) - p);
      store<f64>(e + (<usize>l << 3), g);
      store<f64>(e + (<usize>m << 3), 0.0);
    }
  }
  // selection sort ascending, swapping rows of zt
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let pmin = load<f64>(d + (<usize>i << 3));
    for (let j = i + 1; j < n; j++) {
      const v = load<f64>(d + (<usize>j << 3));
      if (v < pmin) { k = j; pmin = v; }
    }
    if (k != i) {
      store<f64>(d + (<usize>k << 3), load<f64>(d + (<usize>i << 3)));
      store<f64>(d + (<usize>i << 3), pmin);
      if (zt != 0) {
        const ri = at(zt, n, i, 0), rk = at(zt, n, k, 0);
        for (let t = 0; t < n; t++) {
          const o = <usize>t << 3;
          const tmp = load<f64>(ri + o);
          store<f64>(ri + o, load<f64>(rk + o));
          store<f64>(rk + o, tmp);
        }
      }
    }
  }
  return fail;
}

/**
 * Full symmetric eigendecomposition of the n×n row-major matrix at a (upper
 * triangle read, a destroyed). d (n): eigenvalues ascending; zt (n×n): row i =
 * eigenvector i; work needs 4n f64. Returns dsteqlT's status.
 */
export function dsyevRaw(n: i32, a: usize, d: usize, zt: usize, work: usize): i32 {
  const e = work;
  const tau = work + (<usize>n << 3);
  const w2 = work + (<usize>(2 * n) << 3);
  const unscale = conditionUpper(n, a);
  dsytrdUpper(n, a, d, e, tau, w2);
  dorgtrT(n, a, tau, zt, w2);
  const info = dsteqlT(n, d, e, zt);
  for (let i = 0; i < n; i++) store<f64>(d + (<usize>i << 3), load<f64>(d + (<usize>i << 3)) * unscale);
  return info;
}

/**
 * Readies the upper triangle of `a` (overwritten) for the Householder/QL steps, as
 * LAPACK's dsyev scales: multiplies it by a power of two that brings its largest
 * entry near 1 (exact), and sets to 0 the entries below 2⁻⁵³·max/n — a change
 * below the rounding of any eigenvalue, but one that keeps subnormal entries out
 * of the reflectors (computed from subnormals, a reflector is not orthogonal and
 * the eigenvalues come out wrong, or QL never converges). Returns the factor that
 * takes the eigenvalues back to the input's scale.
 */
function conditionUpper(n: i32, a: usize): f64 {
  let big = 0.0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) big = max(big, Math.abs(load<f64>(at(a, n, i, j))));
  if (!(big > 0.0) || !isFinite(big)) return 1.0;
  // 2^-k with k the exponent of big: exact scaling, the largest entry lands in [1, 2).
  // 2^-k in two factors: for a subnormal maximum 2^-k alone overflows.
  const k = <i32>Math.floor(Math.log2(big));
  const h = -k >> 1;
  const up1 = Math.pow(2.0, <f64>h), up2 = Math.pow(2.0, <f64>(-k - h));
  const tiny = 1.1102230246251565e-16 / <f64>max(n, 1); // 2⁻⁵³/n of the scaled maximum (≥ 1)
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const p = at(a, n, i, j);
      const v = (load<f64>(p) * up1) * up2;
      store<f64>(p, Math.abs(v) < tiny ? 0.0 : v);
    }
  }
  return Math.pow(2.0, <f64>k);
}

/** out[i*n + j] = src[j*n + i] (blocked transpose, out != src). */
export function eigTranspose(n: i32, src: usize, out: usize): void {
  const B = 32;
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = min(i0 + B, n);
    for (let j0 = 0; j0 < n; j0 += B) {
      const j1 = min(j0 + B, n);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) store<f64>(at(out, n, i, j), load<f64>(at(src, n, j, i)));
      }
    }
  }
}

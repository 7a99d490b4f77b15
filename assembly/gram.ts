// Exact Gram matrices for the exact route: out = scale·[k(xi, xj)] (full n × n,
// f64). The inner products come from the SYRK machinery applied to Xᵀ (f32
// products, flushed into f64 every ≤ 256 coordinates); norms are computed in f64.
import { KC } from './gemm-4x8';
import { ddot, dsqdist } from './blas1';
import { packCols } from './pack';
import { syrkPackedRows, symmetrizeRows } from './syrk';
import { firstNonFinite, rowSquaredNorm, setFeatError, ERR_ZERO_ROW } from './features';

export const GRAM_LINEAR: i32 = 0;
export const GRAM_COSINE: i32 = 1;
export const GRAM_GAUSSIAN: i32 = 2;

/**
 * out (n × n f64) = scale·k(xi, xj) for X n × d f32. kind: 0 linear, 1 cosine,
 * 2 gaussian with k = exp(−‖xi − xj‖²·gamma) (gamma = 1/(2σ²)); squared
 * distances come from ‖x‖² + ‖y‖² − 2xᵀy clamped at 0, the diagonal is exact.
 * Returns -1, or the first bad row (see featErrKind: NaN/Inf, or zero row under cosine).
 */
export function gramF64(x: usize, n: i32, d: i32, kind: i32, gamma: f64, out: usize, scale: f64): i32 {
  if (n <= 0) return -1;
  return gramRowsF64(x, n, d, kind, gamma, out, scale, 0, n);
}

/**
 * Rows [r0, r1) of gramF64's matrix, both triangles (r0 a multiple of 32): the
 * host builds a large Gram in row blocks and yields between them. Row i's
 * entries j ≥ i are computed, then the lower-triangle entries of these rows are
 * copied from rows < r1 (all computed by now when blocks go in order). Only the
 * block's own rows are checked: a bad row below r1 is reported by its own block.
 * Bit-identical to one whole-matrix call: each entry sums the same products in
 * the same order.
 */
export function gramRowsF64(x: usize, n: i32, d: i32, kind: i32, gamma: f64, out: usize, scale: f64, r0: i32, r1: i32): i32 {
  if (r1 <= r0) return -1;
  const ldx = <usize>d << 2;
  const ldo = <usize>n << 3;
  const bad = firstNonFinite(x + <usize>r0 * ldx, r1 - r0, d, d);
  if (bad >= 0) return r0 + bad;
  // Squared norms (cosine: inverse norms) of rows r0..n−1, indexed from r0.
  const sq = heap.alloc(<usize>(n - r0) << 3);
  for (let i = r0; i < n; i++) {
    const s = rowSquaredNorm(x + <usize>i * ldx, d);
    if (kind == GRAM_COSINE && s == 0 && i < r1) {
      heap.free(sq);
      setFeatError(ERR_ZERO_ROW, -1);
      return i;
    }
    store<f64>(sq + (<usize>(i - r0) << 3), kind == GRAM_COSINE ? 1.0 / Math.sqrt(s) : s);
  }
  memory.fill(out + <usize>r0 * ldo, 0, <usize>(r1 - r0) * ldo);
  const accScale = kind == GRAM_LINEAR ? scale : 1.0;
  if (d > 0) {
    // Pack rows a0..n−1 only; the panel base is shifted so panel p still means rows 8p..8p+7.
    const a0 = r0 & ~7;
    const kcMax = min(d, KC);
    const pk = heap.alloc(<usize>((n - a0 + 7) >> 3) * (<usize>kcMax << 5));
    for (let p0 = 0; p0 < d; p0 += KC) {
      const kc = min(KC, d - p0);
      packCols(x + <usize>a0 * ldx + (<usize>p0 << 2), d, n - a0, kc, pk);
      syrkPackedRows(pk - <usize>(a0 >> 3) * (<usize>kc << 5), n, kc, out, n, accScale, r0, r1);
    }
    heap.free(pk);
  }
  if (kind == GRAM_COSINE || kind == GRAM_GAUSSIAN) {
    const cos = kind == GRAM_COSINE;
    for (let i = r0; i < r1; i++) {
      const ri = out + <usize>i * ldo;
      const si = load<f64>(sq + (<usize>(i - r0) << 3));
      store<f64>(ri + (<usize>i << 3), scale);
      for (let j = i + 1; j < n; j++) {
        const p = ri + (<usize>j << 3);
        const sj = load<f64>(sq + (<usize>(j - r0) << 3));
        if (cos) {
          store<f64>(p, scale * ((load<f64>(p) * si) * sj));
        } else {
          let d2 = (si + sj) - 2.0 * load<f64>(p);
          if (d2 < 0) d2 = 0;
          store<f64>(p, scale * Math.exp(-d2 * gamma));
        }
      }
    }
  }
  heap.free(sq);
  symmetrizeRows(out, n, r0, r1);
  return -1;
}

/**
 * All pairwise Euclidean distances i < j of the rows × d f32 matrix, in the
 * order (0,1), (0,2), …, (0,n−1), (1,2), … written to out (f64), computed from
 * the coordinate differences in f64.
 */
export function pairwiseDistances(x: usize, rows: i32, d: i32, out: usize): void {
  pairwiseDistancesRows(x, rows, d, 0, rows, out);
}

/**
 * The pairs (i, k), i0 ≤ i < i1, k > i, of pairwiseDistances, written where that
 * call writes them (out is the start of the whole output): the host computes
 * the distances in row steps and yields between them.
 */
export function pairwiseDistancesRows(x: usize, rows: i32, d: i32, i0: i32, i1: i32, out: usize): void {
  const ldx = <usize>d << 2;
  let o = out + ((<usize>i0 * <usize>(rows - 1) - ((<usize>i0 * <usize>(i0 - 1)) >> 1)) << 3);
  for (let i = i0; i < i1; i++) {
    const ri = x + <usize>i * ldx;
    for (let k = i + 1; k < rows; k++) {
      const rk = x + <usize>k * ldx;
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
      let j = 0;
      for (; j + 4 <= d; j += 4) {
        const jo = <usize>j << 2;
        const u = v128.load(ri + jo);
        const w = v128.load(rk + jo);
        const lo = f64x2.sub(f64x2.promote_low_f32x4(u), f64x2.promote_low_f32x4(w));
        const hi = f64x2.sub(
          f64x2.promote_low_f32x4(v128.shuffle<f32>(u, u, 2, 3, 0, 1)),
          f64x2.promote_low_f32x4(v128.shuffle<f32>(w, w, 2, 3, 0, 1)));
        a0 = f64x2.add(a0, f64x2.mul(lo, lo));
        a1 = f64x2.add(a1, f64x2.mul(hi, hi));
      }
      const a = f64x2.add(a0, a1);
      let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
      for (; j < d; j++) {
        const t = <f64>load<f32>(ri + (<usize>j << 2)) - <f64>load<f32>(rk + (<usize>j << 2));
        s += t * t;
      }
      store<f64>(o, Math.sqrt(s));
      o += 8;
    }
  }
}

/**
 * x[i] = exp(−gamma·x[i]) for i < n, in place: Gaussian kernel values from squared
 * distances computed by the host, with this module's exp so every runtime agrees bit for bit.
 */
export function expNegScaled(x: usize, n: i32, gamma: f64): void {
  for (let i = 0; i < n; i++) {
    const p = x + (<usize>i << 3);
    store<f64>(p, Math.exp(-load<f64>(p) * gamma));
  }
}

/**
 * Row i of a Gram matrix of f64 rows, from column j0 on: out[j − j0] = pᵢ·pⱼ
 * (squared = 0) or ‖pᵢ − pⱼ‖² (squared = 1), j = j0 .. n−1, for the n × d
 * row-major f64 matrix p (FINC's exact route and small exact kernels need f64 products).
 */
export function gramRowF64(p: usize, n: i32, d: i32, i: i32, j0: i32, squared: i32, out: usize): void {
  const ld = <usize>d << 3;
  const pi = p + <usize>i * ld;
  for (let j = j0; j < n; j++) {
    const pj = p + <usize>j * ld;
    store<f64>(out + (<usize>(j - j0) << 3), squared ? dsqdist(d, pi, pj) : ddot(d, pi, pj));
  }
}

// Pivoted (rank-revealing) Cholesky, as LAPACK's dpstrf: P·A·Pᵀ = RᵀR with R
// upper trapezoidal (rank r rows), A symmetric n×n row-major, computed in place
// in the upper triangle. Covariance matrices of real features are often
// singular or nearly so, and the covariance route must be exact there
// (docs/design.md §1): stopping at the numerical rank gives a factor of C on its
// numerical range, with no jitter and no ghost eigenvalues.
//
// The host drives the factorisation so it can yield between steps:
//   dpstrfInit; for each panel of NB pivots: dpstrfPanel (left-looking: each
//   pivot needs the updated diagonal, kept in `work` as running sums of
//   squares), then the right-looking trailing update A22 -= R12ᵀR12 on the upper
//   triangle: dpstrfPack packs R12 in 4-column blocks and dpstrfUpdate applies a
//   4×4 f64x2 micro-kernel to a range of block rows; finally
//   dpstrfTransposeRows lays the factor out for Lanczos.

const NB: i32 = 64;

/** Pivots per panel. */
export function dpstrfBlock(): i32 {
  return NB;
}

// @ts-ignore: decorator
@inline function at(a: usize, n: i32, i: i32, j: i32): usize {
  return a + ((<usize>i * <usize>n + <usize>j) << 3);
}

// Diagonal and edge tiles of the trailing update are written out through here.
const EDGE_TILE: usize = memory.data(128, 16);

/** y[0..len) -= s * x[0..len) (f64, SIMD body, scalar tail). */
// @ts-ignore: decorator
@inline function axpyNeg(len: i32, s: f64, x: usize, y: usize): void {
  const sv = f64x2.splat(s);
  let t = 0;
  for (; t + 4 <= len; t += 4) {
    const o = <usize>t << 3;
    v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.mul(sv, v128.load(x + o))));
    v128.store(y + o, f64x2.sub(v128.load(y + o, 16), f64x2.mul(sv, v128.load(x + o, 16))), 16);
  }
  for (; t + 2 <= len; t += 2) {
    const o = <usize>t << 3;
    v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.mul(sv, v128.load(x + o))));
  }
  for (; t < len; t++) {
    const o = <usize>t << 3;
    store<f64>(y + o, load<f64>(y + o) - s * load<f64>(x + o));
  }
}

/** Identity pivots: the start of a factorisation. */
export function dpstrfInit(n: i32, piv: usize): void {
  for (let i = 0; i < n; i++) store<i32>(piv + (<usize>i << 2), i);
}

/** Swaps symmetric indices j < q of the row-major matrix: the R rows above j and the trailing upper triangle. */
function swapSym(n: i32, a: usize, j: i32, q: i32): void {
  for (let p = 0; p < j; p++) {
    const x = at(a, n, p, j), y = at(a, n, p, q);
    const t = load<f64>(x); store<f64>(x, load<f64>(y)); store<f64>(y, t);
  }
  {
    const x = at(a, n, j, j), y = at(a, n, q, q);
    const t = load<f64>(x); store<f64>(x, load<f64>(y)); store<f64>(y, t);
  }
  for (let i = j + 1; i < q; i++) {
    const x = at(a, n, j, i), y = at(a, n, i, q);
    const t = load<f64>(x); store<f64>(x, load<f64>(y)); store<f64>(y, t);
  }
  for (let i = q + 1; i < n; i++) {
    const x = at(a, n, j, i), y = at(a, n, q, i);
    const t = load<f64>(x); store<f64>(x, load<f64>(y)); store<f64>(y, t);
  }
}

/**
 * One panel of pivots k0 .. min(k0+NB, n), without its trailing update
 * (dpstrfPack + dpstrfUpdate, which the host can split): returns the rank when
 * the factorisation ends in this panel, else -1. Stops when no remaining
 * updated diagonal exceeds `tol`. On return rows 0..r-1 hold R (entries at and
 * right of the diagonal, in pivoted column order) and piv[c] (i32) is the
 * original index of pivoted position c. `work`: n f64 scratch. The state
 * between calls lives in `a` and `piv` only, so the host may yield between panels.
 */
export function dpstrfPanel(n: i32, a: usize, piv: usize, work: usize, tol: f64, k0: i32): i32 {
  const k1 = min(k0 + NB, n);
  memory.fill(work, 0, <usize>n << 3);
  for (let j = k0; j < k1; j++) {
    let q = -1;
    let dmax = tol;
    for (let i = j; i < n; i++) {
      const d = load<f64>(at(a, n, i, i)) - load<f64>(work + (<usize>i << 3));
      if (d > dmax) { dmax = d; q = i; }
    }
    if (q < 0) return j;
    if (q != j) {
      swapSym(n, a, j, q);
      const wj = work + (<usize>j << 3), wq = work + (<usize>q << 3);
      const t = load<f64>(wj); store<f64>(wj, load<f64>(wq)); store<f64>(wq, t);
      const pj = piv + (<usize>j << 2), pq = piv + (<usize>q << 2);
      const s = load<i32>(pj); store<i32>(pj, load<i32>(pq)); store<i32>(pq, s);
    }
    const r = Math.sqrt(dmax);
    store<f64>(at(a, n, j, j), r);
    const len = n - j - 1;
    if (len == 0) continue;
    const rowj = at(a, n, j, j + 1);
    for (let p = k0; p < j; p++) {
      const s = load<f64>(at(a, n, p, j));
      if (s != 0.0) axpyNeg(len, s, at(a, n, p, j + 1), rowj);
    }
    const inv = 1.0 / r;
    for (let t = 0; t < len; t++) {
      const o = <usize>t << 3;
      const v = load<f64>(rowj + o) * inv;
      store<f64>(rowj + o, v);
      const wp = work + (<usize>(j + 1 + t) << 3);
      store<f64>(wp, load<f64>(wp) + v * v);
    }
  }
  return k1 >= n ? n : -1;
}

/** Bytes of the packed panel dpstrfPack writes for a panel k0..k1 of an n × n matrix. */
export function dpstrfPackBytes(n: i32, k0: i32, k1: i32): usize {
  return <usize>((n - k1 + 3) >> 2) * (<usize>(k1 - k0) << 5);
}

/** Packs R12 = A[k0:k1, k1:] in 4-column blocks (dpstrfPackBytes bytes at `pack`). */
export function dpstrfPack(n: i32, a: usize, k0: i32, k1: i32, pack: usize): void {
  const m = n - k1;
  const kb = k1 - k0;
  const nblk = (m + 3) >> 2;
  const blkBytes = <usize>kb << 5; // kb * 4 * 8
  for (let jb = 0; jb < nblk; jb++) {
    const base = pack + <usize>jb * blkBytes;
    const c0 = jb << 2;
    const w = min(4, m - c0);
    for (let p = 0; p < kb; p++) {
      const src = at(a, n, k0 + p, k1 + c0);
      const dst = base + (<usize>p << 5);
      if (w == 4) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      } else {
        for (let t = 0; t < 4; t++) store<f64>(dst + (<usize>t << 3), t < w ? load<f64>(src + (<usize>t << 3)) : 0.0);
      }
    }
  }
}

/**
 * The trailing update A22 -= R12ᵀR12 for the 4-row blocks [ib0, ib1) of A22 (upper
 * triangle), from the panel packed by dpstrfPack: the host splits a large
 * update into steps and yields between them. Block row ib costs nblk − ib tiles.
 */
export function dpstrfUpdate(n: i32, a: usize, k0: i32, k1: i32, pack: usize, ib0: i32, ib1: i32): void {
  const m = n - k1;
  const kb = k1 - k0;
  const nblk = (m + 3) >> 2;
  const blkBytes = <usize>kb << 5;
  for (let ib = ib0; ib < min(ib1, nblk); ib++) {
    const pa = pack + <usize>ib * blkBytes;
    const r0 = ib << 2;
    for (let jb = ib; jb < nblk; jb++) {
      const pb = pack + <usize>jb * blkBytes;
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
      let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
      let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      for (let p = 0; p < kb; p++) {
        const o = <usize>p << 5;
        const b0 = v128.load(pb + o);
        const b1 = v128.load(pb + o, 16);
        const a0 = v128.load64_splat(pa + o);
        const a1 = v128.load64_splat(pa + o, 8);
        const a2 = v128.load64_splat(pa + o, 16);
        const a3 = v128.load64_splat(pa + o, 24);
        c00 = f64x2.add(c00, f64x2.mul(a0, b0)); c01 = f64x2.add(c01, f64x2.mul(a0, b1));
        c10 = f64x2.add(c10, f64x2.mul(a1, b0)); c11 = f64x2.add(c11, f64x2.mul(a1, b1));
        c20 = f64x2.add(c20, f64x2.mul(a2, b0)); c21 = f64x2.add(c21, f64x2.mul(a2, b1));
        c30 = f64x2.add(c30, f64x2.mul(a3, b0)); c31 = f64x2.add(c31, f64x2.mul(a3, b1));
      }
      const c0 = jb << 2;
      const full = jb != ib && r0 + 4 <= m && c0 + 4 <= m;
      if (full) {
        let d = at(a, n, k1 + r0, k1 + c0);
        const ld = <usize>n << 3;
        v128.store(d, f64x2.sub(v128.load(d), c00)); v128.store(d, f64x2.sub(v128.load(d, 16), c01), 16); d += ld;
        v128.store(d, f64x2.sub(v128.load(d), c10)); v128.store(d, f64x2.sub(v128.load(d, 16), c11), 16); d += ld;
        v128.store(d, f64x2.sub(v128.load(d), c20)); v128.store(d, f64x2.sub(v128.load(d, 16), c21), 16); d += ld;
        v128.store(d, f64x2.sub(v128.load(d), c30)); v128.store(d, f64x2.sub(v128.load(d, 16), c31), 16);
      } else {
        // diagonal or edge tile: scalar, only j >= i and inside the matrix
        const tile = EDGE_TILE;
        v128.store(tile, c00); v128.store(tile, c01, 16);
        v128.store(tile, c10, 32); v128.store(tile, c11, 48);
        v128.store(tile, c20, 64); v128.store(tile, c21, 80);
        v128.store(tile, c30, 96); v128.store(tile, c31, 112);
        for (let ii = 0; ii < 4; ii++) {
          const i = r0 + ii;
          if (i >= m) break;
          for (let jj = 0; jj < 4; jj++) {
            const j = c0 + jj;
            if (j >= m) break;
            if (j < i) continue;
            const d = at(a, n, k1 + i, k1 + j);
            store<f64>(d, load<f64>(d) - load<f64>(tile + (<usize>(ii * 4 + jj) << 3)));
          }
        }
      }
    }
  }
}

/**
 * Transposes the n×n row-major factor at `a` in place for the 32×32 tile rows
 * starting in [r0, r1) (r0 a multiple of 32), turning the factor's rows R[t][·]
 * into rows L[c][·] = R[·][c], the layout Lanczos' 'rsr' operator reads. Each
 * tile row swaps (i, j > i) pairs no other tile row touches, so the host splits
 * the transpose of a large factor into steps.
 */
export function dpstrfTransposeRows(n: i32, a: usize, r0: i32, r1: i32): void {
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

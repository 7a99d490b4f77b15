import { dpstrfBlock, dpstrfInit, dpstrfPanel, dpstrfPackBytes, dpstrfPack, dpstrfUpdate } from '../../assembly/pstrf';
import { dsyevRaw, dsteqlT } from '../../assembly/syev';
import { dsymvUpper } from '../../assembly/symv';
import { uniformSymF64 } from '../../assembly/rng';

@inline function at(p: usize, n: i32, i: i32, j: i32): usize {
  return p + ((<usize>i * <usize>n + <usize>j) << 3);
}

describe('dpstrf (pivoted Cholesky)', () => {
  it('factors a rank-deficient PSD matrix: rank found and RᵀR = P A Pᵀ', () => {
    // A = GᵀG with G 5 × 70 (rank 5), n = 70 spans two panels of NB = 64 when NB ≤ 64
    const n = 70, k = 5;
    const g = heap.alloc(<usize>(k * n) << 3), a = heap.alloc(<usize>(n * n) << 3), orig = heap.alloc(<usize>(n * n) << 3);
    const piv = heap.alloc(<usize>n << 2), work = heap.alloc(<usize>n << 3);
    uniformSymF64(k * n, g, 11);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s: f64 = 0;
      for (let t = 0; t < k; t++) s += load<f64>(at(g, n, t, i)) * load<f64>(at(g, n, t, j));
      store<f64>(at(a, n, i, j), s);
    }
    memory.copy(orig, a, <usize>(n * n) << 3);
    let maxDiag: f64 = 0;
    for (let i = 0; i < n; i++) maxDiag = max(maxDiag, load<f64>(at(a, n, i, i)));
    const tol = <f64>n * 2.220446049250313e-16 * maxDiag;
    const NB = dpstrfBlock();
    const pack = heap.alloc(dpstrfPackBytes(n, 0, min(NB, n)) + 8);
    dpstrfInit(n, piv);
    let rank = n;
    for (let k0 = 0; k0 < n; k0 += NB) {
      const r = dpstrfPanel(n, a, piv, work, tol, k0);
      if (r >= 0) { rank = r; break; }
      dpstrfPack(n, a, k0, k0 + NB, pack);
      dpstrfUpdate(n, a, k0, k0 + NB, pack, 0, (n - k0 - NB + 3) >> 2);
    }
    expect<i32>(rank).toBe(k);
    let worst: f64 = 0;
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
      let s: f64 = 0;
      for (let t = 0; t <= min(i, rank - 1); t++) s += load<f64>(at(a, n, t, i)) * load<f64>(at(a, n, t, j));
      const pi = load<i32>(piv + (<usize>i << 2)), pj = load<i32>(piv + (<usize>j << 2));
      worst = max(worst, Math.abs(s - load<f64>(at(orig, n, pi, pj))));
    }
    expect<f64>(worst).toBeLessThan(1e-12 * maxDiag);
    heap.free(g); heap.free(a); heap.free(orig); heap.free(piv); heap.free(work); heap.free(pack);
  });
});

describe('dsyevRaw', () => {
  it('diagonalises a 2×2 and a random 13×13 matrix', () => {
    const a = heap.alloc(4 * 8), d = heap.alloc(2 * 8), z = heap.alloc(4 * 8), w = heap.alloc(8 * 8);
    store<f64>(a, 2); store<f64>(a, 1, 8); store<f64>(a, 1, 16); store<f64>(a, 2, 24);
    expect<i32>(dsyevRaw(2, a, d, z, w)).toBe(0);
    expect<f64>(Math.abs(load<f64>(d) - 1)).toBeLessThan(1e-15);
    expect<f64>(Math.abs(load<f64>(d, 8) - 3)).toBeLessThan(1e-15);
    heap.free(a); heap.free(d); heap.free(z); heap.free(w);

    const n = 13;
    const m = heap.alloc(n * n * 8), c = heap.alloc(n * n * 8), e = heap.alloc(n * 8), zt = heap.alloc(n * n * 8), wk = heap.alloc(4 * n * 8);
    uniformSymF64(n * n, m, 5);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) store<f64>(at(m, n, i, j), load<f64>(at(m, n, j, i)));
    memory.copy(c, m, n * n * 8);
    expect<i32>(dsyevRaw(n, c, e, zt, wk)).toBe(0);
    // ‖A z_i − λ_i z_i‖ small for every pair (rows of zt are eigenvectors)
    for (let i = 0; i < n; i++) {
      const lam = load<f64>(e + (<usize>i << 3));
      for (let r = 0; r < n; r++) {
        let s: f64 = 0;
        for (let t = 0; t < n; t++) s += load<f64>(at(m, n, r, t)) * load<f64>(at(zt, n, i, t));
        expect<f64>(Math.abs(s - lam * load<f64>(at(zt, n, i, r)))).toBeLessThan(1e-13);
      }
      if (i > 0) expect<bool>(lam >= load<f64>(e + (<usize>(i - 1) << 3))).toBe(true);
    }
    heap.free(m); heap.free(c); heap.free(e); heap.free(zt); heap.free(wk);
  });
  it('dsteqlT without vectors sorts the eigenvalues of a tridiagonal', () => {
    const d = heap.alloc(3 * 8), e = heap.alloc(3 * 8);
    store<f64>(d, 2); store<f64>(d, 2, 8); store<f64>(d, 2, 16);
    store<f64>(e, 1); store<f64>(e, 1, 8);
    expect<i32>(dsteqlT(3, d, e, 0)).toBe(0);
    expect<f64>(Math.abs(load<f64>(d) - (2 - Math.SQRT2))).toBeLessThan(1e-15);
    expect<f64>(Math.abs(load<f64>(d, 8) - 2)).toBeLessThan(1e-15);
    expect<f64>(Math.abs(load<f64>(d, 16) - (2 + Math.SQRT2))).toBeLessThan(1e-15);
    heap.free(d); heap.free(e);
  });
});

describe('dsymvUpper', () => {
  it('ignores the lower triangle and handles odd sizes', () => {
    for (let n = 1; n < 10; n++) {
      const a = heap.alloc(<usize>(n * n) << 3), x = heap.alloc(<usize>n << 3), y = heap.alloc(<usize>n << 3);
      for (let i = 0; i < n; i++) {
        store<f64>(x + (<usize>i << 3), <f64>(i + 1));
        for (let j = 0; j < n; j++) store<f64>(at(a, n, i, j), j >= i ? <f64>(i + j) : 1e300);
      }
      dsymvUpper(n, a, x, y);
      for (let i = 0; i < n; i++) {
        let s: f64 = 0;
        for (let j = 0; j < n; j++) s += <f64>(i + j) * <f64>(j + 1);
        expect<f64>(load<f64>(y + (<usize>i << 3))).toBe(s);
      }
      heap.free(a); heap.free(x); heap.free(y);
    }
  });
});

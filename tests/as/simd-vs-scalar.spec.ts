// Every SIMD kernel against its scalar reference (assembly/*-ref.ts) on ragged
// sizes (1, 3, 7, 33, … — not multiples of the 4/8-wide vectors) and on
// pointers one element past a 16-byte boundary (unaligned v128 loads/stores).
import { packColumns, packRows, packCols } from '../../assembly/pack';
import { packColumnsRef, packRowsRef, packColsRef } from '../../assembly/pack-ref';
import { microKernel4x8, sgemm, TILE } from '../../assembly/gemm-4x8';
import { microKernel4x8Ref, sgemmRef } from '../../assembly/gemm-4x8-ref';
import { syrkAccumulate, syrkF64, gemmTNAccumulate } from '../../assembly/syrk';
import { syrkRef, gemmTNRef } from '../../assembly/syrk-ref';
import { dsymvUpper, symvUpperLd, rsrApply } from '../../assembly/symv';
import { symvUpperRef, rsrApplyRef } from '../../assembly/symv-ref';
import { sincosF32, sincosScalar } from '../../assembly/sincos';
import { firstNonFinite, featCosine, featRff } from '../../assembly/features';
import { firstNonFiniteRef, featCosineRef, featRffRef } from '../../assembly/features-ref';
import { gramF64, gramRowF64, pairwiseDistances } from '../../assembly/gram';
import { gramRef, gramRowF64Ref, pairwiseDistancesRef } from '../../assembly/gram-ref';
import { gemvTAcc, gemvNAcc, gemvGramDAcc } from '../../assembly/gemv-pair';
import { gemvTAccRef, gemvNAccRef } from '../../assembly/gemv-pair-ref';

const SIZES: i32[] = [1, 3, 7, 8, 9, 33];
const EPS32: f64 = 5.960464477539063e-8; // 2^-24, f32 unit round-off

/** f32 buffer of n values sin(seed + 0.7 i), starting one f32 past a 16-byte boundary. */
function f32s(n: i32, seed: f64): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), <f32>Math.sin(seed + 0.7 * <f64>i));
  return p;
}
/** f64 buffer of n values, starting one f64 past a 16-byte boundary. */
function f64s(n: i32, seed: f64): usize {
  const p = heap.alloc(<usize>(n + 2) << 3) + 8;
  for (let i = 0; i < n; i++) store<f64>(p + (<usize>i << 3), Math.sin(seed + 0.37 * <f64>i));
  return p;
}
function release32(p: usize): void { heap.free(p - 4); }
function release64(p: usize): void { heap.free(p - 8); }
function f32At(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
function f64At(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }

describe('pack', () => {
  it('packColumns, packRows and packCols equal their scalar references exactly', () => {
    for (let a = 0; a < SIZES.length; a++) for (let b = 0; b < SIZES.length; b++) {
      const rows = SIZES[a], cols = SIZES[b], ld = cols + 3;
      const src = f32s(rows * ld, <f64>(a * 7 + b));
      const panels = (max(rows, cols) + 7) >> 3;
      const bytes = panels * 8 * max(rows, cols) + rows * ld + 16;
      const d1 = f32s(bytes, 0), d2 = f32s(bytes, 0);
      packColumns(src, rows, cols, d1, ld, 2, 0.75);
      packColumnsRef(src, rows, cols, d2, ld, 2, 0.75);
      let bad = 0;
      for (let i = 0; i < bytes; i++) if (f32At(d1, i) != f32At(d2, i)) bad++;
      packRows(src, ld, rows, cols, d1);
      packRowsRef(src, ld, rows, cols, d2);
      for (let i = 0; i < bytes; i++) if (f32At(d1, i) != f32At(d2, i)) bad++;
      packCols(src, ld, rows, cols, d1);
      packColsRef(src, ld, rows, cols, d2);
      for (let i = 0; i < bytes; i++) if (f32At(d1, i) != f32At(d2, i)) bad++;
      expect<i32>(bad).toBe(0);
      release32(src); release32(d1); release32(d2);
    }
  });
});

describe('gemm-4x8', () => {
  it('the micro-kernel equals the scalar loop bit for bit (same f32 summation order)', () => {
    const ks: i32[] = [1, 3, 7, 33, 256];
    for (let t = 0; t < ks.length; t++) {
      const kc = ks[t];
      const a = f32s(kc * 8, 1.0 + <f64>t), b = f32s(kc * 8, 2.0 + <f64>t), out = f32s(32, 0);
      microKernel4x8(a, b, kc);
      microKernel4x8Ref(a, b, kc, out);
      let bad = 0;
      for (let i = 0; i < 32; i++) if (load<f32>(TILE + (<usize>i << 2)) != f32At(out, i)) bad++;
      expect<i32>(bad).toBe(0);
      release32(a); release32(b); release32(out);
    }
  });
  it('sgemm is within the f32 summation bound of the f64 reference', () => {
    const ks: i32[] = [1, 7, 33, 300];
    for (let a = 0; a < SIZES.length; a++) for (let b = 0; b < SIZES.length; b++) for (let t = 0; t < ks.length; t++) {
      const m = SIZES[a], n = SIZES[b], k = ks[t];
      const lda = k + 1, ldb = n + 2, ldc = n + 3;
      const A = f32s(m * lda, 1), B = f32s(k * ldb, 2), C = f32s(m * ldc, 3), R = f32s(m * ldc, 3);
      sgemm(m, n, k, A, lda, B, ldb, C, ldc, 0.5);
      sgemmRef(m, n, k, A, lda, B, ldb, R, ldc, 0.5);
      let worst: f64 = 0;
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let mag: f64 = 0.5 * Math.abs(<f64>f32At(R, i * ldc + j));
        for (let p = 0; p < k; p++) mag += Math.abs(<f64>f32At(A, i * lda + p) * <f64>f32At(B, p * ldb + j));
        const err = Math.abs(<f64>f32At(C, i * ldc + j) - <f64>f32At(R, i * ldc + j));
        worst = max(worst, err / (<f64>(k + 3) * EPS32 * mag + 1e-30));
      }
      expect<f64>(worst).toBeLessThanOrEqual(1.0);
      release32(A); release32(B); release32(C); release32(R);
    }
  });
});

describe('syrk', () => {
  it('syrkAccumulate, syrkF64 and gemmTNAccumulate are within the f32 block bound of the f64 reference', () => {
    const rowsList: i32[] = [1, 7, 257];
    for (let a = 0; a < SIZES.length; a++) for (let t = 0; t < rowsList.length; t++) {
      const D = SIZES[a], rows = rowsList[t], ld = D + 1, ldc = D + 2;
      const P = f32s(rows * ld, <f64>(a + t));
      const C1 = f64s(D * ldc, 0), C2 = f64s(D * ldc, 0), C3 = f64s(D * ldc, 0);
      const pt = heap.alloc(<usize>(rows * D) << 3);
      syrkAccumulate(P, rows, D, ld, C1, ldc, 0.5);
      syrkF64(P, rows, D, ld, C2, ldc, 0.5, pt);
      syrkRef(P, rows, D, ld, C3, ldc, 0.5);
      let worst32: f64 = 0, worst64: f64 = 0, lowerTouched = 0;
      for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) {
        const r = f64At(C3, i * ldc + j);
        if (j < i) { if (f64At(C1, i * ldc + j) != r || f64At(C2, i * ldc + j) != r) lowerTouched++; continue; }
        let mag: f64 = Math.abs(Math.sin(0.37 * <f64>(i * ldc + j)));
        for (let q = 0; q < rows; q++) mag += 0.5 * Math.abs(<f64>f32At(P, q * ld + i) * <f64>f32At(P, q * ld + j));
        worst32 = max(worst32, Math.abs(f64At(C1, i * ldc + j) - r) / (<f64>(min(rows, 256) + 3) * EPS32 * mag + 1e-300));
        worst64 = max(worst64, Math.abs(f64At(C2, i * ldc + j) - r) / (<f64>(rows + 3) * 1.2e-16 * mag + 1e-300));
      }
      expect<f64>(worst32).toBeLessThanOrEqual(1.0);
      expect<f64>(worst64).toBeLessThanOrEqual(1.0);
      expect<i32>(lowerTouched).toBe(0);
      // AᵀB with A = the first D columns of P, B = columns 1.. of P (ragged widths)
      const db = max(1, D - 1);
      const T1 = f64s(D * db, 0), T2 = f64s(D * db, 0);
      gemmTNAccumulate(P, ld, D, P + 4, ld, db, rows, T1, db, 0.25);
      gemmTNRef(P, ld, D, P + 4, ld, db, rows, T2, db, 0.25);
      let worstTN: f64 = 0;
      for (let i = 0; i < D; i++) for (let j = 0; j < db; j++) {
        let mag: f64 = Math.abs(Math.sin(0.37 * <f64>(i * db + j)));
        for (let q = 0; q < rows; q++) mag += 0.25 * Math.abs(<f64>f32At(P, q * ld + i) * <f64>f32At(P, q * ld + j + 1));
        worstTN = max(worstTN, Math.abs(f64At(T1, i * db + j) - f64At(T2, i * db + j)) / (<f64>(min(rows, 256) + 3) * EPS32 * mag + 1e-300));
      }
      expect<f64>(worstTN).toBeLessThanOrEqual(1.0);
      release32(P); release64(C1); release64(C2); release64(C3); release64(T1); release64(T2); heap.free(pt);
    }
  });
});

describe('symv', () => {
  it('dsymvUpper, symvUpperLd and rsrApply match their scalar references to f64 rounding', () => {
    for (let a = 0; a < SIZES.length; a++) {
      const n = SIZES[a], ld = n + 1;
      const A = f64s(n * ld, <f64>a), x = f64s(n, 5), y1 = f64s(n, 0), y2 = f64s(n, 0), y3 = f64s(n, 0);
      symvUpperRef(n, A, ld, x, y3);
      symvUpperLd(n, A, ld, x, y2);
      let worst: f64 = 0;
      for (let i = 0; i < n; i++) worst = max(worst, Math.abs(f64At(y2, i) - f64At(y3, i)));
      // dsymvUpper takes ld = n: lower-triangle entries are poisoned to prove they are not read
      const S = f64s(n * n, <f64>a + 0.5);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) store<f64>(S + (<usize>(i * n + j) << 3), NaN);
      dsymvUpper(n, S, x, y1);
      symvUpperRef(n, S, n, x, y3);
      for (let i = 0; i < n; i++) worst = max(worst, Math.abs(f64At(y1, i) - f64At(y3, i)));
      expect<f64>(worst).toBeLessThan(<f64>(n + 1) * 1e-15);
      release64(A); release64(x); release64(y1); release64(y2); release64(y3); release64(S);
    }
    const ranks: i32[] = [1, 3, 7, 33];
    for (let t = 0; t < ranks.length; t++) for (let e = 0; e < 3; e++) {
      const r = ranks[t], d = r + e * 5;
      const L = f64s(d * d, <f64>(t + e)), s = f64s(d, 0), x = f64s(r, 9), y1 = f64s(r, 0), y2 = f64s(r, 0);
      for (let c = 0; c < d; c++) store<f64>(s + (<usize>c << 3), (c * 7) % 3 == 0 ? -1.0 : 1.0);
      rsrApply(r, d, L, s, x, y1);
      rsrApplyRef(r, d, L, s, x, y2);
      let worst: f64 = 0;
      for (let i = 0; i < r; i++) worst = max(worst, Math.abs(f64At(y1, i) - f64At(y2, i)));
      expect<f64>(worst).toBeLessThan(<f64>(d * d + 1) * 1e-15);
      release64(L); release64(s); release64(x); release64(y1); release64(y2);
    }
  });
});

describe('sincos', () => {
  it('sincosF32 equals sincosScalar bit for bit on ragged lengths and unaligned pointers', () => {
    const lens: i32[] = [1, 3, 7, 33, 1003];
    let bad = 0;
    for (let t = 0; t < lens.length; t++) {
      const n = lens[t];
      const x = f32s(n, <f64>t), c = f32s(n, 0), s = f32s(n, 0), c1 = heap.alloc(4), s1 = heap.alloc(4);
      for (let i = 0; i < n; i++) store<f32>(x + (<usize>i << 2), f32At(x, i) * (i % 5 == 0 ? <f32>3e6 : <f32>5000)); // some beyond the 1e6 reduction switch
      sincosF32(x, n, 0.25, c, s);
      for (let i = 0; i < n; i++) {
        sincosScalar(f32At(x, i), 0.25, c1, s1);
        if (reinterpret<u32>(load<f32>(c1)) != reinterpret<u32>(f32At(c, i))) bad++;
        if (reinterpret<u32>(load<f32>(s1)) != reinterpret<u32>(f32At(s, i))) bad++;
      }
      release32(x); release32(c); release32(s); heap.free(c1); heap.free(s1);
    }
    expect<i32>(bad).toBe(0);
  });
});

describe('features', () => {
  it('firstNonFinite finds the same row as the scalar scan', () => {
    for (let a = 0; a < SIZES.length; a++) for (let b = 0; b < SIZES.length; b++) {
      const rows = SIZES[a], d = SIZES[b];
      const x = f32s(rows * d, 1);
      expect<i32>(firstNonFinite(x, rows, d, d)).toBe(-1);
      const at = (rows * d * 2) / 3;
      store<f32>(x + (<usize>at << 2), (a + b) % 2 == 0 ? NaN : -Infinity);
      expect<i32>(firstNonFinite(x, rows, d, d)).toBe(firstNonFiniteRef(x, rows, d, d));
      release32(x);
    }
  });
  it('featCosine and featRff are within rounding of their scalar references', () => {
    for (let a = 0; a < SIZES.length; a++) for (let b = 0; b < SIZES.length; b++) {
      const rows = SIZES[a], d = SIZES[b], m = SIZES[(a + b) % SIZES.length], ld = max(2 * m, d) + 1;
      const x = f32s(rows * d, 2), w = f32s(d * m, 3), o1 = f32s(rows * ld, 0), o2 = f32s(rows * ld, 0);
      expect<i32>(featCosine(x, rows, d, o1, ld)).toBe(-1);
      featCosineRef(x, rows, d, o2, ld);
      let worstCos: f64 = 0;
      for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) worstCos = max(worstCos, Math.abs(<f64>f32At(o1, i * ld + j) - <f64>f32At(o2, i * ld + j)));
      expect<f64>(worstCos).toBeLessThanOrEqual(2 * EPS32);
      expect<i32>(featRff(x, rows, d, w, m, o1, ld)).toBe(-1);
      featRffRef(x, rows, d, w, m, o2, ld);
      let worstRff: f64 = 0;
      for (let i = 0; i < rows; i++) for (let j = 0; j < m; j++) {
        let mag: f64 = 0;
        for (let t = 0; t < d; t++) mag += Math.abs(<f64>f32At(x, i * d + t) * <f64>f32At(w, t * m + j));
        // |Δcos|, |Δsin| ≤ |Δ projection|, plus the f32 rounding of each side
        const bound = (<f64>(d + 3) * EPS32 * mag + 4 * EPS32) / Math.sqrt(<f64>m);
        const e = max(Math.abs(<f64>f32At(o1, i * ld + j) - <f64>f32At(o2, i * ld + j)), Math.abs(<f64>f32At(o1, i * ld + m + j) - <f64>f32At(o2, i * ld + m + j)));
        worstRff = max(worstRff, e / bound);
      }
      expect<f64>(worstRff).toBeLessThanOrEqual(1.0);
      release32(x); release32(w); release32(o1); release32(o2);
    }
  });
});

describe('gram', () => {
  it('gramF64 (linear, cosine, gaussian) and pairwiseDistances are within rounding of the f64 definitions', () => {
    const ds: i32[] = [1, 3, 7, 33, 300];
    for (let a = 0; a < SIZES.length; a++) for (let t = 0; t < ds.length; t++) for (let kind = 0; kind < 3; kind++) {
      const n = SIZES[a], d = ds[t], gamma = 0.3;
      const x = f32s(n * d, 0.1 + <f64>(a + t)), g1 = f64s(n * n, 0), g2 = f64s(n * n, 0);
      expect<i32>(gramF64(x, n, d, kind, gamma, g1, 0.5)).toBe(-1);
      gramRef(x, n, d, kind, gamma, g2, 0.5);
      let worst: f64 = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let mag: f64 = 0, xx: f64 = 0, yy: f64 = 0;
        for (let q = 0; q < d; q++) {
          const u = <f64>f32At(x, i * d + q), v = <f64>f32At(x, j * d + q);
          mag += Math.abs(u * v); xx += u * u; yy += v * v;
        }
        // f32 products summed in blocks of 256, flushed into f64
        const dot = <f64>(min(d, 256) + 3) * EPS32 * mag;
        const bound = kind == 0 ? 0.5 * dot : kind == 1 ? 0.5 * dot / Math.sqrt(xx * yy) : 0.5 * 2 * gamma * dot + 1e-15;
        worst = max(worst, Math.abs(f64At(g1, i * n + j) - f64At(g2, i * n + j)) / (bound + 1e-15));
      }
      expect<f64>(worst).toBeLessThanOrEqual(1.0);
      release32(x); release64(g1); release64(g2);
    }
    for (let a = 0; a < SIZES.length; a++) for (let t = 0; t < ds.length; t++) {
      const n = SIZES[a], d = ds[t], len = max(1, (n * (n - 1)) / 2);
      const x = f32s(n * d, <f64>(a * t)), p1 = f64s(len, 0), p2 = f64s(len, 0);
      pairwiseDistances(x, n, d, p1);
      pairwiseDistancesRef(x, n, d, p2);
      let worst: f64 = 0;
      for (let i = 0; i < (n * (n - 1)) / 2; i++) worst = max(worst, Math.abs(f64At(p1, i) - f64At(p2, i)) / (f64At(p2, i) + 1e-300));
      expect<f64>(worst).toBeLessThan(<f64>(d + 2) * 1.2e-16);
      release32(x); release64(p1); release64(p2);
    }
  });

  it('gramRowF64 (dot, squared distance) is within f64 rounding of the in-order sums, from any start column', () => {
    const ds: i32[] = [1, 3, 4, 7, 33, 300];
    for (let a = 0; a < SIZES.length; a++) for (let t = 0; t < ds.length; t++) for (let squared = 0; squared < 2; squared++) {
      const n = SIZES[a], d = ds[t];
      // f64s starts 8 bytes off a 16-byte boundary: the v128 loads are unaligned.
      const p = f64s(n * d, 0.3 + <f64>(a + t));
      const r1 = f64s(n, 0), r2 = f64s(n, 0);
      for (let i = 0; i < n; i++) for (let j0 = 0; j0 <= i; j0 += max(1, i)) {
        gramRowF64(p, n, d, i, j0, squared, r1);
        gramRowF64Ref(p, n, d, i, j0, squared, r2);
        for (let j = j0; j < n; j++) {
          let mag: f64 = 0;
          for (let q = 0; q < d; q++) {
            const u = f64At(p, i * d + q), v = f64At(p, j * d + q);
            mag += squared ? (u - v) * (u - v) : Math.abs(u * v);
          }
          expect<f64>(Math.abs(f64At(r1, j - j0) - f64At(r2, j - j0))).toBeLessThanOrEqual(<f64>(d + 2) * 2.3e-16 * mag);
        }
      }
      release64(p); release64(r1); release64(r2);
    }
  });
});

// gemv-pair: rows across the 32-row blocks, cols across the 16-column groups (1–3 vectors left in a chunk), the 64-column chunks and the 4-wide tail
const ROWS: i32[] = [1, 3, 4, 7, 17, 33, 65];
const COLS: i32[] = [1, 3, 8, 9, 12, 16, 20, 28, 64, 70, 76, 133, 2000];

describe('gemv-pair', () => {
  it('gemvTAcc (t += Aᵀx, f32 blocks then f64) equals its scalar reference bit for bit', () => {
    for (let a = 0; a < ROWS.length; a++) for (let b = 0; b < COLS.length; b++) {
      const rows = ROWS[a], cols = COLS[b];
      const m = f32s(rows * cols, <f64>(a * 11 + b)), x = f64s(rows, 0.5 + <f64>b);
      const t1 = f64s(cols, 3.0), t2 = f64s(cols, 3.0), s32 = f32s(cols, 0);
      gemvTAcc(rows, cols, m, x, t1, s32);
      gemvTAccRef(rows, cols, m, x, t2);
      let bad = 0;
      for (let c = 0; c < cols; c++) if (f64At(t1, c) != f64At(t2, c)) bad++;
      expect<i32>(bad).toBe(0);
      release32(m); release64(x); release64(t1); release64(t2); release32(s32);
    }
  });
  it('gemvNAcc (y += w·A t, f32 chunks then f64) equals its scalar reference bit for bit', () => {
    for (let a = 0; a < ROWS.length; a++) for (let b = 0; b < COLS.length; b++) {
      const rows = ROWS[a], cols = COLS[b];
      const m = f32s(rows * cols, <f64>(a * 5 + b)), t = f32s(cols, 1.5 + <f64>a);
      const y1 = f64s(rows, 2.0), y2 = f64s(rows, 2.0);
      gemvNAcc(rows, cols, m, t, y1, -0.75);
      gemvNAccRef(rows, cols, m, t, y2, -0.75);
      let bad = 0;
      for (let i = 0; i < rows; i++) if (f64At(y1, i) != f64At(y2, i)) bad++;
      expect<i32>(bad).toBe(0);
      release32(m); release32(t); release64(y1); release64(y2);
    }
  });
  it('gemvGramDAcc (y += Aᵀ(w·A x) in one read of A) equals gemvNAcc into a zeroed u then gemvTAcc, bit for bit', () => {
    for (let a = 0; a < ROWS.length; a++) for (let b = 0; b < COLS.length; b++) {
      const rows = ROWS[a], cols = COLS[b];
      const m = f32s(rows * cols, <f64>(a * 7 + b)), x = f32s(cols, 0.25 + <f64>b);
      const y1 = f64s(cols, 1.0), y2 = f64s(cols, 1.0), u = f64s(rows, 0), s32 = f32s(cols, 0);
      for (let i = 0; i < rows; i++) store<f64>(u + (<usize>i << 3), 0);
      gemvNAcc(rows, cols, m, x, u, -1.25);
      gemvTAcc(rows, cols, m, u, y1, s32);
      const ub = f64s(rows, 0);
      gemvGramDAcc(rows, cols, m, x, y2, -1.25, ub, s32);
      let bad = 0;
      for (let c = 0; c < cols; c++) if (f64At(y1, c) != f64At(y2, c)) bad++;
      expect<i32>(bad).toBe(0);
      release32(m); release32(x); release64(y1); release64(y2); release64(u); release64(ub); release32(s32);
    }
  });
  it('both are within the f32 summation bound of the f64 products', () => {
    const rows = 37, cols = 133;
    const m = f32s(rows * cols, 9.0), x = f64s(rows, 1.0), t = f64s(cols, 0), s32 = f32s(cols, 0);
    for (let c = 0; c < cols; c++) store<f64>(t + (<usize>c << 3), 0);
    gemvTAcc(rows, cols, m, x, t, s32);
    let worst: f64 = 0;
    for (let c = 0; c < cols; c++) {
      let e: f64 = 0, mag: f64 = 0;
      for (let i = 0; i < rows; i++) {
        const p = f64At(x, i) * <f64>f32At(m, i * cols + c);
        e += p;
        mag += Math.abs(p);
      }
      worst = max(worst, Math.abs(f64At(t, c) - e) / mag);
    }
    expect<bool>(worst < 20.0 * EPS32).toBe(true);
    release32(m); release64(x); release64(t); release32(s32);
  });
});

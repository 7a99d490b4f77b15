// The Mantel-style permutation test of CKA (compare): Y's rows are re-paired
// with X's by a permutation P, which leaves ‖K̃X‖ and ‖K̃Y‖ unchanged and moves
// only the cross term. Two engines, one per route:
//  * features (covariance route, and linear CKA): with column-centred features
//    F̃X, F̃Y the cross term is ‖F̃Xᵀ·P·F̃Y‖²_F, one blocked GEMM (DX × n × DY) per
//    permutation, no SYRK of the diagonal blocks;
//  * kernels (exact route): Σᵢⱼ K̃X[i,j]·K̃Y[pᵢ,pⱼ] over the centred n × n kernels,
//    O(n²) per permutation.
import { f32, Scope, type WasmArray } from '../wasm/memory.js';
import { sgemm } from '../wasm/gemm.js';

type F32 = WasmArray<Float32Array>;

/** One CKA's statistic under a permutation, as resumable steps; `scale` turns it into CKA. */
export interface CkaEngine {
  /** ⟨K̃X, P·K̃Y·Pᵀ⟩ for the permutation p (identity: the observed value). */
  cross(p: Int32Array | null): Generator<void, number>;
  /** 1/(‖K̃X‖·‖K̃Y‖): CKA = cross·scale. */
  readonly scale: number;
  free(): void;
}

/** Multiply-adds per GEMM step (~10 ms of blocked SGEMM). */
const GEMM_STEP = 1 << 24;

/** ‖AᵀB‖²_F by a blocked GEMM over row slices (A n × a, B n × b, both row-major f32). */
function* crossNorm(At: F32, B: F32, n: number, a: number, b: number, C: F32): Generator<void, number> {
  const rowsPerStep = Math.max(1, Math.floor(GEMM_STEP / Math.max(1, a * b)));
  for (let k0 = 0; k0 < n; k0 += rowsPerStep) {
    const k = Math.min(rowsPerStep, n - k0);
    // C (a × b) += Aᵀ[:, k0:k0+k] · B[k0:k0+k, :]
    sgemm(a, b, k, At, n, B, b, C, b, k0 === 0 ? 0 : 1, k0, k0 * b, 0);
    if (k0 + k < n) yield;
  }
  const c = C.view;
  let s = 0;
  for (let i = 0; i < a * b; i++) s += c[i] * c[i];
  return s;
}

/** Aᵀ of an n × a row-major buffer, as a × n. */
function transposed(A: F32, n: number, a: number, what: string): F32 {
  const T = f32(Math.max(1, n * a), what);
  const s = A.view,
    t = T.view;
  for (let i = 0; i < n; i++) for (let j = 0; j < a; j++) t[j * n + i] = s[i * a + j];
  return T;
}

/**
 * The features engine over column-centred FX (n × DX) and FY (n × DY); takes
 * ownership of both buffers. ‖K̃X‖ = ‖F̃XᵀF̃X‖_F, ‖K̃Y‖ likewise (one GEMM each, once).
 */
export function* featureEngine(FX: F32, FY: F32, n: number, DX: number, DY: number): Generator<void, CkaEngine> {
  const sc = new Scope();
  sc.own(FX);
  sc.own(FY);
  try {
    const XT = sc.own(transposed(FX, n, DX, 'X features, transposed'));
    const YT = sc.own(transposed(FY, n, DY, 'Y features, transposed'));
    const C = sc.f32(Math.max(DX * DY, DX * DX, DY * DY), 'cross block');
    const PY = sc.f32(Math.max(1, n * DY), 'permuted Y features');
    const xx = yield* crossNorm(XT, FX, n, DX, DX, C);
    const yy = yield* crossNorm(YT, FY, n, DY, DY, C);
    return {
      scale: xx > 0 && yy > 0 ? 1 / (Math.sqrt(xx) * Math.sqrt(yy)) : Number.NaN,
      *cross(p) {
        if (p) {
          const src = FY.view,
            dst = PY.view;
          for (let i = 0; i < n; i++) dst.set(src.subarray(p[i] * DY, (p[i] + 1) * DY), i * DY);
        }
        return yield* crossNorm(XT, p ? PY : FY, n, DX, DY, C);
      },
      free: () => sc.free(),
    };
  } catch (e) {
    sc.free();
    throw e;
  }
}

/** Rows of the kernels engine per step. */
const GATHER_ROWS = (n: number) => Math.max(1, Math.floor((1 << 21) / Math.max(1, n)));

/** The kernels engine over the centred n × n kernels K̃X, K̃Y (row-major f32). */
export function kernelEngine(A: Float32Array, B: Float32Array, n: number): CkaEngine {
  let xx = 0,
    yy = 0;
  for (let i = 0; i < n * n; i++) {
    xx += A[i] * A[i];
    yy += B[i] * B[i];
  }
  return {
    scale: xx > 0 && yy > 0 ? 1 / (Math.sqrt(xx) * Math.sqrt(yy)) : Number.NaN,
    *cross(p) {
      let s = 0;
      const step = GATHER_ROWS(n);
      for (let i0 = 0; i0 < n; i0 += step) {
        for (let i = i0; i < Math.min(n, i0 + step); i++) {
          const a = i * n,
            b = (p ? p[i] : i) * n;
          let r = 0;
          if (p) for (let j = 0; j < n; j++) r += A[a + j] * B[b + p[j]];
          else for (let j = 0; j < n; j++) r += A[a + j] * B[b + j];
          s += r;
        }
        if (i0 + step < n) yield;
      }
      return s;
    },
    free() {},
  };
}

// FINC's permutation engine: the pooled rows' features Φ (n × D f32, X's rows then
// Y's) held once; a permutation re-splits the rows into sets of the original sizes
// (its first nx entries are "X"). Per permutation:
//  * MMD²ᵤ from the set sums sX = Σ_{i∈X'} φᵢ (f64) and the squared row norms, O(nx·D);
//  * the extreme eigenvalues of CX' − η·CY' = Φᵀ·diag(w)·Φ (w = 1/nx on X', −η/ny on Y'),
//    matrix-free: each Lanczos step is two GEMVs (Φv, then Φᵀ(w∘Φv)), O(nD); no SYRK.
import { Scope, type WasmArray } from '../wasm/memory.js';
import { sgemm } from '../wasm/gemm.js';
import { mmd2FromMoments } from './centred.js';
import { lanczosSteps, ritzValuesBatch } from './extreme-values.js';

type F32 = WasmArray<Float32Array>;

/** One permutation's statistics: MMD²ᵤ, and the sorted (ascending) extreme eigenvalues. */
export interface FincStats {
  mmd2: number;
  values: Float64Array;
}

/** Permutations whose Lanczos runs share one GEMM pair per step. */
export const FINC_BATCH = 16;

export class FincEngine {
  private readonly sc = new Scope();
  private readonly norms: Float64Array;
  private readonly total: Float64Array;
  private readonly V: F32;
  private readonly U: F32;
  private readonly Ut: F32;
  private readonly Yt: F32;
  private readonly m: number;

  /** Takes ownership of Φ (n × D f32, X's nx rows first). `k`: eigenvalues wanted at each end. */
  constructor(
    private readonly phi: F32,
    readonly n: number,
    readonly nx: number,
    readonly D: number,
    readonly eta: number,
    k: number,
    private readonly seed: number,
  ) {
    this.sc.own(phi);
    try {
      const f = phi.view;
      this.norms = new Float64Array(n);
      this.total = new Float64Array(D);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0, o = i * D; j < D; j++) {
          s += f[o + j] * f[o + j];
          this.total[j] += f[o + j];
        }
        this.norms[i] = s;
      }
      const P = FINC_BATCH;
      this.V = this.sc.f32(Math.max(1, D * P), 'Lanczos vectors');
      this.U = this.sc.f32(Math.max(1, n * P), 'Φ·V');
      this.Ut = this.sc.f32(Math.max(1, n * P), '(w∘Φ·V)ᵀ');
      this.Yt = this.sc.f32(Math.max(1, D * P), 'Φᵀ·(w∘Φ·V), transposed');
      this.m = lanczosSteps(D, k);
    } catch (e) {
      this.sc.free();
      throw e;
    }
  }

  /** The statistics of each split, X' = rows p[0..nx) of each p (null: the observed split); at most FINC_BATCH. */
  *stats(perms: (Int32Array | null)[]): Generator<void, FincStats[]> {
    const { n, nx } = this;
    const ws = perms.map((p) => {
      const inX = new Uint8Array(n);
      for (let i = 0; i < nx; i++) inX[p ? p[i] : i] = 1;
      return inX;
    });
    const mmd = ws.map((inX) => this.mmd2(inX));
    yield;
    const w = ws.map((inX) => Float64Array.from(inX, (x) => (x ? 1 / nx : -this.eta / (n - nx))));
    const values = yield* ritzValuesBatch((vs, outs) => this.apply(vs, outs, w), perms.length, this.D, this.m, this.seed);
    return mmd.map((mmd2, b) => ({ mmd2, values: values[b] }));
  }

  /** MMD²ᵤ of the split `inX` from the set sums in f64. */
  private mmd2(inX: Uint8Array): number {
    const { n, nx, D } = this;
    const f = this.phi.view;
    const sX = new Float64Array(D);
    let trX = 0,
      trY = 0;
    for (let i = 0; i < n; i++) {
      if (!inX[i]) {
        trY += this.norms[i];
        continue;
      }
      trX += this.norms[i];
      for (let j = 0, o = i * D; j < D; j++) sX[j] += f[o + j];
    }
    let sxx = 0,
      syy = 0,
      sxy = 0;
    for (let j = 0; j < D; j++) {
      const a = sX[j],
        b = this.total[j] - a;
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
    }
    return mmd2FromMoments(sxx, trX, syy, trY, sxy, nx, n - nx);
  }

  /** outs[b] = Φᵀ·diag(w_b)·Φ·vs[b] for every b: two GEMMs in wasm for all of them. */
  private apply(vs: Float64Array[], outs: Float64Array[], w: Float64Array[]): void {
    const { n, D } = this,
      P = vs.length;
    const v = this.V.view;
    for (let b = 0; b < P; b++) for (let j = 0; j < D; j++) v[j * P + b] = vs[b][j];
    sgemm(n, P, D, this.phi, D, this.V, P, this.U, P, 0);
    const u = this.U.view,
      ut = this.Ut.view;
    for (let i = 0; i < n; i++) for (let b = 0; b < P; b++) ut[b * n + i] = u[i * P + b] * w[b][i];
    sgemm(P, D, n, this.Ut, n, this.phi, D, this.Yt, D, 0);
    const y = this.Yt.view;
    for (let b = 0; b < P; b++) outs[b].set(y.subarray(b * D, (b + 1) * D));
  }

  free(): void {
    this.sc.free();
  }
}

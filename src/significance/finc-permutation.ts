// FINC's permutation engine: the pooled rows' features Φ (n × D f32, X's rows then
// Y's) held once; a permutation re-splits the rows into sets of the original sizes
// (its first nx entries are "X"). Per permutation:
//  * MMD²ᵤ from the set sums sX = Σ_{i∈X'} φᵢ (f64) and the squared row norms, O(nx·D);
//  * the extreme eigenvalues of CX' − η·CY' = Φᵀ·diag(w)·Φ (w = 1/nx on X', −η/ny on Y'),
//    matrix-free: each Lanczos step is two GEMVs (Φv, then Φᵀ(w∘Φv)), O(nD); no SYRK.
import { Scope, type WasmArray } from '../wasm/memory.js';
import { sgemm } from '../wasm/gemm.js';
import { mmd2FromMoments } from './centred.js';
import { lanczosSteps, ritzValues } from './extreme-values.js';

type F32 = WasmArray<Float32Array>;

/** One permutation's statistics: MMD²ᵤ, and the sorted (ascending) extreme eigenvalues. */
export interface FincStats {
  mmd2: number;
  values: Float64Array;
}

export class FincEngine {
  private readonly sc = new Scope();
  private readonly norms: Float64Array;
  private readonly total: Float64Array;
  private readonly v: F32;
  private readonly u: F32;
  private readonly y: F32;
  private readonly w: Float64Array;
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
      this.v = this.sc.f32(Math.max(1, D), 'Lanczos vector');
      this.u = this.sc.f32(Math.max(1, n), 'Φ·v');
      this.y = this.sc.f32(Math.max(1, D), 'Φᵀ·(w∘Φv)');
      this.w = new Float64Array(n);
      this.m = lanczosSteps(D, k);
    } catch (e) {
      this.sc.free();
      throw e;
    }
  }

  /** The statistics with X' = rows p[0..nx) (p null: the observed split). */
  *stats(p: Int32Array | null): Generator<void, FincStats> {
    const { n, nx, D } = this,
      ny = n - nx;
    const inX = new Uint8Array(n);
    for (let i = 0; i < nx; i++) inX[p ? p[i] : i] = 1;
    // MMD²ᵤ: set sums in f64
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
    const mmd2 = mmd2FromMoments(sxx, trX, syy, trY, sxy, nx, ny);
    yield;
    for (let i = 0; i < n; i++) this.w[i] = inX[i] ? 1 / nx : -this.eta / ny;
    const values = yield* ritzValues((v, out) => this.apply(v, out), D, this.m, this.seed);
    return { mmd2, values };
  }

  /** out = Φᵀ·diag(w)·Φ·v through two GEMVs in wasm. */
  private apply(v: Float64Array, out: Float64Array): void {
    const { n, D } = this;
    this.v.view.set(v);
    sgemm(n, 1, D, this.phi, D, this.v, 1, this.u, 1, 0);
    const u = this.u.view;
    for (let i = 0; i < n; i++) u[i] *= this.w[i];
    sgemm(1, D, n, this.u, n, this.phi, D, this.y, D, 0);
    out.set(this.y.view);
  }

  free(): void {
    this.sc.free();
  }
}

// compare()'s exact route refitted on resamples (docs/design.md §1, "Is this mode
// real?"). L = [kX(xᵢ,xⱼ) − η·kY(yᵢ,yⱼ)] is formed once; a resample with row weights w
// (0/1 for a half, multiplicities for a bootstrap) has the operator
// M = W^½ L W^½ / Σw on its rows, whose unit eigenvector g gives the mode's values
// f = g/√w (Σ wf² = 1). A mode found on half A extends to a row i of half B through
// the kernel (the Nyström extension, the same function ψᵀv as on the covariance
// route): eᵢ = Σ_a L_ia w_a f_a, and its held-out eigenvalue is eᵀL_BB e / (n_B·eᵀe).
import type { SpecJob } from '../features/job.js';
import type { Kernel } from '../features/kernel.js';
import type { Step } from '../runtime/cooperative.js';
import { extremeEigsSteps } from '../solve/eigen.js';
import type { RowSource } from '../validate/source.js';
import { gram } from '../wasm/gram.js';
import { Scope, type WasmArray } from '../wasm/memory.js';
import { addInto } from '../wasm/syrk.js';
import type { Fitted } from './loops.js';
import { bootstrapWeights, halving } from './resample.js';
import type { OwnedEngine } from './spec-features.js';
import { weightSum } from './resample-features.js';

type F64 = WasmArray<Float64Array>;

/** Eigenvalues within this fraction of the largest |λ| are round-off, not modes. */
const EXACT_NOISE = 1e-12;

function kernelGram(src: RowSource, k: Kernel, out: F64, sc: Scope): void {
  const x = sc.f32(src.rows * src.cols, `${src.name} rows`);
  x.view.set(src.read(0, src.rows));
  gram(x, src.rows, src.cols, k.type, k.sigma, out, 1, src.name);
}

export function* specKernelEngineSteps(job: SpecJob): Generator<Step, OwnedEngine> {
  const n = job.n;
  const sc = new Scope();
  let ok = false;
  try {
    const L = sc.f64(n * n, `significance kernel difference (${n} × ${n})`);
    const M = sc.f64(n * n, 'significance resample operator');
    kernelGram(job.sx, job.kx, L, sc);
    yield { done: 1, total: 2, message: 'kernel matrices' };
    kernelGram(job.sy, job.ky, M, sc);
    addInto(L, M, n * n, -job.eta);
    yield { done: 2, total: 2, message: 'kernel matrices' };
    // Views are taken after the last allocation before their use: growing wasm memory detaches them.
    const k = Math.min(job.topK, n);
    /** The modes of M (m × m, its rows `rows`), spent by nothing: as function values f on those rows. */
    function* solve(rows: Int32Array, w: Float64Array): Generator<Step, { values: number[]; sides: ('x' | 'y')[]; f: Float64Array[] }> {
      const m = rows.length,
        sw = weightSum(w),
        a = M.view,
        l = L.view;
      for (let p = 0; p < m; p++) {
        const i = rows[p],
          si = Math.sqrt(w[i]) / sw;
        for (let q = 0; q < m; q++) a[p * m + q] = si * l[i * n + rows[q]] * Math.sqrt(w[rows[q]]);
      }
      const res = yield* extremeEigsSteps({ kind: 'dense', A: M, n: m }, Math.min(k, m), { seed: job.seed, signSplit: true });
      const kk = Math.min(k, m);
      let big = 0;
      for (const v of res.values) big = Math.max(big, Math.abs(v));
      const out = { values: [] as number[], sides: [] as ('x' | 'y')[], f: [] as Float64Array[] };
      for (let i = 0; i < 2 * kk; i++) {
        const v = res.values[i];
        if (i < kk ? v > EXACT_NOISE * big : v < -EXACT_NOISE * big) {
          out.values.push(v);
          out.sides.push(i < kk ? 'x' : 'y');
          const g = res.vectors[i],
            f = new Float64Array(n);
          for (let p = 0; p < m; p++) f[rows[p]] = g[p] / Math.sqrt(w[rows[p]]);
          out.f.push(f);
        }
      }
      return out;
    }
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const full = yield* solve(all, new Float64Array(n).fill(1));
    const engine: OwnedEngine = {
      refs: full.values.map((v, m) => ({ side: full.sides[m], value: v })),
      testOverTrain: (n - (n >> 1)) / (n >> 1),
      split: (rand) => halving(n, rand),
      bootstrap: (rand) => bootstrapWeights(n, rand),
      *fitSteps(w: Float64Array, heldOut: boolean): Generator<Step, Fitted> {
        const rows = Int32Array.from(all.filter((i) => w[i] > 0));
        const fit = yield* solve(rows, w);
        const l = L.view;
        const cos = full.f.map((u) => {
          let uu = 0;
          for (const i of rows) uu += w[i] * u[i] * u[i];
          return fit.f.map((g) => {
            let ug = 0;
            for (const i of rows) ug += w[i] * u[i] * g[i];
            return uu > 0 ? Math.abs(ug) / Math.sqrt(uu) : 0;
          });
        });
        const out: Fitted = { values: fit.values, sides: fit.sides, cos };
        if (heldOut) {
          const B = all.filter((i) => w[i] === 0);
          out.heldOut = fit.f.map((g) => {
            const e = new Float64Array(B.length);
            B.forEach((i, p) => {
              let s = 0;
              for (const a of rows) s += l[i * n + a] * w[a] * g[a];
              e[p] = s;
            });
            let num = 0,
              den = 0;
            B.forEach((i, p) => {
              let s = 0;
              for (let q = 0; q < B.length; q++) s += l[i * n + B[q]] * e[q];
              num += e[p] * s;
              den += e[p] * e[p];
            });
            return den > 0 ? num / (B.length * den) : 0;
          });
        }
        return out;
      },
      free: () => sc.free(),
    };
    ok = true;
    return engine;
  } finally {
    if (!ok) sc.free();
  }
}

// compare()'s covariance route refitted on resamples (docs/design.md §1, "Is this mode
// real?"): Ψ = [ΦX, √η·ΦY] of every row is cached once; a resample's C_w = Σ wᵢψᵢψᵢᵀ / Σw
// is a weighted SYRK, its modes the extreme eigenpairs of J·C_w (the route's solver). A
// mode v found on half A is the function ψᵀv; its held-out eigenvalue is Λ_B's Rayleigh
// quotient there, (C_B v)ᵀJ(C_B v) / vᵀC_B v, with C_B v = (n·C v − n_A·λ·J v)/n_B (since
// C_A v = λ J v), so half B costs no SYRK of its own.
import { FeatureMap } from '../features/feature-map.js';
import type { SpecJob } from '../features/job.js';
import { linearScale, scaledSource } from '../features/scale.js';
import type { Step } from '../runtime/cooperative.js';
import { covarianceEigsSteps } from '../solve/covariance-eigs.js';
import { dsymvUpper } from '../wasm/finc.js';
import { Scope, type WasmArray } from '../wasm/memory.js';
import { symmetrize } from '../wasm/syrk.js';
import { checkSignificanceSize, featureRowsSteps, syrkBlock, weightedSyrk, weightSum } from './resample-features.js';
import type { Engine, Fitted } from './loops.js';
import { bootstrapWeights, halving } from './resample.js';

/** Eigenvalues within this fraction of trace(C) are round-off (the route's own noise floor). */
export const COVARIANCE_NOISE = 16 * 2 ** -24;

type F64 = WasmArray<Float64Array>;

/** The engine and what it holds in wasm memory (`free` releases it). */
export type OwnedEngine = Engine & { free(): void };

export function* specFeatureEngineSteps(job: SpecJob): Generator<Step, OwnedEngine> {
  const c = linearScale(job),
    f = 1 / (c * c);
  const sx = c === 1 ? job.sx : scaledSource(job.sx, c),
    sy = c === 1 ? job.sy : scaledSource(job.sy, c);
  const n = job.n;
  const sc = new Scope();
  const maps: FeatureMap[] = [];
  let ok = false;
  try {
    maps.push(new FeatureMap(job.kx, sx.cols, job.seed, 'X'));
    maps.push(new FeatureMap(job.ky, sy.cols, job.seed, 'Y'));
    const DX = maps[0].D,
      D = DX + maps[1].D;
    checkSignificanceSize(n, D);
    const psi = sc.f32(n * D, `significance features (${n} × ${D})`);
    yield* featureRowsSteps(sx, maps[0], psi, D, 0, 1, sc);
    yield* featureRowsSteps(sy, maps[1], psi, D, DX, Math.sqrt(job.eta), sc);
    const block = syrkBlock(sc, D);
    const Cf = sc.f64(D * D, 'significance full covariance'),
      W = sc.f64(D * D, 'significance resample covariance');
    const x = sc.f64(D, 'significance vector'),
      y = sc.f64(D, 'significance product');
    Cf.view.fill(0);
    weightedSyrk(psi, D, 0, new Float64Array(n).fill(1), Cf, 1 / n, block);
    symmetrize(Cf, D);
    const k = Math.min(job.topK, D);
    const symv = (A: F64, v: Float64Array): Float64Array => {
      x.view.set(v);
      dsymvUpper(D, A, x, y);
      return y.view.slice(0, D);
    };
    const J = (i: number) => (i < DX ? 1 : -1);
    /** The modes of J·C for C in W (spent by the solve), above the noise floor, in the result's order. */
    function* solve(): Generator<Step, { values: number[]; sides: ('x' | 'y')[]; vectors: Float64Array[] }> {
      let trace = 0;
      for (let i = 0, v = W.view; i < D; i++) trace += v[i * D + i];
      const tol = COVARIANCE_NOISE * trace;
      const res = yield* covarianceEigsSteps(W, D, DX, k, job.seed, true);
      const out = { values: [] as number[], sides: [] as ('x' | 'y')[], vectors: [] as Float64Array[] };
      for (let i = 0; i < 2 * k; i++) {
        const v = res.values[i];
        if (i < k ? v > tol : v < -tol) {
          out.values.push(v);
          out.sides.push(i < k ? 'x' : 'y');
          out.vectors.push(res.vectors[i]);
        }
      }
      return out;
    }
    W.view.set(Cf.view);
    const full = yield* solve();
    const engine: OwnedEngine = {
      refs: full.values.map((v, m) => ({ side: full.sides[m], value: v * f })),
      testOverTrain: (n - (n >> 1)) / (n >> 1),
      split: (rand) => halving(n, rand),
      bootstrap: (rand) => bootstrapWeights(n, rand),
      *fitSteps(w: Float64Array, heldOut: boolean): Generator<Step, Fitted> {
        const nA = weightSum(w);
        W.view.fill(0);
        weightedSyrk(psi, D, 0, w, W, 1 / nA, block);
        symmetrize(W, D);
        // C_w v for every full-data mode, before the solve spends W
        const cRef = full.vectors.map((v) => symv(W, v));
        yield { done: 0, total: 1 };
        const fit = yield* solve();
        const cos = full.vectors.map((v, m) => {
          const norm = dot(v, cRef[m]);
          return fit.vectors.map((u) => (norm > 0 ? Math.abs(dot(cRef[m], u)) / Math.sqrt(norm) : 0));
        });
        const out: Fitted = { values: fit.values.map((v) => v * f), sides: fit.sides, cos };
        if (heldOut) {
          const nB = n - nA;
          out.heldOut = fit.vectors.map((v, j) => {
            const cb = symv(Cf, v);
            for (let i = 0; i < D; i++) cb[i] = (n * cb[i] - nA * fit.values[j] * J(i) * v[i]) / nB;
            let num = 0;
            for (let i = 0; i < D; i++) num += J(i) * cb[i] * cb[i];
            const den = dot(v, cb);
            return den > 0 ? (num / den) * f : 0;
          });
        }
        return out;
      },
      free() {
        sc.free();
        for (const m of maps) m.free();
      },
    };
    ok = true;
    return engine;
  } finally {
    if (!ok) {
      sc.free();
      for (const m of maps) m.free();
    }
  }
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

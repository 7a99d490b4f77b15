// finc() refitted on resamples (docs/design.md §1, "Is this mode real?"): the features of
// both sets are cached once under the shared map; a resample (each set halved, or each
// set bootstrapped) has M_w = Σ_X wᵢψᵢψᵢᵀ/Σ_X w − η·Σ_Y wᵢψᵢψᵢᵀ/Σ_Y w, a weighted SYRK per
// set, whose extreme eigenvectors v are its modes. A mode found on the halves A is
// evaluated on the halves B as vᵀM_B v. On the exact route the same features are used
// (random Fourier features for the Gaussian kernel: its significance is that of the
// covariance route's approximation, said in a note).
import { FeatureMap } from '../features/feature-map.js';
import type { FincJob } from '../features/job.js';
import type { Step } from '../runtime/cooperative.js';
import { extremeEigsSteps } from '../solve/eigen.js';
import { dsymvUpper } from '../wasm/finc.js';
import { Scope, type WasmArray } from '../wasm/memory.js';
import { symmetrize } from '../wasm/syrk.js';
import { checkSignificanceSize, featureRowsSteps, syrkBlock, weightedSyrk, weightSum } from './resample-features.js';
import type { Fitted } from './loops.js';
import { bootstrapWeights, halving } from './resample.js';
import { dot, type OwnedEngine } from './spec-features.js';

type F64 = WasmArray<Float64Array>;

/** The route's noise floor: |λ| ≤ 4·2⁻²⁴·(tr CX + η·tr CY) is round-off of f32 features. */
const NOISE = 4 * 2 ** -24;

export function* fincFeatureEngineSteps(job: FincJob): Generator<Step, OwnedEngine> {
  const nx = job.sx.rows,
    ny = job.sy.rows,
    eta = job.eta;
  const sc = new Scope();
  const map = new FeatureMap(job.kernel, job.sx.cols, job.seed);
  let ok = false;
  try {
    const D = map.D;
    checkSignificanceSize(Math.max(nx, ny), D);
    const psiX = sc.f32(nx * D, `significance features of ${job.sx.name}`),
      psiY = sc.f32(ny * D, `significance features of ${job.sy.name}`);
    yield* featureRowsSteps(job.sx, map, psiX, D, 0, 1, sc);
    yield* featureRowsSteps(job.sy, map, psiY, D, 0, 1, sc);
    const block = syrkBlock(sc, D);
    const MA = sc.f64(D * D, 'significance resample operator'),
      MB = sc.f64(D * D, 'significance held-out operator');
    const x = sc.f64(D, 'significance vector'),
      y = sc.f64(D, 'significance product');
    const k = Math.min(job.topK, D);
    /** out ← CX_w − η·CY_w for weights w (X's rows, then Y's); returns its noise floor. */
    const operator = (out: F64, w: Float64Array): number => {
      out.view.fill(0);
      const wx = w.subarray(0, nx),
        wy = w.subarray(nx);
      weightedSyrk(psiX, D, 0, wx, out, 1 / weightSum(wx), block);
      let trX = 0;
      for (let i = 0, v = out.view; i < D; i++) trX += v[i * D + i];
      weightedSyrk(psiY, D, 0, wy, out, -eta / weightSum(wy), block);
      let tr = 0;
      for (let i = 0, v = out.view; i < D; i++) tr += v[i * D + i];
      symmetrize(out, D);
      // tr(CX − ηCY) = trX − η·trY
      return NOISE * (trX + (trX - tr));
    };
    function* solve(tol: number): Generator<Step, { values: number[]; sides: ('x' | 'y')[]; vectors: Float64Array[] }> {
      const res = yield* extremeEigsSteps({ kind: 'dense', A: MA, n: D }, k, { seed: job.seed, signSplit: true });
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
    const full = yield* solve(operator(MA, new Float64Array(nx + ny).fill(1)));
    const engine: OwnedEngine = {
      refs: full.values.map((v, m) => ({ side: full.sides[m], value: v })),
      testOverTrain: Math.max((nx - (nx >> 1)) / (nx >> 1), (ny - (ny >> 1)) / (ny >> 1)),
      split: (rand) => {
        const w = new Float64Array(nx + ny);
        w.set(halving(nx, rand));
        w.set(halving(ny, rand), nx);
        return w;
      },
      bootstrap: (rand) => {
        const w = new Float64Array(nx + ny);
        w.set(bootstrapWeights(nx, rand));
        w.set(bootstrapWeights(ny, rand), nx);
        return w;
      },
      *fitSteps(w: Float64Array, heldOut: boolean): Generator<Step, Fitted> {
        const fit = yield* solve(operator(MA, w));
        const cos = full.vectors.map((v) => fit.vectors.map((u) => Math.abs(dot(v, u))));
        const out: Fitted = { values: fit.values, sides: fit.sides, cos };
        if (heldOut) {
          operator(
            MB,
            w.map((v) => (v === 0 ? 1 : 0)),
          );
          out.heldOut = fit.vectors.map((v) => {
            x.view.set(v);
            dsymvUpper(D, MB, x, y);
            return dot(v, y.view.subarray(0, D));
          });
        }
        return out;
      },
      free() {
        sc.free();
        map.free();
      },
    };
    ok = true;
    return engine;
  } finally {
    if (!ok) {
      sc.free();
      map.free();
    }
  }
}

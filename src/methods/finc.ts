// FINC (docs/design.md §1): two unpaired sample sets X (nx × d) and Y (ny × d) under
// one embedding and one feature map φ. Modes are eigenpairs of CX − η·CY with
// CX = (1/nx)ΦXᵀΦX, CY = (1/ny)ΦYᵀΦY: λ > 0 is a sample type over-represented in
// X, λ < 0 one over-represented in Y. The pipeline of compare(): read (row
// sources) → validate (validate/inputs.ts, in compare()'s order) → route → result, by two routes:
//  * covariance (routes/finc-covariance.ts): stream both sets into the D × D sums,
//    solve the symmetric CX − η·CY by Lanczos, then a second pass scores the samples;
//  * exact (routes/finc-exact.ts; small sets, no RFF): the pooled kernel matrix.
import { significancePlan } from '../significance/options.js';
import { attachSignificance, fincSignificance, wantsResampling } from '../significance/run.js';
import { init } from '../wasm/loader.js';
import { InputError } from '../errors.js';
import type { Matrix, MatrixLike } from '../types/index.js';
import type { FincOptions, FincResult } from '../types/finc.js';
import { toMatrix, checkNonZeroRows, checkFiniteResult, optionsOf, overflowError } from '../validate/checks.js';
import { checkCall, checkRun, checkSourcesCall } from '../validate/inputs.js';
import { matrixSource, readAll, type RowSource } from '../validate/source.js';
import { featureDim, kernelInfo, type Kernel } from '../features/kernel.js';
import { checkOutputBudget, clampNotes } from '../score/modes.js';
import { MAX_COVARIANCE_DIM } from '../sums/spec-sums.js';
import { formatBytes } from '../wasm/memory.js';
import { unusedRff, withToJSON } from './compare.js';
import { fincJob, type FincJob, type FincOutcome } from '../features/job.js';
import { Cooperative } from '../runtime/cooperative.js';
import { fincExactRoute } from './routes/finc-exact.js';
import { fincCovarianceRoute } from './routes/finc-covariance.js';
import { fincRffError } from './rff-error.js';
import { offload } from '../runtime/offload.js';
import { FincMetricsSink, checkFincPermutations, fincMetrics } from '../significance/finc-metrics.js';
import { significanceOf } from '../significance/permutations.js';

export type { FincMode, FincOptions, FincResult } from '../types/finc.js';
export { FincAccumulator } from './finc-accumulator.js';
export type { FincAccumulatorOptions, FincSolveOptions, FincSolution } from './finc-accumulator.js';

/**
 * `method: 'auto'` takes the exact route for a Gaussian kernel up to this nx + ny.
 * Measured (d = 768, one thread, two O(n³) syev calls dominate): exact 2.8 s at
 * n = 1000, 6.1 s at 1500, 22 s at 2000, 46 s at 2500, against 0.3–0.5 s for the
 * covariance route with m = 1000 (whose RFF error moved λ1 by ~0.5% there).
 */
export const FINC_EXACT_MAX_AUTO = 1000;
/** 'exact' beyond this would take minutes in syev and ~4 n² f64 of memory. */
export const FINC_EXACT_MAX = 4000;
function chooseMethod(r: FincJob): { method: 'exact' | 'covariance'; reason: string } {
  const n = r.sx.rows + r.sy.rows;
  if (r.method === 'exact') {
    if (n > FINC_EXACT_MAX)
      throw new InputError(
        `method 'exact' eigendecomposes the pooled ${n} × ${n} kernel matrix; it is limited to nx + ny ≤ ${FINC_EXACT_MAX}; use 'covariance'`,
      );
    return { method: 'exact', reason: 'requested' };
  }
  if (r.method === 'covariance') return { method: 'covariance', reason: 'requested' };
  if (r.kernel.type !== 'gaussian') {
    return {
      method: 'covariance',
      reason: `the ${r.kernel.type} kernel's features are exact (D = ${r.sx.cols}): the D × D covariance is exact and linear in nx + ny`,
    };
  }
  if (n <= FINC_EXACT_MAX_AUTO)
    return { method: 'exact', reason: `nx + ny = ${n} ≤ ${FINC_EXACT_MAX_AUTO}: the pooled kernel matrix is quick to eigendecompose and free of RFF error` };
  return { method: 'covariance', reason: `nx + ny = ${n} > ${FINC_EXACT_MAX_AUTO}: random Fourier features keep the work linear in nx + ny` };
}

/**
 * FINC: which sample types are over-represented in X relative to Y (side 'x',
 * λ > 0) and the reverse (side 'y'), for two unpaired sets embedded alike.
 */
export async function finc(X: MatrixLike, Y: MatrixLike, options: FincOptions = {}): Promise<FincResult> {
  await init();
  const { X: mx, Y: my, worker } = checkCall('finc', X, Y, options);
  // src/runtime: `worker: true` runs the whole analysis in a worker (null: none here).
  const off = worker ? await offload<FincResult>('finc', mx, my, options) : null;
  return withToJSON(off ?? (await run(matrixSource(mx, 'X'), matrixSource(my, 'Y'), options, true, [mx, my])));
}

/** `finc` over row sources read in chunks: on the covariance route each set is read twice and never held whole. */
export async function fincSources(sx: RowSource, sy: RowSource, options: FincOptions = {}): Promise<FincResult> {
  await init();
  checkSourcesCall('finc', sx, sy, options);
  return withToJSON(await run(sx, sy, options, false));
}

/** `matrices`: the in-memory inputs behind the sources, whose values are checked here first. */
async function run(sx: RowSource, sy: RowSource, options: FincOptions, inMemory: boolean, matrices?: Matrix[]): Promise<FincResult> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const coop = new Cooperative(options?.signal, options?.onProgress);
  // bad resample counts fail before any work
  significancePlan(options?.significance, 0);
  await checkRun(
    'finc',
    options,
    coop,
    matrices?.map((m, i) => ({ m, name: i === 0 ? sx.name : sy.name })),
  );
  significanceOf(optionsOf(options).significance, 0); // bad values fail before any work
  const tJob = performance.now();
  // checking in-memory values is part of reading them
  if (matrices) timings.read = (tJob - t0) / 1000;
  const r = await fincJob(sx, sy, options, inMemory, coop);
  const sig = significanceOf(optionsOf(options).significance, r.seed);
  // σ = auto (the seeded sample's median distance) is timed as its own stage
  if (r.sigmaEstimated) timings.sigma = (performance.now() - tJob) / 1000;
  const choice = chooseMethod(r);
  const pooled = r.sx.rows + r.sy.rows,
    D = featureDim(r.kernel, r.sx.cols);
  const dim = choice.method === 'exact' ? pooled : Math.min(pooled, D);
  checkOutputBudget(r.topK, r.samplesPerMode, dim, [r.sx.rows, r.sy.rows]);
  if (choice.method === 'covariance' && D > MAX_COVARIANCE_DIM && pooled <= FINC_EXACT_MAX) {
    // FincSums would refuse the D × D covariances; the pooled kernel matrix is small here.
    const what = r.kernel.type === 'gaussian' ? `rffDim of kernel = ${r.kernel.rffDim}` : `d = ${r.sx.cols} under the ${r.kernel.type} kernel`;
    throw new InputError(
      `${what} gives D = ${D} features: each of the two D × D f64 covariances would need ${formatBytes(D * D * 8)}, more than one WebAssembly allocation holds (D ≤ ${MAX_COVARIANCE_DIM}); nx + ny = ${pooled} is small enough for method 'exact' (--method exact: the pooled ${pooled} × ${pooled} kernel matrix)`,
    );
  }
  // After the route: 'auto' may fall back from exact to covariance.
  const routeDim = () => (choice.method === 'exact' ? pooled : Math.min(pooled, D));
  const notes = () => {
    const dim = routeDim();
    return [
      ...clampNotes(
        r.topK,
        r.samplesPerMode,
        dim,
        dim === pooled ? `pooled ${pooled} × ${pooled} kernel matrix` : `${D} × ${D} covariance (D = ${D} features)`,
        { n: Math.max(r.sx.rows, r.sy.rows), what: `${r.sx.rows} samples of ${r.sx.name} and ${r.sy.rows} of ${r.sy.name}` },
      ),
      ...unusedRff(choice.method, { '': optionsOf(options).kernel }),
    ];
  };
  let out: FincOutcome;
  checkFincPermutations(r, choice.method, sig.permutations);
  let sink = new FincMetricsSink(sig.permutations > 0);
  if (choice.method === 'exact') {
    const tRead = performance.now();
    const input = {
      X: readChecked(r.sx, r.kernel, !r.inMemory),
      Y: readChecked(r.sy, r.kernel, !r.inMemory),
      kernel: r.kernel,
      eta: r.eta,
      topK: r.topK,
      samplesPerMode: r.samplesPerMode,
      returnScores: r.returnScores,
      seed: r.seed,
    };
    timings.read = (timings.read ?? 0) + (performance.now() - tRead) / 1000;
    try {
      out = await fincExactRoute(input, coop, timings, sink);
    } catch (e) {
      // The QL iteration can fail on huge clusters of equal eigenvalues; 'auto' then takes the covariance route.
      if (!(e instanceof RangeError && /did not converge/.test(e.message)) || r.method !== 'auto') throw e;
      choice.method = 'covariance';
      choice.reason += `; the exact eigensolver did not converge (${e.message.replace(/^spec-embed: /, '')}), so the covariance route was used`;
      checkFincPermutations(r, choice.method, sig.permutations);
      sink = new FincMetricsSink(sig.permutations > 0);
      out = await fincCovarianceRoute(r, coop, timings, sink);
    }
  } else {
    out = await fincCovarianceRoute(r, coop, timings, sink).catch((e) => {
      throw overflowError(e);
    });
  }
  checkFiniteResult(out);
  const rff = choice.method === 'covariance' ? await fincRffError(r, coop, timings, FINC_EXACT_MAX) : null;
  const plan = significancePlan(options?.significance, r.seed);
  const sigNotes: string[] = [];
  if (wantsResampling(plan)) {
    const t1 = performance.now();
    const { refs, evidence } = await fincSignificance(r, plan, coop);
    out.modes = attachSignificance(out.modes, refs, evidence);
    timings.significance = (performance.now() - t1) / 1000;
    if (choice.method === 'exact' && r.kernel.type === 'gaussian')
      sigNotes.push(
        `significance was resampled with ${r.kernel.rffDim} random Fourier features of the Gaussian kernel (the covariance route's approximation), not the exact kernel`,
      );
  }
  const metrics = await fincMetrics(r, choice.method, sink, sig, out.modes, out.specDiff.norm, coop, timings);
  timings.total = (performance.now() - t0) / 1000;
  return {
    task: 'finc',
    nx: sx.rows,
    ny: sy.rows,
    method: choice.method,
    methodReason: choice.reason,
    ...(out.solver ? { solver: out.solver, solverReason: out.solverReason } : {}),
    eta: r.eta,
    kernel: kernelInfo(r.kernel, choice.method),
    eigenvalues: Float64Array.from(out.modes.map((m) => m.eigenvalue)),
    modes: out.modes,
    specDiff: out.specDiff,
    noiseDropped: out.noiseDropped,
    ...(rff ? { rffError: rff.rffError } : {}),
    metrics,
    ...(out.threads ? { threads: out.threads } : {}),
    ...(notes().length || rff?.note || sigNotes.length ? { notes: [...notes(), ...(rff?.note ? [rff.note] : []), ...sigNotes] } : {}),
    timings,
    spectrumComplete: 2 * r.topK >= routeDim(),
  };
}

/** A whole set for the exact route, its values checked unless finc() already did (in-memory input). */
function readChecked(s: RowSource, k: Kernel, checkValues: boolean): Matrix {
  const m = toMatrix(readAll(s), s.name, 0, checkValues);
  if (k.type === 'cosine') checkNonZeroRows(m, s.name);
  return m;
}

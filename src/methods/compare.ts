// compare(): SPEC on two embeddings of the same samples (docs/design.md §1). One
// pipeline: read (row sources) → validate (validate/inputs.ts, in finc()'s order) → choose the route →
// features, accumulate, solve, score (routes/exact.ts or routes/covariance.ts) →
// the result.
import { init } from '../wasm/loader.js';
import { InputError } from '../errors.js';
import type { CompareOptions, Matrix, MatrixLike, SpecResult } from '../types/index.js';
import { checkFiniteResult, optionsOf, overflowError } from '../validate/checks.js';
import { checkCall, checkRun, checkSourcesCall } from '../validate/inputs.js';
import { matrixSource, type RowSource } from '../validate/source.js';
import { featureDim, kernelInfo } from '../features/kernel.js';
import { specJob, type SpecJob } from '../features/job.js';
import { Cooperative } from '../runtime/cooperative.js';
import { exactRoute, EXACT_MAX } from './routes/exact.js';
import { covarianceRoute } from './routes/covariance.js';
import { specRffError } from './rff-error.js';
import { offload } from '../runtime/offload.js';
import { checkOutputBudget, clampNotes } from '../score/modes.js';
import { SpecMetricsSink, checkComparePermutations, compareMetrics } from '../significance/compare-metrics.js';
import { significanceOf } from '../significance/permutations.js';
import { significancePlan } from '../significance/options.js';
import { attachSignificance, specSignificance, wantsResampling } from '../significance/run.js';

/** `method: 'auto'` takes the exact route up to this many samples (or while n ≤ D). */
export const EXACT_MAX_AUTO = 4000;

/**
 * Compares two embeddings of the same n samples: the eigenpairs of
 * Λ = KX − η·KY with the largest and the most negative eigenvalues, as modes
 * (clusters X has and Y lacks, side 'x', and the reverse, side 'y'), their top
 * samples, and SPEC-diff.
 */
export async function compare(X: MatrixLike, Y: MatrixLike, options: CompareOptions = {}): Promise<SpecResult> {
  await init();
  const { X: mx, Y: my, worker } = checkCall('compare', X, Y, options);
  // src/runtime: `worker: true` runs the whole analysis in a worker (null: none here).
  const off = worker ? await offload<SpecResult>('compare', mx, my, options) : null;
  return withToJSON(off ?? (await run(matrixSource(mx, 'X'), matrixSource(my, 'Y'), options, [mx, my])));
}

/**
 * `compare` over row sources read in chunks (for example .npy files streamed
 * from disk): on the covariance route the data are read twice (accumulate,
 * then score) and never held whole in memory. Messages name each source by its `name`.
 */
export async function compareSources(sx: RowSource, sy: RowSource, options: CompareOptions = {}): Promise<SpecResult> {
  checkSourcesCall('compare', sx, sy, options);
  return withToJSON(await run(sx, sy, options));
}

/**
 * Gives a result a `toJSON` that writes its Float64Arrays (eigenvalues, each mode's
 * scores) as arrays: JSON.stringify turns a typed array into an {"0": …} object.
 * Non-enumerable, so the result's keys and structural equality are unchanged; added
 * after a worker's structured clone, which drops functions.
 */
export function withToJSON<R extends { eigenvalues: Float64Array; modes: { scores?: Float64Array }[] }>(result: R): R {
  Object.defineProperty(result, 'toJSON', {
    value(this: R) {
      return {
        ...this,
        eigenvalues: Array.from(this.eigenvalues),
        modes: this.modes.map((m) => (m.scores ? { ...m, scores: Array.from(m.scores) } : m)),
      };
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return result;
}

/** `inMemory`: the matrices behind the sources, whose values are checked here first. */
async function run(sx: RowSource, sy: RowSource, options: CompareOptions, inMemory?: Matrix[]): Promise<SpecResult> {
  await init();
  const t0 = performance.now();
  const o = optionsOf(options);
  const coop = new Cooperative(o.signal, o.onProgress);
  const timings: Record<string, number> = {};
  // bad resample counts fail before any work
  significancePlan(o.significance, 0);
  await checkRun(
    'compare',
    o,
    coop,
    inMemory?.map((m, i) => ({ m, name: i === 0 ? sx.name : sy.name })),
  );
  significanceOf(o.significance, 0); // bad values fail before any work
  const tJob = performance.now();
  // checking in-memory values is part of reading them
  if (inMemory) timings.read = (tJob - t0) / 1000;
  const job = await specJob(sx, sy, o, !!inMemory, coop);
  const sig = significanceOf(o.significance, job.seed);
  // σ = auto (the seeded sample's median distance) is timed as its own stage
  if (job.sigmaEstimated) timings.sigma = (performance.now() - tJob) / 1000;
  const choice = chooseMethod(job);
  // Λ has at most n eigenvalues, and on the covariance route at most D.
  const D = routeDim(job),
    dim = choice.method === 'exact' ? job.n : Math.min(job.n, D);
  checkOutputBudget(job.topK, job.samplesPerMode, dim, [job.n, job.n]);
  const notes = [
    ...clampNotes(job.topK, job.samplesPerMode, dim, dim === job.n ? `${job.n} × ${job.n} Λ` : `${D} × ${D} covariance (D = ${D} features)`, {
      n: job.n,
      what: `${job.n} samples`,
    }),
    ...unusedRff(choice.method, { X: o.kernelX ?? o.kernel, Y: o.kernelY ?? o.kernel }),
  ];
  checkComparePermutations(job, choice.method, sig.permutations);
  const sink = new SpecMetricsSink(sig.permutations > 0);
  const out = await (choice.method === 'exact' ? exactRoute(job, coop, timings, undefined, sink) : covarianceRoute(job, coop, timings, sink)).catch((e) => {
    throw overflowError(e);
  });
  checkFiniteResult(out);
  const rff = choice.method === 'covariance' ? await specRffError(job, coop, timings, EXACT_MAX) : null;
  if (rff?.note) notes.push(rff.note);
  const plan = significancePlan(o.significance, job.seed);
  if (wantsResampling(plan)) {
    const t1 = performance.now();
    const { refs, evidence } = await specSignificance(job, choice.method, plan, coop);
    out.modes = attachSignificance(out.modes, refs, evidence);
    timings.significance = (performance.now() - t1) / 1000;
  }
  const metrics = await compareMetrics(job, choice.method, sink, sig, coop, timings);
  const total = (performance.now() - t0) / 1000;
  return {
    n: job.n,
    method: choice.method,
    methodReason: choice.reason,
    eta: job.eta,
    kernelX: kernelInfo(job.kx, choice.method),
    kernelY: kernelInfo(job.ky, choice.method),
    ...out,
    ...(rff ? { rffError: rff.rffError } : {}),
    metrics,
    ...(notes.length ? { notes } : {}),
    timings: { ...timings, total },
    spectrumComplete: 2 * job.topK >= dim,
  };
}

/** A note per side whose kernel asked for rffDim on the exact route, which uses no random features. */
export function unusedRff(method: 'exact' | 'covariance', kernels: Record<string, CompareOptions['kernel']>): string[] {
  if (method !== 'exact') return [];
  return Object.entries(kernels)
    .filter(([, k]) => typeof k === 'object' && k !== null && k.rffDim !== undefined)
    .map(
      ([side, k]) =>
        `rffDim = ${(k as { rffDim: number }).rffDim}${side ? ` of kernel${side}` : ''} is not used: the exact route evaluates the kernel itself, with no random features`,
    );
}

/** D, the covariance route's feature dimension. */
function routeDim(job: SpecJob): number {
  return featureDim(job.kx, job.sx.cols) + featureDim(job.ky, job.sy.cols);
}

function chooseMethod(job: SpecJob): { method: 'exact' | 'covariance'; reason: string } {
  const { n } = job;
  const D = routeDim(job);
  if (job.method === 'exact') {
    if (n > EXACT_MAX)
      throw new InputError(`method 'exact' needs two ${n} × ${n} kernel matrices, more than WebAssembly memory holds (n ≤ ${EXACT_MAX}); use 'covariance'`);
    return { method: 'exact', reason: 'requested' };
  }
  if (job.method === 'covariance') return { method: 'covariance', reason: 'requested' };
  if (n <= EXACT_MAX && n <= D) return { method: 'exact', reason: `n = ${n} ≤ D = ${D}: the n × n kernels are the smaller problem` };
  if (n <= EXACT_MAX_AUTO) return { method: 'exact', reason: `n = ${n} ≤ ${EXACT_MAX_AUTO}: exact kernels are cheap and free of RFF error` };
  return { method: 'covariance', reason: `n = ${n} > max(${EXACT_MAX_AUTO}, D = ${D}): the D × D covariance is linear in n` };
}

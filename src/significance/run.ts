// The resampling evidence of a finished compare() or finc() run, attached to its modes.
import type { FincJob, SpecJob } from '../features/job.js';
import { type Cooperative, drive, type Step } from '../runtime/cooperative.js';
import type { ModeSignificance } from '../types/significance.js';
import type { Engine } from './loops.js';
import { significanceSteps } from './loops.js';
import type { SignificancePlan } from './options.js';
import { fincFeatureEngineSteps } from './finc-features.js';
import { specFeatureEngineSteps, type OwnedEngine } from './spec-features.js';
import { specKernelEngineSteps } from './spec-kernel.js';

/** Whether the plan asks for anything this module computes. */
export function wantsResampling(plan: SignificancePlan): boolean {
  return plan.splits > 0 || plan.bootstrap > 0;
}

/** compare(): the evidence on the route that made the result (exact: the kernel matrices; covariance: the features). */
export async function specSignificance(
  job: SpecJob,
  method: 'exact' | 'covariance',
  plan: SignificancePlan,
  coop: Cooperative,
): Promise<{ refs: Engine['refs']; evidence: ModeSignificance[] }> {
  return resample(method === 'exact' ? specKernelEngineSteps(job) : specFeatureEngineSteps(job), plan, coop);
}

/** finc(): the evidence from the shared feature map (random Fourier features for a Gaussian kernel, whatever the route). */
export async function fincSignificance(
  job: FincJob,
  plan: SignificancePlan,
  coop: Cooperative,
): Promise<{ refs: Engine['refs']; evidence: ModeSignificance[] }> {
  return resample(fincFeatureEngineSteps(job), plan, coop);
}

async function resample(build: Generator<Step, OwnedEngine>, plan: SignificancePlan, coop: Cooperative) {
  // The features (or kernel matrices) are reported as resample 0 of the stage: one total
  // for the whole stage, so its last event (every resample done) is never throttled away.
  const engine = await drive(asStart(build, plan.splits + plan.bootstrap), coop, 'significance');
  try {
    const evidence = await drive(significanceSteps(engine, plan), coop, 'significance');
    return { refs: engine.refs, evidence };
  } finally {
    engine.free();
  }
}

/**
 * Puts each full-data mode's evidence on the result's mode of the same side and rank
 * (both lists are side x descending, then side y most negative first). A result mode
 * with no counterpart (the resampling solve found fewer modes above its noise floor)
 * gets none.
 */
export function attachSignificance<M extends { side: 'x' | 'y'; rank: number; significance?: ModeSignificance }>(
  modes: M[],
  refs: Engine['refs'],
  evidence: ModeSignificance[],
): M[] {
  return modes.map((m) => {
    let seen = 0;
    const i = refs.findIndex((r) => r.side === m.side && ++seen === m.rank);
    return i < 0 ? m : { ...m, significance: evidence[i] };
  });
}

function* asStart<T>(gen: Generator<Step, T>, total: number): Generator<Step, T> {
  try {
    for (;;) {
      const r = gen.next();
      if (r.done) return r.value;
      yield { done: 0, total, message: r.value.message ?? 'features' };
    }
  } finally {
    gen.return(undefined as T);
  }
}

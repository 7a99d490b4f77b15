// The resampling loops, for any analysis that can refit its modes on weighted rows
// (an Engine): R random halvings (find the modes on half A, evaluate them on half B)
// and B bootstrap resamples (row multiplicities). Each resample's modes are matched to
// the full-data modes by the largest |cosine| on the rows they were fitted on, same side
// only (docs/design.md §1, "Is this mode real?").
import type { Step } from '../runtime/cooperative.js';
import type { HeldOutReplication, ModeSignificance, ModeStability } from '../types/significance.js';
import type { SignificancePlan } from './options.js';
import { resampleStream } from './resample.js';
import { correctedTPValue, mean, percentile } from './stats.js';
import { weakness } from './weakness.js';

/** The modes refitted on one resample. */
export interface Fitted {
  /** Eigenvalue and side of each mode found on the resample. */
  values: number[];
  sides: ('x' | 'y')[];
  /** |cosine| of full-data mode m and refitted mode j under the resample's row weights: cos[m][j]. */
  cos: number[][];
  /** Each refitted mode's Rayleigh quotient on the rows left out (weight 0), when asked for. */
  heldOut?: number[];
}

/** An analysis the loops can refit. */
export interface Engine {
  /** The full-data modes, in the result's order (side x descending, then side y). */
  refs: { side: 'x' | 'y'; value: number }[];
  /** Half A of a random halving as 0/1 row weights (finc: each set halved). */
  split(rand: () => number): Float64Array;
  /** Bootstrap multiplicities (finc: each set resampled). */
  bootstrap(rand: () => number): Float64Array;
  /** The modes on rows weighted by `w`; with `heldOut`, also their Rayleigh quotients on the rows of weight 0. */
  fitSteps(w: Float64Array, heldOut: boolean): Generator<Step, Fitted>;
  /** Rows left out over rows fitted in a halving (1 for halves; ⌈n/2⌉/⌊n/2⌋ otherwise). */
  testOverTrain: number;
}

/** The best same-side match of every full-data mode in a resample: [index or −1, |cos|]. */
export function matchModes(engine: Engine, f: Fitted): [number, number][] {
  return engine.refs.map((ref, m) => {
    let best = -1,
      bestCos = 0;
    f.values.forEach((_, j) => {
      if (f.sides[j] === ref.side && (best < 0 || f.cos[m][j] > bestCos)) {
        best = j;
        bestCos = f.cos[m][j];
      }
    });
    return [best, bestCos];
  });
}

/** The evidence per full-data mode, in `engine.refs` order, in steps of one resample. */
export function* significanceSteps(engine: Engine, plan: SignificancePlan): Generator<Step, ModeSignificance[]> {
  const K = engine.refs.length;
  const total = plan.splits + plan.bootstrap;
  const held = engine.refs.map(() => new Float64Array(plan.splits));
  for (let r = 0; r < plan.splits; r++) {
    const f = yield* asResample(engine.fitSteps(engine.split(resampleStream(plan.seed, 1, r)), true), r, total);
    // A mode with no same-side mode on half A did not replicate: its held-out value is 0.
    matchModes(engine, f).forEach(([j], m) => {
      held[m][r] = j < 0 ? 0 : f.heldOut![j];
    });
    yield { done: r + 1, total, message: 'resamples' };
  }
  const cosB = engine.refs.map(() => new Float64Array(plan.bootstrap));
  const valB = engine.refs.map(() => [] as number[]);
  for (let b = 0; b < plan.bootstrap; b++) {
    const f = yield* asResample(engine.fitSteps(engine.bootstrap(resampleStream(plan.seed, 2, b)), false), plan.splits + b, total);
    matchModes(engine, f).forEach(([j, c], m) => {
      cosB[m][b] = c;
      if (j >= 0) valB[m].push(f.values[j]);
    });
    yield { done: plan.splits + b + 1, total, message: 'resamples' };
  }
  const out: ModeSignificance[] = [];
  for (let m = 0; m < K; m++) {
    const side = engine.refs[m].side === 'x' ? 1 : -1;
    const heldOut: HeldOutReplication | undefined = plan.splits
      ? {
          splits: plan.splits,
          mean: mean(held[m]),
          lo: percentile(held[m], 0.025),
          hi: percentile(held[m], 0.975),
          pValue: correctedTPValue(held[m], side, engine.testOverTrain),
        }
      : undefined;
    const stability: ModeStability | undefined = plan.bootstrap
      ? {
          bootstrap: plan.bootstrap,
          value: mean(cosB[m]),
          eigenvalueLo: valB[m].length ? percentile(valB[m], 0.025) : 0,
          eigenvalueHi: valB[m].length ? percentile(valB[m], 0.975) : 0,
        }
      : undefined;
    out.push(weakness({ ...(heldOut ? { heldOut } : {}), ...(stability ? { stability } : {}) }));
  }
  return out;
}

/** A refit's own steps (features, pivots, Lanczos restarts) reported as progress in resamples. */
function* asResample<T>(gen: Generator<Step, T>, done: number, total: number): Generator<Step, T> {
  try {
    for (;;) {
      const r = gen.next();
      if (r.done) return r.value;
      yield { done, total, message: 'resamples' };
    }
  } finally {
    // closed early (abort): the refit's `finally` frees its buffers
    gen.return(undefined as T);
  }
}

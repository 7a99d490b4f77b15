// What compare() and finc() settle before any route runs: the options checked
// (validate.ts), the kernels resolved (σ = 'auto' from one seeded sample,
// kernel.ts), and the sources, which carry the names messages use. Every route —
// in process or on workers — reads this one record.
import type { CompareOptions, Method, Solver, SpecResult } from '../types/index.js';
import type { FincMode, FincOptions } from '../types/finc.js';
import { InputError } from '../errors.js';
import { resolveKernel, sigmaAutoSteps, type Kernel } from './kernel.js';
import { drive, type Cooperative } from '../runtime/cooperative.js';
import type { RowSource } from '../validate/source.js';
import { checkSameCols, checkSameRows, etaOf, methodOf, optionsOf, positiveInt, seedOf, solverOf, threadsOf } from '../validate/checks.js';

/** Settings every task shares. */
interface JobBase {
  eta: number;
  topK: number;
  seed: number;
  samplesPerMode: number;
  returnScores: boolean;
  method: Method;
  /** The covariance route's solver as asked for. */
  solver: Solver;
  /** `threads` as given (undefined: the default for the job's size). */
  threads: number | undefined;
  /** The data are in memory and their values were checked already (the exact routes skip that check). */
  inMemory: boolean;
}

/** compare(): paired rows of X and Y, a kernel per side. */
export interface SpecJob extends JobBase {
  sx: RowSource;
  sy: RowSource;
  n: number;
  kx: Kernel;
  ky: Kernel;
  /** Whether a σ was 'auto' and estimated (stage 'sigma'). */
  sigmaEstimated: boolean;
}

/** finc(): two sets of rows under one kernel. */
export interface FincJob extends JobBase {
  sx: RowSource;
  sy: RowSource;
  kernel: Kernel;
  /** Whether σ was 'auto' and estimated (stage 'sigma'). */
  sigmaEstimated: boolean;
}

function base(o: CompareOptions | FincOptions, inMemory: boolean): JobBase {
  return {
    eta: etaOf(o.eta),
    topK: positiveInt(o.topK, 'topK', 10),
    samplesPerMode: positiveInt(o.samplesPerMode, 'samplesPerMode', 20),
    seed: seedOf(o.seed),
    method: methodOf(o.method),
    solver: solverOf(o.solver),
    threads: threadsOf(o.threads),
    returnScores: !!o.returnScores,
    inMemory,
  };
}

/** NaN stands for σ = 'auto' until the job's σ estimation (stage 'sigma') has run. */
const AUTO = () => NaN;

/** σ = 'auto' of `k` (NaN) estimated cooperatively, as its own progress stage. */
async function settled(k: Kernel, sources: RowSource[], seed: number, what: string, coop: Cooperative, side?: 'X' | 'Y'): Promise<Kernel> {
  if (!Number.isNaN(k.sigma)) return k;
  const sigma = await coop.within({ side, label: side ? 'σ sample' : 'σ sample of both sets' }, () =>
    drive(sigmaAutoSteps(sources, seed, what), coop, 'sigma'),
  );
  return { ...k, sigma };
}

export async function specJob(sx: RowSource, sy: RowSource, options: CompareOptions | undefined, inMemory: boolean, coop: Cooperative): Promise<SpecJob> {
  const o = optionsOf(options);
  checkSameRows(sx, sy);
  if (sx.rows < 1) throw new InputError('has no rows', sx.name);
  const b = base(o, inMemory);
  // Both options are checked before either σ is estimated.
  const kx0 = resolveKernel(o.kernelX ?? o.kernel, 'X', AUTO),
    ky0 = resolveKernel(o.kernelY ?? o.kernel, 'Y', AUTO);
  const kx = await settled(kx0, [sx], b.seed, sx.name, coop, 'X');
  const ky = await settled(ky0, [sy], b.seed, sy.name, coop, 'Y');
  return { ...b, sx, sy, n: sx.rows, kx, ky, sigmaEstimated: kx !== kx0 || ky !== ky0 };
}

export async function fincJob(sx: RowSource, sy: RowSource, options: FincOptions | undefined, inMemory: boolean, coop: Cooperative): Promise<FincJob> {
  const o = optionsOf(options);
  for (const s of [sx, sy]) if (s.rows < 2) throw new InputError(`has ${s.rows} row${s.rows === 1 ? '' : 's'}; FINC needs at least 2 samples per set`, s.name);
  checkSameCols(sx, sy);
  const b = base(o, inMemory);
  if ('kernelX' in o || 'kernelY' in o) throw new InputError('FINC has one kernel for both sets: use `kernel`, not kernelX/kernelY');
  const k0 = resolveKernel(o.kernel, '', AUTO);
  const kernel = await settled(k0, [sx, sy], b.seed, `${sx.name} and ${sy.name}`, coop);
  return { ...b, sx, sy, kernel, sigmaEstimated: kernel !== k0 };
}

/** What a compare route returns (compare() adds the job's settings and timings). */
export type SpecOutcome = Pick<SpecResult, 'eigenvalues' | 'modes' | 'specDiff' | 'noiseDropped' | 'threads' | 'solver' | 'solverReason'>;

/** What a finc route returns. */
export interface FincOutcome {
  modes: FincMode[];
  specDiff: SpecResult['specDiff'];
  noiseDropped: number;
  /** Workers used (src/runtime); absent in process. */
  threads?: number;
  /** The covariance route's solver, and why. */
  solver?: 'syrk' | 'matrix-free';
  solverReason?: string;
}

// The one order in which compare() and finc() (and compareSources(), fincSources())
// check a call, so that a call with several faults gets the same first message
// from either:
//   1. names: the options object, unknown option names (the nearest valid one named),
//      FINC's kernelX/kernelY, unknown keys of a kernel object;
//   2. shapes: each input's shape and number[][] cells, then the pair (same rows for
//      compare; at least 2 rows each and the same columns for finc);
//   3. values: finite and within float32, in steps that yield (in-memory inputs;
//      rows of a source are checked as they are read, after 4);
//   4. settings: eta, topK, samplesPerMode, seed, method, threads, then each kernel
//      under the name it was passed as.
// `worker` is read between 2 and 3 because it decides where 3 and 4 run: with
// `worker: true` the worker's own compare()/finc() runs every step again.
import { InputError } from '../errors.js';
import type { CompareOptions, Matrix, MatrixLike } from '../types/index.js';
import type { FincOptions } from '../types/finc.js';
import type { Cooperative } from '../runtime/cooperative.js';
import {
  checkFinite,
  checkOptionNames,
  checkSameCols,
  checkSameRows,
  etaOf,
  methodOf,
  optionsOf,
  positiveInt,
  seedOf,
  threadsOf,
  toMatrix,
  workerOf,
} from './checks.js';
import { checkKernelNames, checkKernelOption } from './kernel-option.js';
import { COMPARE_OPTIONS, FINC_OPTIONS } from './option-names.js';

export type Task = 'compare' | 'finc';
type TaskOptions = CompareOptions | FincOptions;

/** The kernel options each task takes, in the order they are checked. */
const KERNELS = { compare: ['kernel', 'kernelX', 'kernelY'], finc: ['kernel'] } as const;

/** Values of in-memory inputs checked per step (~a few ms per 1M values). */
const CHECK_VALUES = 1 << 19;

/** What a source or a matrix shows of its shape, with the name messages use. */
interface Shape {
  rows: number;
  cols: number;
  name: string;
}

/** Step 1. */
export function checkNames(task: Task, options: TaskOptions | undefined): void {
  const o = optionsOf(options) as Record<string, unknown>;
  if (task === 'finc' && ('kernelX' in o || 'kernelY' in o)) throw new InputError('FINC has one kernel for both sets: use `kernel`, not kernelX/kernelY');
  checkOptionNames(o, task === 'compare' ? COMPARE_OPTIONS : FINC_OPTIONS);
  for (const name of KERNELS[task]) checkKernelNames(o[name], name);
}

/** Step 2 for a pair of inputs whose own shapes are known (sources, or matrices toMatrix accepted). */
export function checkPair(task: Task, x: Shape, y: Shape): void {
  if (task === 'compare') {
    checkSameRows(x, y);
    if (x.rows < 1) throw new InputError('has no rows', x.name);
    return;
  }
  for (const s of [x, y]) if (s.rows < 2) throw new InputError(`has ${s.rows} row${s.rows === 1 ? '' : 's'}; FINC needs at least 2 samples per set`, s.name);
  checkSameCols(x, y);
}

/**
 * Steps 1 and 2 of an in-memory call, and `worker`: the inputs as matrices (values
 * not yet scanned: a 10000 × 768 scan is ~50 ms, done in steps by checkRun).
 */
export function checkCall(task: Task, X: MatrixLike, Y: MatrixLike, options: TaskOptions | undefined): { X: Matrix; Y: Matrix; worker: boolean } {
  checkNames(task, options);
  const mx = toMatrix(X, 'X', 0, false),
    my = toMatrix(Y, 'Y', 0, false);
  checkPair(task, { ...mx, name: 'X' }, { ...my, name: 'Y' });
  return { X: mx, Y: my, worker: workerOf(optionsOf(options).worker) };
}

/** Steps 1 and 2 of a call with row sources (their values are checked as they are read). */
export function checkSourcesCall(task: Task, sx: Shape, sy: Shape, options: TaskOptions | undefined): void {
  checkNames(task, options);
  checkPair(task, sx, sy);
}

/** Steps 3 (the in-memory `inputs`, named as their sources are) and 4. */
export async function checkRun(task: Task, options: TaskOptions | undefined, coop: Cooperative, inputs: { m: Matrix; name: string }[] = []): Promise<void> {
  for (const { m, name } of inputs) await checkFiniteSteps(m, name, coop);
  checkSettings(task, options);
}

/** Step 4. The job (features/job.ts) reads the same settings again; they pass there. */
export function checkSettings(task: Task, options: TaskOptions | undefined): void {
  const o = optionsOf(options) as TaskOptions & Record<string, unknown>;
  etaOf(o.eta);
  positiveInt(o.topK, 'topK', 10);
  positiveInt(o.samplesPerMode, 'samplesPerMode', 20);
  seedOf(o.seed);
  methodOf(o.method);
  threadsOf(o.threads);
  for (const name of KERNELS[task]) if (o[name] !== undefined) checkKernelOption(o[name] as CompareOptions['kernel'], name);
}

/** checkFinite over a whole in-memory input in steps of CHECK_VALUES values, yielding between them. */
export async function checkFiniteSteps(m: Matrix, name: string, coop: Cooperative): Promise<void> {
  const step = Math.max(1, Math.floor(CHECK_VALUES / m.cols));
  for (let r0 = 0; r0 < m.rows; r0 += step) {
    const rows = Math.min(step, m.rows - r0);
    checkFinite({ data: m.data.subarray(r0 * m.cols, (r0 + rows) * m.cols), rows, cols: m.cols }, name, r0);
    await coop.tick();
  }
}

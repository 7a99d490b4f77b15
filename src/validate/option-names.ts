// The option names each public function accepts, for the unknown-option check
// (validate.ts checkOptionNames). Each list is checked against its interface at
// compile time — a key missing here, or one the interface lacks, fails the build —
// so the check cannot drift from the types. (A module of its own: values in
// types.ts would leak into the public type declarations through `export type *`.)
import type { CompareOptions, KernelOption } from '../types/index.js';
import type { FincOptions } from '../types/finc.js';
import type { AlignObjective, AlignOptions } from '../types/align.js';

/** The keys of a kernel object ({ type, sigma, rffDim }). */
export const KERNEL_KEYS = Object.keys({ type: true, sigma: true, rffDim: true } satisfies Record<keyof Exclude<KernelOption, string>, true>);

/** Every option name of compare() and compareSources(). */
export const COMPARE_OPTIONS = Object.keys({
  eta: true,
  topK: true,
  method: true,
  solver: true,
  seed: true,
  samplesPerMode: true,
  returnScores: true,
  threads: true,
  worker: true,
  onProgress: true,
  signal: true,
  kernel: true,
  kernelX: true,
  kernelY: true,
  significance: true,
} satisfies Record<keyof CompareOptions, true>);

/** Every option name of finc() and fincSources(). */
export const FINC_OPTIONS = Object.keys({
  eta: true,
  topK: true,
  method: true,
  solver: true,
  seed: true,
  samplesPerMode: true,
  returnScores: true,
  threads: true,
  worker: true,
  onProgress: true,
  signal: true,
  kernel: true,
  significance: true,
} satisfies Record<keyof FincOptions, true>);

/** Every option name of align(). */
export const ALIGN_OPTIONS = Object.keys({
  kernel: true,
  dim: true,
  bias: true,
  epochs: true,
  lr: true,
  beta: true,
  batch: true,
  holdout: true,
  patience: true,
  seed: true,
  topK: true,
  samplesPerMode: true,
  onProgress: true,
  signal: true,
  objective: true,
} satisfies Record<keyof AlignOptions, true>);

/** Every value of align()'s `objective`, the default first. */
export const ALIGN_OBJECTIVES = Object.keys({ 'x-not-y': true, norm: true } satisfies Record<AlignObjective, true>) as AlignObjective[];

/** Every option name of specDiffLoss(). */
export const SPEC_DIFF_LOSS_OPTIONS = ['kernel', 'seed'];

/** Every option name of applyMap(). */
export const APPLY_MAP_OPTIONS = ['dim', 'bias'];

// A run request as the library's options: what the CLI's flags build, built from the
// app's form values (per side for compare, one kernel for finc, X's kernel for align).
import type { AlignOptions } from '../methods/align/index.js';
import type { ParseOptions } from '../io/matrix.js';
import type { CompareOptions, KernelOption } from '../types/index.js';
import type { FincOptions } from '../types/finc.js';
import type { RunRequest, SideKernel } from './protocol.js';

/** A side's kernel option: a bare name, or a Gaussian with σ (and m where given). */
export function kernelOption(k: SideKernel, withRff = true): KernelOption {
  if (k.type !== 'gaussian') return k.type;
  return { type: 'gaussian', sigma: k.sigma ?? 'auto', ...(withRff && k.rffDim !== undefined ? { rffDim: k.rffDim } : {}) };
}

/** Whether a side's Gaussian σ is estimated (the report says so). */
export const sigmaIsAuto = (k: SideKernel | undefined): boolean => k?.type === 'gaussian' && typeof k.sigma !== 'number';

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

function taskOptions(req: RunRequest) {
  return defined({ eta: req.eta, topK: req.topK, samplesPerMode: req.samplesPerMode, method: req.method, seed: req.seed });
}

export function compareOptions(req: RunRequest): CompareOptions {
  return { kernelX: kernelOption(req.kernelX), kernelY: kernelOption(req.kernelY ?? req.kernelX), ...taskOptions(req) };
}

export function fincOptions(req: RunRequest): FincOptions {
  return { kernel: kernelOption(req.kernelX), ...taskOptions(req) };
}

export function alignOptions(req: RunRequest): AlignOptions {
  return {
    kernel: kernelOption(req.kernelX, false),
    ...defined({
      objective: req.objective,
      epochs: req.epochs,
      lr: req.lr,
      beta: req.beta,
      batch: req.batch,
      holdout: req.holdout,
      patience: req.patience,
      dim: req.dim,
      topK: req.topK,
      samplesPerMode: req.samplesPerMode,
      seed: req.seed,
    }),
    ...(req.bias ? { bias: true } : {}),
  };
}

/** The reader's options for one input: its .npz array, and how .csv/.tsv line 1 and an index column read. */
export function parseOptions(req: RunRequest, side: 'x' | 'y'): ParseOptions {
  return defined({ key: side === 'x' ? req.keyX : req.keyY, header: req.header, indexColumn: req.indexColumn });
}

/**
 * spec-embed: explain how two feature embeddings of the same samples differ.
 *
 * ```ts
 * import { init, compare } from 'spec-embed';
 * await init();
 * const result = await compare(X, Y, { kernel: 'cosine', topK: 10 });
 * ```
 * The file readers (parseNpy, parseMatrix ...) are in `spec-embed/io`, which
 * carries no WebAssembly.
 * @packageDocumentation
 */
export { init, isInitialized } from './wasm/loader.js';
export type { InitOptions } from './wasm/loader.js';
export { compare, compareSources } from './methods/compare.js';
export type { RowSource } from './validate/source.js';
export { SpecAccumulator } from './methods/spec-accumulator.js';
export type { AccumulatorOptions, SolveOptions, CovarianceSolution } from './methods/spec-accumulator.js';
export { align, applyMap, specDiffLoss } from './methods/align/index.js';
export type { AlignOptions, AlignResult } from './methods/align/index.js';
export { finc, fincSources, FincAccumulator } from './methods/finc.js';
export type { FincAccumulatorOptions, FincSolveOptions, FincSolution } from './methods/finc.js';
export type * from './types/finc.js';
export type * from './types/significance.js';
export { estimateSigma } from './features/kernel.js';
export { terminateWorkers } from './runtime/pool.js';
export { InputError, AbortError } from './errors.js';
export { VERSION } from './version.js';
export type * from './types/index.js';
export {
  accumulateShard,
  mergeParts,
  solveParts,
  scoreShard,
  finishCompare,
  finishFinc,
  sigmaSample,
  sigmaOfSample,
  readPart,
  readSolution,
} from './methods/shards/index.js';
export type { ShardTaskOptions, PartInfo, PartInput, ShardEntry, ShardSolution, ShardSolveSettings, StepRun } from './methods/shards/index.js';

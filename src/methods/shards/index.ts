// The sharded covariance route's steps, for engines that schedule them
// (docs/scale.md): accumulate → merge → solve → score → finish.
export { accumulateShard, alignmentNote, mergeParts, readPart, byName, type PartInfo, type PartInput, type ShardEntry, type StepRun } from './parts.js';
export { solveParts, readSolution, type ShardSolution, type ShardSolveSettings } from './solution.js';
export { scoreShard, readScores } from './scores.js';
export { finishCompare, finishFinc } from './finish.js';
export { sigmaSample, sigmaOfSample } from './sigma.js';
export type { ShardTaskOptions, CanonicalOptions } from './options.js';

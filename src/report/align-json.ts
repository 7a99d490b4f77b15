// The `--json` object of align (docs/design.md §3): pure, so the CLI, the report and the
// in-browser app's worker produce the same object.
import type { AlignResult } from '../methods/align/index.js';
import type { SpecDiffChange } from '../types/align.js';
import type { Mode } from '../types/index.js';
import { modeExtras, type CliModeJson, type InputsJson } from './json.js';

/** What the CLI adds to align's object: the samples' labels (per top sample and per mode) and how the inputs were read. */
export interface AlignJsonOptions {
  /** One label per sample of X/Y: each top sample gets `label`, each mode `labelMix`, `purity` and `entropy` after `top`. */
  labels?: readonly string[];
  /** How the input files were read (`inputs`, after `timings`). */
  inputs?: InputsJson;
}

const change = (c: SpecDiffChange): SpecDiffChange => ({ before: c.before, after: c.after, relative: c.relative, warn: c.warn });

/**
 * The `--json` object of align (docs/design.md §3), keys in this order: the fields of
 * earlier versions (`task` … `timings`, `inputs`) unchanged, then `objective`,
 * `specDiffChange`, `warnings` and `createdModes`.
 */
export function alignJson(r: AlignResult, opts: AlignJsonOptions = {}) {
  const { labels } = opts;
  const sd = (s: AlignResult['specDiffBefore']) => ({ xNotY: s.xNotY, yNotX: s.yNotX, norm: s.norm });
  const modeJson = (m: Mode): CliModeJson => ({
    rank: m.rank,
    side: m.side,
    eigenvalue: m.eigenvalue,
    top: m.top.map((t) => (labels ? { index: t.index, score: t.score, label: labels[t.index] } : { index: t.index, score: t.score })),
    ...modeExtras(m.top, labels),
  });
  const k = r.kernelX;
  const c = r.specDiffChange;
  return {
    task: 'align' as const,
    n: r.n,
    nTrain: r.nTrain,
    nHoldout: r.nHoldout,
    dim: r.dim,
    kernelX: { type: k.type, ...(k.sigma !== undefined ? { sigma: k.sigma } : {}) },
    specDiffBefore: sd(r.specDiffBefore),
    specDiffAfter: sd(r.specDiffAfter),
    epochs: r.epochs,
    bestEpoch: r.bestEpoch,
    loss: { train: r.loss.train, holdout: r.loss.holdout },
    removedModes: r.removedModes,
    modesBefore: r.modesBefore.map(modeJson),
    modesAfter: r.modesAfter.map(modeJson),
    timings: { ...r.timings },
    ...(opts.inputs ? { inputs: opts.inputs } : {}),
    objective: r.objective,
    specDiffChange: { limit: c.limit, xNotY: change(c.xNotY), yNotX: change(c.yNotX), norm: change(c.norm) },
    warnings: [...r.warnings],
    createdModes: r.createdModes.map((m) => ({ side: m.side, rank: m.rank })),
  };
}

// The `--json` object of align (docs/design.md §3): pure, so the CLI, the report and the
// in-browser app's worker produce the same object.
import type { AlignResult } from '../methods/align/index.js';
import type { Mode } from '../types/index.js';

const modeJson = (m: Mode) => ({ rank: m.rank, side: m.side, eigenvalue: m.eigenvalue, top: m.top.map((t) => ({ index: t.index, score: t.score })) });

/** The `--json` object of align (docs/design.md §3), keys in this order. */
export function alignJson(r: AlignResult) {
  const sd = (s: AlignResult['specDiffBefore']) => ({ xNotY: s.xNotY, yNotX: s.yNotX, norm: s.norm });
  const k = r.kernelX;
  return {
    task: 'align' as const,
    n: r.n, nTrain: r.nTrain, nHoldout: r.nHoldout, dim: r.dim,
    kernelX: { type: k.type, ...(k.sigma !== undefined ? { sigma: k.sigma } : {}) },
    specDiffBefore: sd(r.specDiffBefore), specDiffAfter: sd(r.specDiffAfter),
    epochs: r.epochs, bestEpoch: r.bestEpoch,
    loss: { train: r.loss.train, holdout: r.loss.holdout },
    removedModes: r.removedModes,
    modesBefore: r.modesBefore.map(modeJson), modesAfter: r.modesAfter.map(modeJson),
    timings: { ...r.timings },
  };
}


// Hand-built results (not a test file): every field set to a value the output
// code must carry over or print, so a dropped or renamed field shows.
import type { SpecResult } from '../../../src/types/index.js';
import type { FincResult } from '../../../src/types/finc.js';

export function specResult(over: Partial<SpecResult> = {}): SpecResult {
  return {
    n: 6,
    method: 'exact',
    methodReason: 'n = 6 ≤ 4000',
    eta: 1,
    kernelX: { type: 'cosine' },
    kernelY: { type: 'gaussian', sigma: 0.5, rffDim: 100 },
    eigenvalues: Float64Array.of(0.75, -0.25),
    modes: [
      { rank: 1, side: 'x', eigenvalue: 0.75, top: [{ index: 2, score: 0.5 }, { index: 0, score: 0.25 }, { index: 5, score: 0.125 }] },
      { rank: 1, side: 'y', eigenvalue: -0.25, top: [{ index: 4, score: 0.625 }] },
    ],
    specDiff: { xNotY: 0.75, yNotX: 0.25, norm: 0.75 },
    noiseDropped: 0,
    timings: { read: 0.001, solve: 0.5, total: 1.25 },
    ...over,
  };
}

export function fincResult(over: Partial<FincResult> = {}): FincResult {
  return {
    task: 'finc',
    nx: 4,
    ny: 3,
    method: 'covariance',
    methodReason: 'asked for',
    eta: 2,
    kernel: { type: 'gaussian', sigma: 1.5, rffDim: 64 },
    eigenvalues: Float64Array.of(0.5, -0.125),
    modes: [
      { rank: 1, side: 'x', eigenvalue: 0.5, shareX: 0.625, shareY: 0.0625, top: [{ index: 3, score: 0.75 }, { index: 1, score: 0.5 }] },
      { rank: 1, side: 'y', eigenvalue: -0.125, shareX: 0.03125, shareY: 0.25, top: [{ index: 2, score: 0.875 }] },
    ],
    specDiff: { xNotY: 0.5, yNotX: 0.125, norm: 0.5 },
    noiseDropped: 1,
    timings: { features: 0.02, total: 0.25 },
    ...over,
  } as FincResult;
}

// Hand-built results (not a test file): every field set to a value the output
// code must carry over or print, so a dropped or renamed field shows.
import type { ModeEnds, SpecResult } from '../../../src/types/index.js';
import type { FincResult } from '../../../src/types/finc.js';

/** The ends of a mode that lists no bottom samples and has no samples past either cut. */
export const NO_ENDS: ModeEnds = { bottom: [], kind: 'diffuse', massTop: 0, massBottom: 0, countTop: 0, countBottom: 0, cutTop: 0, cutBottom: 0 };

/** The FINC fields beyond the ends, for a mode that claims no sample. */
export const NO_FREQ = { freqX: 0, freqY: 0, freqEnd: 'top' as const, meanSquareX: 0, meanSquareY: 0 };

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
      {
        rank: 1,
        side: 'x',
        eigenvalue: 0.75,
        top: [
          { index: 2, score: 0.5 },
          { index: 0, score: 0.25 },
          { index: 5, score: 0.125 },
        ],
        bottom: [
          { index: 3, score: -0.375 },
          { index: 1, score: -0.0625 },
        ],
        kind: 'contrast',
        massTop: 0.5,
        massBottom: 0.375,
        countTop: 2,
        countBottom: 1,
        cutTop: 0.25,
        cutBottom: -0.1875,
      },
      {
        rank: 1,
        side: 'y',
        eigenvalue: -0.25,
        top: [{ index: 4, score: 0.625 }],
        bottom: [{ index: 0, score: -0.125 }],
        kind: 'cluster',
        massTop: 0.875,
        massBottom: 0,
        countTop: 1,
        countBottom: 0,
        cutTop: 0.3125,
        cutBottom: -0.25,
      },
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
      {
        rank: 1,
        side: 'x',
        eigenvalue: 0.5,
        shareX: 0.625,
        shareY: 0.0625,
        top: [
          { index: 3, score: 0.75 },
          { index: 1, score: 0.5 },
        ],
        bottom: [{ index: 0, score: -0.25 }],
        kind: 'cluster',
        massTop: 0.75,
        massBottom: 0.125,
        countTop: 2,
        countBottom: 1,
        cutTop: 0.375,
        cutBottom: -0.125,
        freqX: 0.5,
        freqY: 0,
        freqEnd: 'top',
        meanSquareX: 0.625,
        meanSquareY: 0.0625,
      },
      {
        rank: 1,
        side: 'y',
        eigenvalue: -0.125,
        shareX: 0.03125,
        shareY: 0.25,
        top: [{ index: 2, score: 0.875 }],
        bottom: [{ index: 1, score: -0.5 }],
        kind: 'contrast',
        massTop: 0.5,
        massBottom: 0.25,
        countTop: 1,
        countBottom: 1,
        cutTop: 0.4375,
        cutBottom: -0.25,
        freqX: 0.25,
        freqY: 2 / 3,
        freqEnd: 'top',
        meanSquareX: 0.03125,
        meanSquareY: 0.25,
      },
    ],
    specDiff: { xNotY: 0.5, yNotX: 0.125, norm: 0.5 },
    noiseDropped: 1,
    timings: { features: 0.02, total: 0.25 },
    ...over,
  } as FincResult;
}

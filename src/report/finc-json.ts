// FINC's --json object (docs/design.md §3, finc variant), shared by the CLI, the app and the report.
import type { FincMode, FincResult } from '../types/finc.js';
import type { FincMetrics, ModeSignificance } from '../types/significance.js';
import { ASSIGN_CUT } from '../score/agreement.js';
import {
  agreementOf,
  endsJson,
  kernelJson,
  modeExtras,
  rffErrorJson,
  solverJson,
  samplesJson,
  trailingJson,
  type AgreementJson,
  type CliExtras,
  type CliKernelJson,
  type CliModeJson,
  type FileJson,
  type InputsJson,
  type RffErrorJson,
  type ScoresFileJson,
  type SigmaChoice,
} from './json.js';

/** A FINC mode's JSON: shareX/shareY where they always were, the ends and frequencies after the other fields. */
export type FincModeJson = { rank: number; side: 'x' | 'y'; eigenvalue: number; shareX: number; shareY: number } & Omit<
  CliModeJson,
  'rank' | 'side' | 'eigenvalue' | 'share'
> & {
    /** Fraction of X's (Y's) samples past the cut at the mode's end `freqEnd`. */
    freqX?: number;
    freqY?: number;
    freqEnd?: 'top' | 'bottom';
    /** vᵀCX v and vᵀCY v: the mean squared score over each set (`shareX`, `shareY` under their clearer names). */
    meanSquareX?: number;
    meanSquareY?: number;
    /** The mode's evidence (permutation test, weak flag) when `significance` asked for it. */
    significance?: ModeSignificance;
  };

export interface FincLabels {
  /** One label per row of X. */
  x?: readonly string[];
  /** One label per row of Y. */
  y?: readonly string[];
}

export interface FincCliJson {
  task: 'finc';
  n: number;
  nx: number;
  ny: number;
  method: 'exact' | 'covariance';
  eta: number;
  kernelX: CliKernelJson;
  kernelY: CliKernelJson;
  specDiff: { xNotY: number; yNotX: number; norm: number };
  /** MMD², and with permutations its test and SPEC-diff's. */
  metrics?: FincMetrics;
  modes: FincModeJson[];
  noiseDropped: number;
  /** Options not honoured as given (the result's notes); absent when none. */
  notes?: string[];
  timings: Record<string, number>;
  /** How each input file was read. */
  inputs?: InputsJson;
  /** The fields below come with CLI runs (CliExtras), after `inputs`. */
  methodReason?: string;
  seed?: number;
  version?: string;
  sigma?: { X: SigmaChoice; Y: SigmaChoice };
  files?: { X: FileJson; Y: FileJson };
  /** Side x against X's labels over X's samples, side y against Y's over Y's. */
  agreement?: AgreementJson;
  /** X's rows × side-x modes (--scores). */
  scores?: ScoresFileJson;
  /** Y's rows × side-y modes (--scores-y). */
  scoresY?: ScoresFileJson;
  /** The random features' error in SPEC-diff on a sample (covariance route, Gaussian kernel); absent otherwise. */
  rffError?: RffErrorJson;
  /** Covariance route: the solver that ran and why. */
  solver?: 'syrk' | 'matrix-free';
  solverReason?: string;
}

const sideLabels = (m: FincMode, labels: FincLabels) => (m.side === 'x' ? labels.x : labels.y);

/** The CLI's JSON view of a FINC result: top indices point into the set the mode's side names. */
export function toFincCliJson(result: FincResult, labels: FincLabels = {}, inputs?: InputsJson, extras?: CliExtras): FincCliJson {
  const out: FincCliJson = {
    task: 'finc',
    n: result.nx + result.ny,
    nx: result.nx,
    ny: result.ny,
    method: result.method,
    eta: result.eta,
    kernelX: kernelJson(result.kernel),
    kernelY: kernelJson(result.kernel),
    specDiff: { xNotY: result.specDiff.xNotY, yNotX: result.specDiff.yNotX, norm: result.specDiff.norm },
    ...(result.metrics ? { metrics: result.metrics } : {}),
    modes: result.modes.map((m) => {
      const l = sideLabels(m, labels);
      const ends = endsJson(m, l, !!extras);
      const { bottomLabelMix, bottomPurity, bottomEntropy, ...rest } = ends;
      const out: FincModeJson = {
        rank: m.rank,
        side: m.side,
        eigenvalue: m.eigenvalue,
        shareX: m.shareX,
        shareY: m.shareY,
        top: samplesJson(m.top, l),
        ...(extras ? modeExtras(m.top, l) : {}),
        ...rest,
      };
      if (m.freqX !== undefined)
        Object.assign(out, { freqX: m.freqX, freqY: m.freqY, freqEnd: m.freqEnd, meanSquareX: m.meanSquareX, meanSquareY: m.meanSquareY });
      if (bottomLabelMix) Object.assign(out, { bottomLabelMix, bottomPurity, bottomEntropy });
      if (m.significance) out.significance = m.significance;
      return out;
    }),
    noiseDropped: result.noiseDropped,
    ...(result.notes ? { notes: [...result.notes] } : {}),
    timings: { ...result.timings },
  };
  if (inputs) out.inputs = inputs;
  if (extras) {
    const side = (s: 'x' | 'y') =>
      agreementOf(
        result.modes.filter((m) => m.side === s),
        s === 'x' ? labels.x : labels.y,
      );
    const agreement = labels.x || labels.y ? { cut: ASSIGN_CUT, x: side('x'), y: side('y') } : undefined;
    Object.assign(out, trailingJson(result, extras, undefined, agreement && (agreement.x || agreement.y) ? agreement : undefined));
  }
  return Object.assign(out, rffErrorJson(result.rffError), solverJson(result));
}

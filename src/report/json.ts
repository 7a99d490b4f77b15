// The `--json` object (docs/design.md §3): exactly these keys, in this order.
import type { TableInfo } from '../io/index.js';
import type { KernelInfo, SpecResult } from '../types/index.js';

export interface CliKernelJson {
  type: KernelInfo['type'];
  sigma?: number;
  rffDim?: number;
}

export interface CliTopJson {
  index: number;
  score: number;
  label?: string;
}

export interface CliModeJson {
  rank: number;
  side: 'x' | 'y';
  eigenvalue: number;
  top: CliTopJson[];
}

/** What the CLI reports of how an input was read (--json "inputs"). */
export interface InputJson {
  /** Line 1 of a .csv/.tsv input when it was skipped as a header; null otherwise. */
  header: string | null;
  /** A row-index first column under an empty header cell: 'dropped' or 'kept'; null if none. */
  indexColumn: 'dropped' | 'kept' | null;
}

export interface InputsJson {
  X: InputJson;
  Y: InputJson;
}

/** How a parsed input was read, as --json "inputs" shows it (the app reports the same). */
export function inputJson(table: TableInfo | undefined): InputJson {
  return { header: table?.header ?? null, indexColumn: table?.indexColumn ?? null };
}

export interface CliJson {
  n: number;
  method: 'exact' | 'covariance';
  eta: number;
  kernelX: CliKernelJson;
  kernelY: CliKernelJson;
  specDiff: { xNotY: number; yNotX: number; norm: number };
  modes: CliModeJson[];
  /** Computed eigenvalues within round-off, not listed as modes. */
  noiseDropped: number;
  /** Options not honoured as given (the result's notes); absent when none. */
  notes?: string[];
  timings: Record<string, number>;
  /** How each input file was read (CLI runs on files only). */
  inputs?: InputsJson;
}

/** A kernel's JSON: type, then σ and m where the result has them. */
export function kernelJson(k: KernelInfo): CliKernelJson {
  const out: CliKernelJson = { type: k.type };
  if (k.sigma !== undefined) out.sigma = k.sigma;
  if (k.rffDim !== undefined) out.rffDim = k.rffDim;
  return out;
}

/** The CLI's JSON view of a result; `labels[i]` names sample i when given; `inputs` last when given. */
export function toCliJson(result: SpecResult, labels?: readonly string[], inputs?: InputsJson): CliJson {
  const out: CliJson = {
    n: result.n,
    method: result.method,
    eta: result.eta,
    kernelX: kernelJson(result.kernelX),
    kernelY: kernelJson(result.kernelY),
    specDiff: { xNotY: result.specDiff.xNotY, yNotX: result.specDiff.yNotX, norm: result.specDiff.norm },
    modes: result.modes.map((m) => ({
      rank: m.rank,
      side: m.side,
      eigenvalue: m.eigenvalue,
      top: m.top.map((t) => (labels ? { index: t.index, score: t.score, label: labels[t.index] } : { index: t.index, score: t.score })),
    })),
    noiseDropped: result.noiseDropped,
    ...(result.notes ? { notes: [...result.notes] } : {}),
    timings: { ...result.timings },
  };
  if (inputs) out.inputs = inputs;
  return out;
}

// The `--json` object (docs/design.md §3): exactly these keys, in this order.
import type { ModeSignificance } from '../types/significance.js';
import type { TableInfo } from '../io/index.js';
import type { KernelInfo, Mode, ModeEnds, SpecResult } from '../types/index.js';
import type { CompareMetrics } from '../types/significance.js';
import { ASSIGN_CUT, labelMix, sideAgreement, topCutOf } from '../score/agreement.js';
import { VERSION } from '../version.js';

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
  /** |λ| over Σ|λ| (of the whole spectrum or of the listed modes: `shareOf`); CLI runs only. */
  share?: number;
  /** The top samples' labels, most frequent first; with labels only. */
  labelMix?: { label: string; count: number }[];
  /** Share of the top samples with the most common label. */
  purity?: number;
  /** Shannon entropy (nats) of the top samples' labels. */
  entropy?: number;
  /** The most negative samples (the mode's other end), most negative first. */
  bottom?: CliTopJson[];
  /** 'cluster' (one end holds the mode), 'contrast' (both ends), 'diffuse' (neither). */
  kind?: ModeEnds['kind'];
  /** Share of the mode's Σ (score − baseline)² past the top cut, and past the bottom cut. */
  massTop?: number;
  massBottom?: number;
  /** Samples past each cut. */
  countTop?: number;
  countBottom?: number;
  /** Scores ≥ cutTop are past the top cut, scores ≤ cutBottom past the bottom cut. */
  cutTop?: number;
  cutBottom?: number;
  /** The bottom samples' labels, purity and entropy; with labels only. */
  bottomLabelMix?: { label: string; count: number }[];
  bottomPurity?: number;
  bottomEntropy?: number;
  /** Held-out replication, bootstrap stability and the weak flag, when --splits/--bootstrap asked for them. */
  significance?: ModeSignificance;
}

/** The JSON of a mode's listed samples, each with its label when labels are given. */
export function samplesJson(list: readonly { index: number; score: number }[], labels: readonly string[] | undefined): CliTopJson[] {
  return list.map((t) => (labels ? { index: t.index, score: t.score, label: labels[t.index] } : { index: t.index, score: t.score }));
}

/**
 * A mode's ends after its other fields (docs/design.md §3: new fields follow): the bottom samples,
 * kind, masses, counts and cuts; with `extras` and labels, the bottom samples' label mix.
 */
export function endsJson(m: Partial<ModeEnds>, labels: readonly string[] | undefined, extras: boolean): Partial<CliModeJson> {
  if (!m.bottom || !m.kind) return {};
  const out: Partial<CliModeJson> = {
    bottom: samplesJson(m.bottom, labels),
    kind: m.kind,
    massTop: m.massTop,
    massBottom: m.massBottom,
    countTop: m.countTop,
    countBottom: m.countBottom,
    cutTop: m.cutTop,
    cutBottom: m.cutBottom,
  };
  if (extras && labels) {
    const mix = labelMix(m.bottom.map((t) => labels[t.index] ?? '?'));
    out.bottomLabelMix = mix.counts;
    out.bottomPurity = mix.purity;
    out.bottomEntropy = mix.entropy;
  }
  return out;
}

/** An input file as the CLI read it. */
export interface FileJson {
  /** The path as given on the command line. */
  name: string;
  rows: number;
  cols: number;
}

/** A per-sample scores file written by --scores / --scores-y. */
export interface ScoresFileJson {
  file: string;
  dtype: 'float32';
  /** [samples, columns]. */
  shape: [number, number];
  /** The mode of each column ("x1", "y2", …), in the order of `modes`. */
  columns: string[];
}

/** How a mode assignment agrees with the labels (one side). */
export interface SideAgreementJson {
  /** scikit-learn's normalized_mutual_info_score, average_method 'arithmetic'. */
  nmi: number;
  /** scikit-learn's adjusted_mutual_info_score, average_method 'arithmetic'. */
  ami: number;
  /** Samples assigned to each listed mode of the side. */
  assigned: { mode: string; count: number }[];
  /** Samples below the cut for every mode of the side ("none", one more cluster in NMI/AMI). */
  unassigned: number;
}

export interface AgreementJson {
  /**
   * A sample goes to the side's mode it scores highest on unless that score is below the mode's top
   * cut (`cutTop`: `cut` of the way from the mode's baseline to its peak, docs/design.md §1).
   */
  cut: number;
  /** null when the side lists no mode (or, finc, its set has no labels). */
  x: SideAgreementJson | null;
  y: SideAgreementJson | null;
}

/** 'auto' (median pairwise distance), 'given' (--sigma), or null for a side without a Gaussian kernel. */
export type SigmaChoice = 'auto' | 'given' | null;

/** What the CLI knows beyond the result: added to its --json after `inputs`. */
export interface CliExtras {
  seed: number;
  sigma: { X: SigmaChoice; Y: SigmaChoice };
  files?: { X: FileJson; Y: FileJson };
  /** --scores (compare: n × modes; finc: X's rows × side-x modes). */
  scores?: ScoresFileJson;
  /** --scores-y (finc: Y's rows × side-y modes). */
  scoresY?: ScoresFileJson;
}

export const modeKey = (m: { side: string; rank: number }) => `${m.side}${m.rank}`;

/** The share, label mix, purity and entropy a CLI mode adds after `top`. */
export function modeExtras(top: readonly { index: number }[], labels: readonly string[] | undefined, share?: number): Partial<CliModeJson> {
  const out: Partial<CliModeJson> = {};
  if (share !== undefined) out.share = share;
  if (labels) {
    const mix = labelMix(top.map((t) => labels[t.index] ?? '?'));
    out.labelMix = mix.counts;
    out.purity = mix.purity;
    out.entropy = mix.entropy;
  }
  return out;
}

/**
 * NMI/AMI of one side's modes against the labels of the samples they score; null without modes,
 * labels or scores. Each mode's own top cut is used when it has one (a FINC mode's is over both sets).
 */
export function agreementOf(
  modes: readonly ({ side: string; rank: number; scores?: Float64Array } & Partial<Pick<ModeEnds, 'cutTop' | 'cutBottom'>>)[],
  labels: readonly string[] | undefined,
): SideAgreementJson | null {
  if (!labels || modes.length === 0 || modes.some((m) => !m.scores || m.scores.length !== labels.length)) return null;
  const a = sideAgreement(
    labels,
    modes.map((m) => m.scores!),
    modes.map((m) => (m.cutTop !== undefined && m.cutBottom !== undefined ? topCutOf(m.cutTop, m.cutBottom) : undefined)),
  );
  return { nmi: a.nmi, ami: a.ami, assigned: modes.map((m, i) => ({ mode: modeKey(m), count: a.assigned[i] })), unassigned: a.unassigned };
}

/** The top-level fields after `inputs`, in order; `agreement` only with labels and per-sample scores. */
export function trailingJson(
  result: { methodReason: string },
  extras: CliExtras,
  shareOf: 'spectrum' | 'listed modes' | undefined,
  agreement: AgreementJson | undefined,
): Record<string, unknown> {
  return {
    methodReason: result.methodReason,
    seed: extras.seed,
    version: VERSION,
    sigma: extras.sigma,
    ...(extras.files ? { files: extras.files } : {}),
    ...(shareOf ? { shareOf } : {}),
    ...(agreement ? { agreement } : {}),
    ...(extras.scores ? { scores: extras.scores } : {}),
    ...(extras.scoresY ? { scoresY: extras.scoresY } : {}),
  };
}

/** Each mode's |λ| over Σ|λ| of the modes (all 0 when the sum is 0). */
export function modeShares(modes: readonly Pick<Mode, 'eigenvalue'>[]): number[] {
  const total = modes.reduce((a, m) => a + Math.abs(m.eigenvalue), 0);
  return modes.map((m) => (total > 0 ? Math.abs(m.eigenvalue) / total : 0));
}

/** What Σ|λ| under `share` runs over. */
export function shareOf(result: { spectrumComplete?: boolean }): 'spectrum' | 'listed modes' {
  return result.spectrumComplete ? 'spectrum' : 'listed modes';
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
  /** Linear and kernel CKA (with their permutation tests when run) and mutual k-NN overlap. */
  metrics?: CompareMetrics;
  modes: CliModeJson[];
  /** Computed eigenvalues within round-off, not listed as modes. */
  noiseDropped: number;
  /** Options not honoured as given (the result's notes); absent when none. */
  notes?: string[];
  timings: Record<string, number>;
  /** How each input file was read (CLI runs on files only). */
  inputs?: InputsJson;
  /** The fields below come with CLI runs (CliExtras), after `inputs`. */
  methodReason?: string;
  seed?: number;
  /** The package version. */
  version?: string;
  sigma?: { X: SigmaChoice; Y: SigmaChoice };
  files?: { X: FileJson; Y: FileJson };
  /** What each mode's `share` divides by: Σ|λ| of the whole spectrum, or of the listed modes. */
  shareOf?: 'spectrum' | 'listed modes';
  agreement?: AgreementJson;
  scores?: ScoresFileJson;
  /** The random features' error in SPEC-diff on a sample (covariance route with a Gaussian side); absent otherwise. */
  rffError?: RffErrorJson;
  /** Covariance route: the solver that ran ('syrk' or 'matrix-free') and why (the cost model's estimates, or 'requested'). */
  solver?: 'syrk' | 'matrix-free';
  solverReason?: string;
}

export interface RffErrorJson {
  xNotY: number;
  yNotX: number;
  norm: number;
  sample: number;
}

/** The result's rffError as the JSON's last field (after every older one); {} when absent. */
export function rffErrorJson(e: RffErrorJson | undefined): { rffError?: RffErrorJson } {
  return e ? { rffError: { xNotY: e.xNotY, yNotX: e.yNotX, norm: e.norm, sample: e.sample } } : {};
}

/** The covariance route's solver and why (after rffError, the JSON's last fields); {} on the exact route. */
export function solverJson(result: { solver?: 'syrk' | 'matrix-free'; solverReason?: string }): { solver?: 'syrk' | 'matrix-free'; solverReason?: string } {
  return result.solver ? { solver: result.solver, solverReason: result.solverReason ?? '' } : {};
}

/** A kernel's JSON: type, then σ and m where the result has them. */
export function kernelJson(k: KernelInfo): CliKernelJson {
  const out: CliKernelJson = { type: k.type };
  if (k.sigma !== undefined) out.sigma = k.sigma;
  if (k.rffDim !== undefined) out.rffDim = k.rffDim;
  return out;
}

/**
 * The CLI's JSON view of a result; `labels[i]` names sample i when given; `inputs` when given.
 * `extras` (CLI runs) add per mode its share and label mix, then the fields after `inputs`.
 */
export function toCliJson(result: SpecResult, labels?: readonly string[], inputs?: InputsJson, extras?: CliExtras): CliJson {
  const shares = modeShares(result.modes);
  const out: CliJson = {
    n: result.n,
    method: result.method,
    eta: result.eta,
    kernelX: kernelJson(result.kernelX),
    kernelY: kernelJson(result.kernelY),
    specDiff: { xNotY: result.specDiff.xNotY, yNotX: result.specDiff.yNotX, norm: result.specDiff.norm },
    ...(result.metrics ? { metrics: result.metrics } : {}),
    modes: result.modes.map((m, i) => ({
      rank: m.rank,
      side: m.side,
      eigenvalue: m.eigenvalue,
      top: samplesJson(m.top, labels),
      ...(extras ? modeExtras(m.top, labels, shares[i]) : {}),
      ...endsJson(m, labels, !!extras),
      ...(m.significance ? { significance: m.significance } : {}),
    })),
    noiseDropped: result.noiseDropped,
    ...(result.notes ? { notes: [...result.notes] } : {}),
    timings: { ...result.timings },
  };
  if (inputs) out.inputs = inputs;
  if (extras) {
    const side = (s: 'x' | 'y') =>
      agreementOf(
        result.modes.filter((m) => m.side === s),
        labels,
      );
    const agreement = labels ? { cut: ASSIGN_CUT, x: side('x'), y: side('y') } : undefined;
    Object.assign(out, trailingJson(result, extras, shareOf(result), agreement && (agreement.x || agreement.y) ? agreement : undefined));
  }
  return Object.assign(out, rffErrorJson(result.rffError), solverJson(result));
}

/** How σ was chosen for a side: by the median-distance rule, by the user, or not at all (no Gaussian). */
export function sigmaChoice(kernel: KernelInfo, auto: boolean): SigmaChoice {
  return kernel.type !== 'gaussian' ? null : auto ? 'auto' : 'given';
}

/** An input file's name as given and the shape read from it. */
export function fileJson(path: string, src: { rows: number; cols: number }): FileJson {
  return { name: path, rows: src.rows, cols: src.cols };
}

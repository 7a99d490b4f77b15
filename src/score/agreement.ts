// Agreement of the modes with the user's labels, as the reference SPEC code reports it:
// NMI and AMI between the labels and each sample's mode assignment, computed as
// scikit-learn's normalized_mutual_info_score and adjusted_mutual_info_score do with
// average_method='arithmetic' (natural logarithms throughout), and per mode the purity
// and entropy of its top samples' labels. Pure: no wasm, no I/O.
import { endsOfScores } from './ends.js';

/**
 * The cut (score/ends.ts, the one rule of the package): a sample is past a mode's top cut when
 * its score is at least ASSIGN_CUT of the way from the mode's baseline (SPEC: 0) to its peak. A
 * unit eigenvector puts a cluster of c samples near 1/√c and the rest near 0, so halfway
 * separates members from the background without a per-mode threshold.
 */
export { ASSIGN_CUT } from './ends.js';

/** The assignment of a sample that no mode claims. */
export const NONE = -1;

/** A mode's top cut as assignment uses it: +∞ (claims nothing) when the mode has no ends (cutTop ≤ cutBottom). */
export const topCutOf = (cutTop: number, cutBottom: number): number => (cutTop > cutBottom ? cutTop : Infinity);

/**
 * Each sample's mode (index into `scores`) or NONE; `scores[m][i]` is sample i's score on mode m.
 * A sample goes to the mode it scores highest on, unless that score is below the mode's top cut
 * (`cuts[m]`; by default the cut rule over `scores[m]` from baseline 0, as SPEC's modes draw it):
 * then it belongs to no mode ("none").
 */
export function assignModes(scores: readonly ArrayLike<number>[], n: number, cuts?: readonly (number | undefined)[]): Int32Array {
  const out = new Int32Array(n).fill(NONE);
  const cut = scores.map((s, m) => {
    const given = cuts?.[m];
    if (given !== undefined) return given;
    const e = endsOfScores(s, 'zero', n);
    return topCutOf(e.cutTop, e.cutBottom);
  });
  for (let i = 0; i < n; i++) {
    let best = NONE,
      bestScore = -Infinity;
    scores.forEach((s, m) => {
      if (s[i] > bestScore) [best, bestScore] = [m, s[i]];
    });
    if (best !== NONE && bestScore >= cut[best]) out[i] = best;
  }
  return out;
}

/** Dense codes 0..k−1 for the distinct values of `values`, in order of first appearance. */
function encode<T>(values: ArrayLike<T>): { codes: Int32Array; k: number } {
  const ids = new Map<T, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let c = ids.get(values[i]);
    if (c === undefined) ids.set(values[i], (c = ids.size));
    codes[i] = c;
  }
  return { codes, k: ids.size };
}

/** Shannon entropy in nats of the distribution given by counts (zeros ignored); sklearn's `entropy`. */
export function entropyOfCounts(counts: ArrayLike<number>): number {
  const nz: number[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) nz.push(counts[i]);
  if (nz.length <= 1) return 0;
  const sum = nz.reduce((a, b) => a + b, 0);
  const logSum = Math.log(sum);
  let h = 0;
  for (const c of nz) h -= (c / sum) * (Math.log(c) - logSum);
  return h;
}

interface Contingency {
  /** Non-zero cells: row (class), column (cluster), count. */
  cells: { i: number; j: number; v: number }[];
  a: number[];
  b: number[];
  n: number;
}

function contingency(truth: ArrayLike<unknown>, pred: ArrayLike<unknown>): Contingency {
  if (truth.length !== pred.length) throw new RangeError(`labels have ${truth.length} entries but the assignment ${pred.length}`);
  const t = encode(truth),
    p = encode(pred);
  const a = new Array<number>(t.k).fill(0),
    b = new Array<number>(p.k).fill(0);
  const cell = new Map<number, number>();
  for (let s = 0; s < truth.length; s++) {
    a[t.codes[s]]++;
    b[p.codes[s]]++;
    const key = t.codes[s] * p.k + p.codes[s];
    cell.set(key, (cell.get(key) ?? 0) + 1);
  }
  const cells = [...cell].map(([key, v]) => ({ i: Math.floor(key / p.k), j: key % p.k, v }));
  return { cells, a, b, n: truth.length };
}

/** Mutual information in nats, term by term as sklearn's mutual_info_score (terms below ε are 0, the sum clipped at 0). */
function mutualInfo(c: Contingency): number {
  if (c.a.length === 1 || c.b.length === 1) return 0;
  const { n } = c;
  const logN = Math.log(n);
  let mi = 0;
  for (const { i, j, v } of c.cells) {
    const pnm = v / n;
    const logOuter = -Math.log(c.a[i] * c.b[j]) + logN + logN;
    const term = pnm * (Math.log(v) - logN) + pnm * logOuter;
    if (Math.abs(term) >= Number.EPSILON) mi += term;
  }
  return Math.max(mi, 0);
}

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln k! for integer k ≥ 0: exact products below 20, else Stirling's series (error far below f64 round-off). */
export function logFactorial(k: number): number {
  if (k < 20) {
    let p = 1;
    for (let i = 2; i <= k; i++) p *= i;
    return Math.log(p);
  }
  const x = k + 1;
  const x2 = x * x;
  const series = (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * x2)) / x2) / x2) / x;
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + series;
}

/** E[MI] under the hypergeometric model of random labellings with the same marginals (sklearn's expected_mutual_information). */
function expectedMutualInfo(c: Contingency): number {
  const { a, b, n: N } = c;
  if (a.length === 1 || b.length === 1) return 0;
  const glnN = logFactorial(N),
    logN = Math.log(N);
  let emi = 0;
  for (const ai of a) {
    for (const bj of b) {
      const start = Math.max(1, ai + bj - N),
        end = Math.min(ai, bj);
      const base = logFactorial(ai) + logFactorial(bj) + logFactorial(N - ai) + logFactorial(N - bj) - glnN;
      const logAB = Math.log(ai) + Math.log(bj);
      for (let nij = start; nij <= end; nij++) {
        const term2 = logN + Math.log(nij) - logAB;
        const gln = base - logFactorial(nij) - logFactorial(ai - nij) - logFactorial(bj - nij) - logFactorial(N - ai - bj + nij);
        emi += (nij / N) * term2 * Math.exp(gln);
      }
    }
  }
  return emi;
}

function oneCluster(c: Contingency): boolean {
  // sklearn: both labellings a single cluster (or both empty) is a perfect match.
  return (c.a.length === 1 && c.b.length === 1) || (c.a.length === 0 && c.b.length === 0);
}

/** normalized_mutual_info_score(truth, pred, average_method='arithmetic'). */
export function normalizedMutualInfo(truth: ArrayLike<unknown>, pred: ArrayLike<unknown>): number {
  const c = contingency(truth, pred);
  if (oneCluster(c)) return 1;
  const mi = mutualInfo(c);
  if (mi === 0) return 0;
  return mi / ((entropyOfCounts(c.a) + entropyOfCounts(c.b)) / 2);
}

/** adjusted_mutual_info_score(truth, pred, average_method='arithmetic'). */
export function adjustedMutualInfo(truth: ArrayLike<unknown>, pred: ArrayLike<unknown>): number {
  const c = contingency(truth, pred);
  if (oneCluster(c)) return 1;
  const mi = mutualInfo(c);
  const emi = expectedMutualInfo(c);
  const normalizer = (entropyOfCounts(c.a) + entropyOfCounts(c.b)) / 2;
  let d = normalizer - emi;
  // Rounding can put E[MI] a hair above the normaliser on a perfect match: keep the sign, avoid 0/0.
  d = d < 0 ? Math.min(d, -Number.EPSILON) : Math.max(d, Number.EPSILON);
  return (mi - emi) / d;
}

/** How a mode's top samples are labelled. */
export interface LabelMix {
  /** Each label with its count among the top samples, most frequent first (ties in code-unit order). */
  counts: { label: string; count: number }[];
  /** Share of the top samples carrying the most common label (0 with no top samples). */
  purity: number;
  /** Shannon entropy in nats of the top samples' label distribution. */
  entropy: number;
}

export function labelMix(labels: readonly string[]): LabelMix {
  const m = new Map<string, number>();
  for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1);
  const counts = [...m].map(([label, count]) => ({ label, count })).sort((p, q) => q.count - p.count || (p.label < q.label ? -1 : p.label > q.label ? 1 : 0));
  return {
    counts,
    purity: labels.length ? counts[0].count / labels.length : 0,
    entropy: entropyOfCounts(counts.map((c) => c.count)),
  };
}

/** Agreement of one side's mode assignment with the labels. */
export interface SideAgreement {
  /** NMI (arithmetic normalisation) between labels and assignment; "none" counts as one more cluster. */
  nmi: number;
  /** AMI (arithmetic normalisation), likewise. */
  ami: number;
  /** Samples assigned to each listed mode of the side, in the modes' order. */
  assigned: number[];
  /** Samples below the cut for every mode of the side. */
  unassigned: number;
}

/** NMI/AMI of `labels` against the assignment of their samples to the side's modes (`scores`, one array per mode; `cuts` as assignModes). */
export function sideAgreement(labels: readonly string[], scores: readonly ArrayLike<number>[], cuts?: readonly (number | undefined)[]): SideAgreement {
  const assignment = assignModes(scores, labels.length, cuts);
  const assigned = new Array<number>(scores.length).fill(0);
  let unassigned = 0;
  for (const m of assignment) {
    if (m === NONE) unassigned++;
    else assigned[m]++;
  }
  return { nmi: normalizedMutualInfo(labels, assignment), ami: adjustedMutualInfo(labels, assignment), assigned, unassigned };
}

// Turning eigenpairs into modes: the sign convention sum(u) ≥ 0, streaming
// selection of each mode's top and bottom samples and of the histogram its ends
// are cut from (score/ends.ts), and the docs/design.md §3 ordering.
import type { SpecDiff, SpecMode, TopSample } from '../types/index.js';
import { InputError } from '../errors.js';
import { ScoreHistogram, summarizeEnds, type EndsSummary, type HistogramState } from './ends.js';

/**
 * A bounded heap of the s best (value, index) pairs, where "better" is a larger
 * `sign·value`, ties going to the earlier index: O(log s) per push, so top-k
 * selection over n samples is O(n log k), and memory is O(s).
 */
class BestOf {
  private val: Float64Array;
  private idx: Int32Array;
  size = 0;
  constructor(
    readonly s: number,
    private readonly sign: 1 | -1,
  ) {
    this.val = new Float64Array(s);
    this.idx = new Int32Array(s);
  }

  /** Whether (a, ia) ranks below (b, ib). */
  private worse(a: number, ia: number, b: number, ib: number): boolean {
    return this.sign * a < this.sign * b || (a === b && ia > ib);
  }

  push(v: number, index: number): void {
    const { val, idx } = this;
    if (this.size < this.s) {
      // sift up: the root holds the worst kept pair
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(v, index, val[p], idx[p])) break;
        val[i] = val[p];
        idx[i] = idx[p];
        i = p;
      }
      val[i] = v;
      idx[i] = index;
      return;
    }
    if (!this.worse(val[0], idx[0], v, index)) return;
    // replace the root and sift down
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let w = i,
        wv = v,
        wi = index;
      if (l < n && this.worse(val[l], idx[l], wv, wi)) {
        w = l;
        wv = val[l];
        wi = idx[l];
      }
      if (r < n && this.worse(val[r], idx[r], wv, wi)) {
        w = r;
        wv = val[r];
        wi = idx[r];
      }
      if (w === i) break;
      val[i] = val[w];
      idx[i] = idx[w];
      i = w;
    }
    val[i] = v;
    idx[i] = index;
  }

  /** The kept pairs, best first. */
  sorted(): { value: number; index: number }[] {
    const out = Array.from({ length: this.size }, (_, i) => ({ value: this.val[i], index: this.idx[i] }));
    return out.sort((a, b) => this.sign * (b.value - a.value) || a.index - b.index);
  }
}

/** One column's mergeable selection state: sum and count of its scores, its s largest and s smallest, its histogram. */
export interface KeeperState {
  sum: number;
  count: number;
  hi: { value: number; index: number }[];
  lo: { value: number; index: number }[];
  hist: HistogramState;
}

/** One mode's samples over one set, oriented by `sign` (the reported scores are sign × the computed ones). */
export interface ModeSamples {
  /** The s largest reported scores, largest first. */
  top: TopSample[];
  /** The s smallest (most negative) reported scores, smallest first. */
  bottom: TopSample[];
  /** Every score of the computed (unoriented) mode, for the cut rule. */
  hist: ScoreHistogram;
  sign: 1 | -1;
  /** Every reported score, when kept. */
  scores?: Float64Array;
}

/**
 * The mergeable state of a TopSamples fed a slice of the rows (a worker's share):
 * per mode its KeeperState, and its unsigned scores when kept.
 */
export interface TopPartial {
  keepers: KeeperState[];
  scores?: Float64Array[];
}

/**
 * Keeps, for one score column, the s largest and s smallest entries seen, the running
 * sum, and every score's cell in a ScoreHistogram (the ends' cut rule needs the mode's
 * mean and extremes, known only after the last row).
 */
class ExtremeKeeper {
  private hi: BestOf;
  private lo: BestOf;
  readonly hist = new ScoreHistogram();
  count = 0;
  sum = 0;
  constructor(readonly s: number) {
    this.hi = new BestOf(s, 1);
    this.lo = new BestOf(s, -1);
  }

  push(v: number, index: number): void {
    this.sum += v;
    this.hi.push(v, index);
    this.lo.push(v, index);
    this.hist.push(v);
    this.count++;
  }

  /** The kept extremes, the running sum and the histogram, for merging keepers of disjoint rows. */
  state(): KeeperState {
    return { sum: this.sum, count: this.count, hi: this.hi.sorted(), lo: this.lo.sorted(), hist: this.hist.state() };
  }

  /** Adds another keeper's rows (its indices shifted by `offset`); the result is what one keeper over all rows keeps. */
  absorb(st: KeeperState, offset: number): void {
    this.sum += st.sum;
    this.count += st.count;
    for (const p of st.hi) this.hi.push(p.value, p.index + offset);
    for (const p of st.lo) this.lo.push(p.value, p.index + offset);
    this.hist.absorb(st.hist);
  }

  /** Both ends' samples in the orientation `sign` (−1: the scores negated, so the s smallest become the top). */
  ends(sign: 1 | -1): { top: TopSample[]; bottom: TopSample[] } {
    const hi = this.hi.sorted().map((p) => ({ index: p.index, score: sign * p.value }));
    const lo = this.lo.sorted().map((p) => ({ index: p.index, score: sign * p.value }));
    return sign === 1 ? { top: hi, bottom: lo } : { top: lo, bottom: hi };
  }
}

/** The sign rule: −1 when the scores sum below 0, so that the reported scores sum to ≥ 0. */
export const signOf = (sum: number): 1 | -1 => (sum < 0 ? -1 : 1);

/**
 * Streams score rows (rows × k, row-major, for samples `start..start+rows`)
 * and keeps each mode's extremes, so the top samples need O(k·s) memory.
 */
export class TopSamples {
  private keepers: ExtremeKeeper[];
  private full: Float64Array[] | null;
  /** `keepAll`: keep every score of every column, or of the columns marked true. */
  constructor(
    readonly k: number,
    samplesPerMode: number,
    n: number,
    keepAll: boolean | readonly boolean[],
  ) {
    // Never more than n samples to keep, whatever was asked for (memory is bounded by the data).
    const s = Math.max(1, Math.min(samplesPerMode, n));
    this.keepers = Array.from({ length: k }, () => new ExtremeKeeper(s));
    const keep = (j: number) => (typeof keepAll === 'boolean' ? keepAll : !!keepAll[j]);
    const any = Array.from({ length: k }, (_, j) => keep(j)).some(Boolean);
    this.full = any ? Array.from({ length: k }, (_, j) => (keep(j) ? new Float64Array(n) : new Float64Array(0))) : null;
  }

  addRows(scores: ArrayLike<number>, rows: number, start: number, scale = 1): void {
    const k = this.k;
    for (let j = 0; j < k; j++) {
      const keeper = this.keepers[j];
      const full = this.full?.[j].length ? this.full[j] : undefined;
      for (let r = 0; r < rows; r++) {
        const v = scores[r * k + j] * scale;
        keeper.push(v, start + r);
        if (full) full[start + r] = v;
      }
    }
  }

  /** This selection's state, to merge into a TopSamples over more rows (see `absorb`). */
  partial(): TopPartial {
    const p: TopPartial = { keepers: this.keepers.map((k) => k.state()) };
    if (this.full) p.scores = this.full;
    return p;
  }

  /**
   * Merges the partial of rows [offset, offset + rows) scored elsewhere. Selection is a
   * total order on (score, index), so merging gives the same top samples as one pass;
   * only the sums that fix each mode's sign are added in a different order.
   */
  absorb(p: TopPartial, offset: number): void {
    if (p.keepers.length !== this.k) throw new Error('spec-embed: merging top samples of a different number of modes');
    p.keepers.forEach((st, j) => this.keepers[j].absorb(st, offset));
    if (this.full)
      p.scores?.forEach((s, j) => {
        if (this.full![j].length) this.full![j].set(s, offset);
      });
  }

  /** Each column's sum of scores (what the sign rule reads). */
  sums(): number[] {
    return this.keepers.map((k) => k.sum);
  }

  /**
   * Per mode: both ends' samples and (when kept) all scores, oriented by `signs` (default:
   * each column's own sign rule, sum ≥ 0), and the histogram of its computed scores.
   * Kept scores are negated in place: call once.
   */
  finish(signs?: readonly (1 | -1)[]): ModeSamples[] {
    return this.keepers.map((keeper, j) => {
      const sign = signs ? signs[j] : signOf(keeper.sum);
      const { top, bottom } = keeper.ends(sign);
      const full = this.full?.[j].length ? this.full[j] : undefined;
      if (full && sign === -1) for (let i = 0; i < full.length; i++) full[i] = -full[i];
      const out: ModeSamples = { top, bottom, hist: keeper.hist, sign };
      if (full) out.scores = full;
      return out;
    });
  }
}

/** The ends fields of a mode (types ModeEnds) from the cut rule's summary and its bottom samples. */
export function endsFields(
  bottom: TopSample[],
  e: EndsSummary,
): {
  bottom: TopSample[];
  kind: EndsSummary['kind'];
  massTop: number;
  massBottom: number;
  countTop: number;
  countBottom: number;
  cutTop: number;
  cutBottom: number;
} {
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return {
    bottom,
    kind: e.kind,
    massTop: e.massTop,
    massBottom: e.massBottom,
    countTop: sum(e.countTop),
    countBottom: sum(e.countBottom),
    cutTop: e.cutTop,
    cutBottom: e.cutBottom,
  };
}

/**
 * Splits candidate eigenvalues into side-x modes (λ > tol, descending) and
 * side-y modes (λ < −tol, most negative first), at most topK each. `order`
 * maps each returned mode to its column among the candidates.
 */
export function selectModes(values: ArrayLike<number>, topK: number, tol: number, split?: number): { side: 'x' | 'y'; column: number; value: number }[] {
  // With `split`, values[0..split) is a list of largest eigenvalues and the rest a list of
  // smallest; when the two lists overlap (k ≥ n/2) each eigenpair is taken from one list only.
  const cols = Array.from({ length: values.length }, (_, i) => i);
  const hi = split === undefined ? cols : cols.slice(0, split),
    lo = split === undefined ? cols : cols.slice(split);
  const pos = hi
    .filter((i) => values[i] > tol)
    .sort((a, b) => values[b] - values[a])
    .slice(0, topK);
  const neg = lo
    .filter((i) => values[i] < -tol)
    .sort((a, b) => values[a] - values[b])
    .slice(0, topK);
  return [...pos.map((i) => ({ side: 'x' as const, column: i, value: values[i] })), ...neg.map((i) => ({ side: 'y' as const, column: i, value: values[i] }))];
}

/**
 * SPEC-diff from the extreme eigenvalues of Λ (docs/design.md §1). An extreme
 * within the route's noise floor is round-off, reported as 0 (two all-zero inputs
 * gave x-not-y −1.1e-16), as the modes within it are not reported.
 */
export function specDiffOf(lambdaMax: number, lambdaMin: number, floor = 0): SpecDiff {
  const lmax = Math.abs(lambdaMax) <= floor ? 0 : lambdaMax,
    lmin = Math.abs(lambdaMin) <= floor ? 0 : lambdaMin;
  return { xNotY: lmax, yNotX: lmin === 0 ? 0 : -lmin, norm: Math.max(Math.abs(lmax), Math.abs(lmin)) };
}

/** SPEC's modes: each eigenpair's side, rank, both ends (the cut rule over its n scores, baseline 0) and kept scores. */
export function buildModes(chosen: { side: 'x' | 'y'; value: number }[], samples: ModeSamples[]): SpecMode[] {
  let rx = 0,
    ry = 0;
  return chosen.map((c, i) => {
    const t = samples[i];
    const m: SpecMode = {
      rank: c.side === 'x' ? ++rx : ++ry,
      side: c.side,
      eigenvalue: c.value,
      top: t.top,
      ...endsFields(t.bottom, summarizeEnds([t.hist], t.sign, 'zero')),
    };
    if (t.scores) m.scores = t.scores;
    return m;
  });
}

/**
 * Most top-sample entries (modes × samples per mode) a result may list: ~40 bytes of
 * JSON each, so ~40 MB of output and a few hundred MB of heap while it is built.
 * Every score of a mode is `returnScores`' job, not a top list's.
 */
export const MAX_TOP_ENTRIES = 1_000_000;

/** The output budget refusal, with its numbers so that a CLI can name its own flags. */
export class OutputBudgetError extends InputError {
  constructor(
    readonly topK: number,
    readonly samplesPerMode: number,
    readonly dim: number,
    readonly rows: [number, number],
  ) {
    super(outputBudgetMessage(topK, samplesPerMode, dim, rows));
    this.name = 'InputError';
  }
}

/**
 * Refuses, before any work, options whose top lists could exceed MAX_TOP_ENTRIES:
 * at most min(topK, dim) modes per side (dim: how many eigenvalues the route's
 * operator has), each listing min(samplesPerMode, rows of its side) samples
 * (`rows`: [side x, side y]).
 */
export function checkOutputBudget(topK: number, samplesPerMode: number, dim: number, rows: [number, number]): void {
  if (topEntries(topK, samplesPerMode, dim, rows) > MAX_TOP_ENTRIES) throw new OutputBudgetError(topK, samplesPerMode, dim, rows);
}

function topEntries(topK: number, samplesPerMode: number, dim: number, rows: [number, number]): number {
  return Math.min(topK, dim) * (Math.min(samplesPerMode, rows[0]) + Math.min(samplesPerMode, rows[1]));
}

/** The refusal's one line; `names` spells the two options (the CLI passes its flags). */
export function outputBudgetMessage(
  topK: number,
  samplesPerMode: number,
  dim: number,
  rows: [number, number],
  names: { topK: string; samplesPerMode: string } = { topK: 'topK', samplesPerMode: 'samplesPerMode' },
): string {
  const modes = Math.min(topK, dim);
  const per = Math.max(Math.min(samplesPerMode, rows[0]), Math.min(samplesPerMode, rows[1]));
  const sFit = Math.floor(MAX_TOP_ENTRIES / (2 * modes));
  const kFit = Math.max(1, Math.floor(MAX_TOP_ENTRIES / (Math.min(samplesPerMode, rows[0]) + Math.min(samplesPerMode, rows[1]))));
  return (
    `${names.topK} = ${topK} and ${names.samplesPerMode} = ${samplesPerMode} ask for up to ${modes} modes per side with up to ${per} top samples each ` +
    `(${topEntries(topK, samplesPerMode, dim, rows)} entries), more than the output budget of ${MAX_TOP_ENTRIES} top entries (~40 MB of JSON); ` +
    `${sFit >= 1 ? `${names.samplesPerMode} ≤ ${sFit} fits with ${names.topK} = ${modes}, or ` : ''}${names.topK} ≤ ${kFit} with ${names.samplesPerMode} = ${samplesPerMode}`
  );
}

/**
 * What a result says about options it could not honour as given (the result's
 * `notes`): topK beyond the operator's eigenvalues (`dim`, described by
 * `operator`), samplesPerMode beyond a side's rows.
 */
export function clampNotes(topK: number, samplesPerMode: number, dim: number, operator: string, rows: { n: number; what: string }): string[] {
  const notes: string[] = [];
  if (topK > dim) notes.push(`topK = ${topK} is more than the ${dim} eigenvalues of the ${operator}: using ${dim}`);
  if (samplesPerMode > rows.n) notes.push(`samplesPerMode = ${samplesPerMode} is more than the ${rows.what}: listing all of them per mode`);
  return notes;
}

// Turning eigenpairs into modes: the sign convention sum(u) ≥ 0, streaming
// selection of each mode's top samples, and the docs/design.md §3 ordering.
import type { Mode, SpecDiff, TopSample } from '../types/index.js';
import { InputError } from '../errors.js';

/**
 * A bounded heap of the s best (value, index) pairs, where "better" is a larger
 * `sign·value`, ties going to the earlier index: O(log s) per push, so top-k
 * selection over n samples is O(n log k), and memory is O(s).
 */
class BestOf {
  private val: Float64Array;
  private idx: Int32Array;
  size = 0;
  constructor(readonly s: number, private readonly sign: 1 | -1) {
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
        val[i] = val[p]; idx[i] = idx[p]; i = p;
      }
      val[i] = v; idx[i] = index;
      return;
    }
    if (!this.worse(val[0], idx[0], v, index)) return;
    // replace the root and sift down
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let w = i, wv = v, wi = index;
      if (l < n && this.worse(val[l], idx[l], wv, wi)) { w = l; wv = val[l]; wi = idx[l]; }
      if (r < n && this.worse(val[r], idx[r], wv, wi)) { w = r; wv = val[r]; wi = idx[r]; }
      if (w === i) break;
      val[i] = val[w]; idx[i] = idx[w]; i = w;
    }
    val[i] = v; idx[i] = index;
  }

  /** The kept pairs, best first. */
  sorted(): { value: number; index: number }[] {
    const out = Array.from({ length: this.size }, (_, i) => ({ value: this.val[i], index: this.idx[i] }));
    return out.sort((a, b) => this.sign * (b.value - a.value) || a.index - b.index);
  }
}

/** One column's mergeable selection state: sum and count of its scores, its s largest and s smallest. */
export interface KeeperState {
  sum: number;
  count: number;
  hi: { value: number; index: number }[];
  lo: { value: number; index: number }[];
}

/**
 * The mergeable state of a TopSamples fed a slice of the rows (a worker's share):
 * per mode its KeeperState, and its unsigned scores when kept.
 */
export interface TopPartial {
  keepers: KeeperState[];
  scores?: Float64Array[];
}

/** Keeps, for one score column, the s largest and s smallest entries seen and the running sum. */
class ExtremeKeeper {
  private hi: BestOf;
  private lo: BestOf;
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
    this.count++;
  }

  /** The kept extremes and the running sum, for merging keepers of disjoint rows. */
  state(): KeeperState {
    return { sum: this.sum, count: this.count, hi: this.hi.sorted(), lo: this.lo.sorted() };
  }

  /** Adds another keeper's rows (its indices shifted by `offset`); the result is what one keeper over all rows keeps. */
  absorb(st: KeeperState, offset: number): void {
    this.sum += st.sum;
    this.count += st.count;
    for (const p of st.hi) this.hi.push(p.value, p.index + offset);
    for (const p of st.lo) this.lo.push(p.value, p.index + offset);
  }

  /** Top samples after fixing the sign so that the sum of scores is ≥ 0. */
  top(): { flip: boolean; top: TopSample[] } {
    const flip = this.sum < 0;
    const top = flip
      ? this.lo.sorted().map((p) => ({ index: p.index, score: -p.value }))
      : this.hi.sorted().map((p) => ({ index: p.index, score: p.value }));
    return { flip, top };
  }
}

/**
 * Streams score rows (rows × k, row-major, for samples `start..start+rows`)
 * and keeps each mode's extremes, so the top samples need O(k·s) memory.
 */
export class TopSamples {
  private keepers: ExtremeKeeper[];
  private full: Float64Array[] | null;
  constructor(readonly k: number, samplesPerMode: number, n: number, keepAll: boolean) {
    // Never more than n samples to keep, whatever was asked for (memory is bounded by the data).
    const s = Math.max(1, Math.min(samplesPerMode, n));
    this.keepers = Array.from({ length: k }, () => new ExtremeKeeper(s));
    this.full = keepAll ? Array.from({ length: k }, () => new Float64Array(n)) : null;
  }

  addRows(scores: ArrayLike<number>, rows: number, start: number, scale = 1): void {
    const k = this.k;
    for (let j = 0; j < k; j++) {
      const keeper = this.keepers[j];
      const full = this.full?.[j];
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
    if (this.full) p.scores?.forEach((s, j) => this.full![j].set(s, offset));
  }

  /** Per mode: top samples with the sign fixed, and (when kept) all scores with the same sign. */
  finish(): { top: TopSample[]; scores?: Float64Array }[] {
    return this.keepers.map((keeper, j) => {
      const { flip, top } = keeper.top();
      const full = this.full?.[j];
      if (full && flip) for (let i = 0; i < full.length; i++) full[i] = -full[i];
      return full ? { top, scores: full } : { top };
    });
  }
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
  const hi = split === undefined ? cols : cols.slice(0, split), lo = split === undefined ? cols : cols.slice(split);
  const pos = hi.filter((i) => values[i] > tol).sort((a, b) => values[b] - values[a]).slice(0, topK);
  const neg = lo.filter((i) => values[i] < -tol).sort((a, b) => values[a] - values[b]).slice(0, topK);
  return [
    ...pos.map((i) => ({ side: 'x' as const, column: i, value: values[i] })),
    ...neg.map((i) => ({ side: 'y' as const, column: i, value: values[i] })),
  ];
}

/**
 * SPEC-diff from the extreme eigenvalues of Λ (docs/design.md §1). An extreme
 * within the route's noise floor is round-off, reported as 0 (two all-zero inputs
 * gave x-not-y −1.1e-16), as the modes within it are not reported.
 */
export function specDiffOf(lambdaMax: number, lambdaMin: number, floor = 0): SpecDiff {
  const lmax = Math.abs(lambdaMax) <= floor ? 0 : lambdaMax, lmin = Math.abs(lambdaMin) <= floor ? 0 : lambdaMin;
  return { xNotY: lmax, yNotX: lmin === 0 ? 0 : -lmin, norm: Math.max(Math.abs(lmax), Math.abs(lmin)) };
}

export function buildModes(
  chosen: { side: 'x' | 'y'; value: number }[],
  samples: { top: TopSample[]; scores?: Float64Array }[],
): Mode[] {
  let rx = 0, ry = 0;
  return chosen.map((c, i) => {
    const m: Mode = { rank: c.side === 'x' ? ++rx : ++ry, side: c.side, eigenvalue: c.value, top: samples[i].top };
    if (samples[i].scores) m.scores = samples[i].scores;
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
  constructor(readonly topK: number, readonly samplesPerMode: number, readonly dim: number, readonly rows: [number, number]) {
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
export function outputBudgetMessage(topK: number, samplesPerMode: number, dim: number, rows: [number, number],
  names: { topK: string; samplesPerMode: string } = { topK: 'topK', samplesPerMode: 'samplesPerMode' }): string {
  const modes = Math.min(topK, dim);
  const per = Math.max(Math.min(samplesPerMode, rows[0]), Math.min(samplesPerMode, rows[1]));
  const sFit = Math.floor(MAX_TOP_ENTRIES / (2 * modes));
  const kFit = Math.max(1, Math.floor(MAX_TOP_ENTRIES / (Math.min(samplesPerMode, rows[0]) + Math.min(samplesPerMode, rows[1]))));
  return `${names.topK} = ${topK} and ${names.samplesPerMode} = ${samplesPerMode} ask for up to ${modes} modes per side with up to ${per} top samples each `
    + `(${topEntries(topK, samplesPerMode, dim, rows)} entries), more than the output budget of ${MAX_TOP_ENTRIES} top entries (~40 MB of JSON); `
    + `${sFit >= 1 ? `${names.samplesPerMode} ≤ ${sFit} fits with ${names.topK} = ${modes}, or ` : ''}${names.topK} ≤ ${kFit} with ${names.samplesPerMode} = ${samplesPerMode}`;
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

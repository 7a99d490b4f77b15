// Turning eigenpairs into modes: the sign convention sum(u) ≥ 0, streaming
// selection of each mode's top samples, and the DESIGN.md §3 ordering.
import type { Mode, SpecDiff, TopSample } from './types.js';

/** Keeps, for one score column, the s largest and s smallest entries seen and the running sum. */
class ExtremeKeeper {
  readonly hiVal: Float64Array;
  readonly hiIdx: Int32Array;
  readonly loVal: Float64Array;
  readonly loIdx: Int32Array;
  count = 0;
  sum = 0;
  constructor(readonly s: number) {
    this.hiVal = new Float64Array(s).fill(-Infinity);
    this.hiIdx = new Int32Array(s).fill(-1);
    this.loVal = new Float64Array(s).fill(Infinity);
    this.loIdx = new Int32Array(s).fill(-1);
  }

  push(v: number, index: number): void {
    this.sum += v;
    const s = this.s;
    // hi: descending; ties keep the earlier index first
    if (v > this.hiVal[s - 1]) {
      let p = s - 1;
      while (p > 0 && v > this.hiVal[p - 1]) {
        this.hiVal[p] = this.hiVal[p - 1];
        this.hiIdx[p] = this.hiIdx[p - 1];
        p--;
      }
      this.hiVal[p] = v;
      this.hiIdx[p] = index;
    }
    if (v < this.loVal[s - 1]) {
      let p = s - 1;
      while (p > 0 && v < this.loVal[p - 1]) {
        this.loVal[p] = this.loVal[p - 1];
        this.loIdx[p] = this.loIdx[p - 1];
        p--;
      }
      this.loVal[p] = v;
      this.loIdx[p] = index;
    }
    this.count++;
  }

  /** Top samples after fixing the sign so that the sum of scores is ≥ 0. */
  top(): { flip: boolean; top: TopSample[] } {
    const flip = this.sum < 0;
    const m = Math.min(this.s, this.count);
    const top: TopSample[] = [];
    for (let i = 0; i < m; i++) {
      top.push(flip ? { index: this.loIdx[i], score: -this.loVal[i] } : { index: this.hiIdx[i], score: this.hiVal[i] });
    }
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
    this.keepers = Array.from({ length: k }, () => new ExtremeKeeper(Math.max(1, samplesPerMode)));
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
export function selectModes(values: ArrayLike<number>, topK: number, tol: number): { side: 'x' | 'y'; column: number; value: number }[] {
  const cols = Array.from({ length: values.length }, (_, i) => i);
  const pos = cols.filter((i) => values[i] > tol).sort((a, b) => values[b] - values[a]).slice(0, topK);
  const neg = cols.filter((i) => values[i] < -tol).sort((a, b) => values[a] - values[b]).slice(0, topK);
  return [
    ...pos.map((i) => ({ side: 'x' as const, column: i, value: values[i] })),
    ...neg.map((i) => ({ side: 'y' as const, column: i, value: values[i] })),
  ];
}

/** SPEC-diff from the extreme eigenvalues of Λ (DESIGN.md §1). */
export function specDiffOf(lambdaMax: number, lambdaMin: number): SpecDiff {
  return { xNotY: lambdaMax, yNotX: -lambdaMin, norm: Math.max(Math.abs(lambdaMax), Math.abs(lambdaMin)) };
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

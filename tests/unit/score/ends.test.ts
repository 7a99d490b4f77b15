// The ends of a mode (src/score/ends.ts): the streaming histogram against the cut
// rule applied directly to the scores (docs/design.md §1, "Ends of a mode"), in any
// order of rows, any split into merged parts, either orientation; scores on grid
// points, ties, zeros, one value, equal values; and the kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ASSIGN_CUT,
  CLUSTER_MIN,
  CONTRAST_MIN,
  CONTRAST_RATIO,
  ScoreHistogram,
  endsOfScores,
  kindOf,
  summarizeEnds,
  type Baseline,
} from '../../../src/score/ends.js';
import { mulberry32 } from '../../shared/rng.mjs';

/** The rule written out on the scores themselves (reported orientation r; sets: which set each sample belongs to). */
function rule(r: number[], baseline: Baseline, sets: number[] = r.map(() => 0), nSets = 1) {
  const b = baseline === 'zero' ? 0 : r.reduce((a, v) => a + v, 0) / r.length;
  const P = Math.max(...r.map((v) => Math.abs(v - b)));
  const big = Math.max(...r.map(Math.abs));
  const zeros = () => new Array<number>(nSets).fill(0);
  if (!(P > 0) || big === 0) return { cutTop: b, cutBottom: b, massTop: 0, massBottom: 0, countTop: zeros(), countBottom: zeros(), kind: 'diffuse' };
  let E = Math.floor(Math.log2(big)) + 1;
  while (2 ** (E - 1) > big) E--;
  while (2 ** E <= big) E++;
  const w = 2 ** (E - 8);
  const cutTop = Math.floor((b + ASSIGN_CUT * P) / w) * w,
    cutBottom = Math.ceil((b - ASSIGN_CUT * P) / w) * w;
  if (cutBottom >= cutTop) return { cutTop, cutBottom, massTop: 0, massBottom: 0, countTop: zeros(), countBottom: zeros(), kind: 'diffuse' };
  const total = r.reduce((a, v) => a + (v - b) ** 2, 0);
  const countTop = zeros(),
    countBottom = zeros();
  let top = 0,
    bottom = 0;
  r.forEach((v, i) => {
    if (v >= cutTop) {
      top += (v - b) ** 2;
      countTop[sets[i]]++;
    }
    if (v <= cutBottom) {
      bottom += (v - b) ** 2;
      countBottom[sets[i]]++;
    }
  });
  const massTop = top / total,
    massBottom = bottom / total;
  return { cutTop, cutBottom, massTop, massBottom, countTop, countBottom, kind: kindOf(massTop, massBottom) };
}

function check(got: ReturnType<typeof summarizeEnds>, want: ReturnType<typeof rule>, what: string) {
  assert.deepEqual(
    [got.cutTop, got.cutBottom, got.countTop, got.countBottom, got.kind],
    [want.cutTop, want.cutBottom, want.countTop, want.countBottom, want.kind],
    what,
  );
  assert.ok(
    Math.abs(got.massTop - want.massTop) < 1e-12 && Math.abs(got.massBottom - want.massBottom) < 1e-12,
    `${what}: masses ${got.massTop}, ${got.massBottom} vs ${want.massTop}, ${want.massBottom}`,
  );
}

/** Scores from a few levels (ties), some on grid points, some growing over the pass (the grid coarsens as they come). */
function scores(n: number, seed: number): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const u = r();
    if (u < 0.2) return Math.round(8 * (r() - 0.3)) / 8; // grid points of every grid here
    if (u < 0.3) return 0;
    return (r() - 0.4) * (1 + i / 50);
  });
}

test('summarizeEnds equals the rule applied to the scores: both baselines, both orientations', () => {
  for (const [n, seed] of [
    [1, 1],
    [2, 2],
    [7, 3],
    [100, 4],
    [1000, 5],
    [3000, 6],
  ]) {
    const s = scores(n, seed);
    const h = new ScoreHistogram();
    for (const v of s) h.push(v);
    for (const baseline of ['zero', 'mean'] as const) {
      check(summarizeEnds([h], 1, baseline), rule(s, baseline), `n ${n}, ${baseline}`);
      // sign −1 reports the negated scores
      check(
        summarizeEnds([h], -1, baseline),
        rule(
          s.map((v) => -v),
          baseline,
        ),
        `n ${n}, ${baseline}, negated`,
      );
    }
  }
});

test('the histogram is the same whatever the order of the rows and however they are split and merged', () => {
  const s = scores(2000, 7);
  const one = new ScoreHistogram();
  for (const v of s) one.push(v);
  const reversed = new ScoreHistogram();
  for (let i = s.length - 1; i >= 0; i--) reversed.push(s[i]);
  // parts in an order where the first part's grid is finer than the others' (its scores are the smallest)
  const merged = new ScoreHistogram();
  for (const [a, b] of [
    [0, 10],
    [1500, 2000],
    [10, 700],
    [700, 1500],
  ]) {
    const part = new ScoreHistogram();
    for (const v of s.slice(a, b)) part.push(v);
    merged.absorb(part.state());
  }
  const empty = new ScoreHistogram();
  merged.absorb(empty.state());
  for (const h of [reversed, merged]) {
    const x = h.state(),
      y = one.state();
    assert.deepEqual([x.e, x.count, x.min, x.max, Array.from(x.n)], [y.e, y.count, y.min, y.max, Array.from(y.n)]);
    check(summarizeEnds([h], 1, 'mean'), rule(s, 'mean'), 'merged');
  }
});

test("several histograms: one cut over all their scores, counts per histogram (FINC: X's, Y's)", () => {
  const a = scores(400, 8),
    b = scores(250, 9).map((v) => v * 3);
  const ha = new ScoreHistogram(),
    hb = new ScoreHistogram();
  for (const v of a) ha.push(v);
  for (const v of b) hb.push(v);
  const sets = [...a.map(() => 0), ...b.map(() => 1)];
  for (const sign of [1, -1] as const) {
    const r = [...a, ...b].map((v) => sign * v);
    check(summarizeEnds([ha, hb], sign, 'mean'), rule(r, 'mean', sets, 2), `sign ${sign}`);
    check(summarizeEnds([ha, hb], sign, 'zero'), rule(r, 'zero', sets, 2), `sign ${sign}, zero`);
  }
});

test('degenerate scores: none, all zero, all equal, one value; non-finite scores are not counted', () => {
  const of = (s: number[], baseline: Baseline = 'zero') => endsOfScores(s, baseline);
  assert.deepEqual(of([]), { kind: 'diffuse', baseline: 0, massTop: 0, massBottom: 0, cutTop: 0, cutBottom: 0, countTop: [0], countBottom: [0] });
  assert.deepEqual(of([0, 0, 0]).countTop, [0]);
  // equal scores about their mean: no ends (the cuts meet at the mean)
  const eq = of([0.25, 0.25, 0.25], 'mean');
  assert.deepEqual([eq.cutTop, eq.cutBottom, eq.countTop, eq.countBottom, eq.kind], [0.25, 0.25, [0], [0], 'diffuse']);
  // from zero, equal scores are one end holding the whole mode
  const z = of([0.25, 0.25, 0.25]);
  assert.deepEqual([z.cutTop, z.countTop, z.massTop, z.kind], [0.125, [3], 1, 'cluster']);
  const one = of([-3]);
  assert.deepEqual([one.cutBottom, one.countBottom, one.massBottom, one.kind], [-1.5, [1], 1, 'cluster']);
  const h = new ScoreHistogram();
  for (const v of [NaN, Infinity, 1, -1]) h.push(v);
  assert.equal(h.count, 2);
});

test('a unit eigenvector: a cluster of c samples at 1/√c holds one end ≈ 1; a balanced contrast ½ and ½; noise is diffuse', () => {
  const r = mulberry32(11);
  const n = 600,
    noise = () => 0.002 * (r() - 0.5);
  const cluster = Array.from({ length: n }, (_, i) => (i < 100 ? 0.1 : 0) + noise());
  const c = endsOfScores(cluster, 'zero');
  assert.deepEqual([c.kind, c.countTop, c.countBottom], ['cluster', [100], [0]]);
  assert.ok(c.massTop > 0.99);
  const contrast = Array.from({ length: n }, (_, i) => (i < 100 ? 0.07 : i < 200 ? -0.07 : 0) + noise());
  const k = endsOfScores(contrast, 'zero');
  assert.deepEqual([k.kind, k.countTop, k.countBottom], ['contrast', [100], [100]]);
  assert.ok(Math.abs(k.massTop - 0.5) < 0.01 && Math.abs(k.massBottom - 0.5) < 0.01);
  // Gaussian-like scores spread over every sample: few past the cuts, most weight below them
  const spread = Array.from({ length: n }, () => {
    let v = 0;
    for (let j = 0; j < 12; j++) v += r() - 0.5;
    return v;
  });
  assert.equal(endsOfScores(spread, 'zero').kind, 'diffuse');
  // a common offset (FINC's common component) hides a cluster from baseline 0 but not from the mean
  const offset = cluster.map((v) => v + 0.3);
  assert.equal(endsOfScores(offset, 'zero').countTop[0], n);
  assert.deepEqual(endsOfScores(offset, 'mean').countTop, [100]);
});

test('kindOf: one end from CLUSTER_MIN, two ends (the lighter ≥ CONTRAST_RATIO of the heavier) from CONTRAST_MIN together', () => {
  assert.deepEqual([CONTRAST_RATIO, CLUSTER_MIN, CONTRAST_MIN], [1 / 3, 0.25, 0.5]);
  assert.equal(kindOf(0.36, 0.01), 'cluster'); // a graded group: a third of the mode at one end, nothing at the other
  assert.equal(kindOf(0.1, 0.8), 'cluster');
  assert.equal(kindOf(0.24, 0.07), 'diffuse');
  assert.equal(kindOf(0.25, 0.25), 'contrast');
  assert.equal(kindOf(0.6, 0.2), 'contrast');
  assert.equal(kindOf(0.6, 0.19), 'cluster');
  assert.equal(kindOf(0.2, 0.2), 'diffuse');
  assert.equal(kindOf(0, 0), 'diffuse');
  assert.equal(kindOf(NaN, 0), 'diffuse');
});

// Per-mode evidence: kernel similarities by their definitions, the five-number
// summary against NumPy's default (linear) quantiles, the seeded pair sample, and
// neighbour ranks against a sort of each query's similarities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fiveNumbers, modeEvidence, neighbourRanks, pairSample, pairsAmong, rowNorms, similarity, type PointRows } from '../../../src/report/evidence.js';
import type { KernelInfo } from '../../../src/types/index.js';

const COS: KernelInfo = { type: 'cosine' };
const LIN: KernelInfo = { type: 'linear' };
const GAU: KernelInfo = { type: 'gaussian', sigma: 2 };

function rows(n: number, d: number, seed: number): PointRows {
  let s = seed;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  return { data: Float32Array.from({ length: n * d }, rnd), rows: n, cols: d };
}

test('similarity: dot product, cosine, exp(−‖a − b‖² / 2σ²), at offsets', () => {
  const a = [9, 1, 2, 2],
    b = [9, 9, 3, 0, 4];
  assert.equal(similarity(LIN, a, 1, b, 2, 3), 1 * 3 + 2 * 0 + 2 * 4);
  assert.equal(similarity(COS, a, 1, b, 2, 3), 11 / (3 * 5));
  assert.equal(similarity(GAU, a, 1, b, 2, 3), Math.exp(-(4 + 4 + 4) / 8));
  assert.equal(similarity({ type: 'gaussian' }, a, 1, b, 2, 3), Math.exp(-12 / 2), 'σ defaults to 1');
  assert.equal(similarity(COS, [0, 0], 0, [1, 2], 0, 2), 0, 'a zero row has similarity 0, not NaN');
});

test("fiveNumbers: NumPy's linear-interpolated quantiles (values from np.quantile)", () => {
  // np.quantile([3, 1, 4, 1, 5], [0, .25, .5, .75, 1]) = [1, 1, 3, 4, 5]
  assert.deepEqual(fiveNumbers([3, 1, 4, 1, 5]), [1, 1, 3, 4, 5]);
  // np.quantile([1, 2, 3, 4], ...) = [1, 1.75, 2.5, 3.25, 4]
  assert.deepEqual(fiveNumbers([4, 3, 2, 1]), [1, 1.75, 2.5, 3.25, 4]);
  // np.quantile([10, 0, 7], ...) = [0, 3.5, 7, 8.5, 10]
  assert.deepEqual(fiveNumbers([10, 0, 7]), [0, 3.5, 7, 8.5, 10]);
  assert.deepEqual(fiveNumbers([2]), [2, 2, 2, 2, 2]);
  assert.ok(fiveNumbers([]).every(Number.isNaN));
  const v = [5, -1, 3];
  fiveNumbers(v);
  assert.deepEqual(v, [5, -1, 3], 'the input is not sorted in place');
});

test('pairSample: seeded, distinct pairs, each value the similarity of some pair of rows', () => {
  const r = rows(7, 3, 1);
  const a = pairSample(r, COS, 200, 5);
  assert.equal(a.length, 200);
  assert.deepEqual(pairSample(r, COS, 200, 5), a);
  assert.notDeepEqual(pairSample(r, COS, 200, 6), a);
  const offDiagonal = new Set<number>();
  for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) if (i !== j) offDiagonal.add(similarity(COS, r.data, i * 3, r.data, j * 3, 3));
  for (const v of a) assert.ok(offDiagonal.has(v), `${v} is the similarity of two distinct rows`);
  // all 21 unordered pairs turn up among 200 draws (each has probability 2/42 per draw)
  assert.equal(new Set(a).size, 21);
  assert.deepEqual(pairSample(rows(1, 3, 1), COS, 10, 0), []);
});

test('pairsAmong: each unordered pair once, in order (a < b)', () => {
  const r = rows(6, 4, 2);
  const got = pairsAmong(r, LIN, [4, 1, 3]);
  const sim = (i: number, j: number) => similarity(LIN, r.data, i * 4, r.data, j * 4, 4);
  assert.deepEqual(got, [sim(4, 1), sim(4, 3), sim(1, 3)]);
  assert.deepEqual(pairsAmong(r, LIN, [2]), []);
});

/** Rank of j from i: 1 + the other points (not i, not j) strictly more similar to i. */
function rankRef(r: PointRows, k: KernelInfo, i: number, j: number): number {
  const s = (p: number) => similarity(k, r.data, i * r.cols, r.data, p * r.cols, r.cols);
  const sorted = Array.from({ length: r.rows }, (_, p) => p)
    .filter((p) => p !== i && p !== j)
    .map(s)
    .sort((x, y) => y - x);
  return 1 + sorted.filter((v) => v > s(j)).length;
}

test("neighbourRanks: every ordered pair, against a sort of the query's similarities", () => {
  for (const k of [COS, LIN, GAU]) {
    const r = rows(30, 5, 3);
    const pts = [0, 7, 29, 12];
    const got = neighbourRanks(r, k, pts);
    const want: number[] = [];
    for (const i of pts) for (const j of pts) if (i !== j) want.push(rankRef(r, k, i, j));
    assert.deepEqual(got, want, k.type);
  }
  // by hand on the line 0, 1, 1, 3, 10: ties are not "more similar", so equal points share a rank
  const line: PointRows = { data: [0, 1, 1, 3, 10], rows: 5, cols: 1 };
  assert.deepEqual(neighbourRanks(line, { type: 'gaussian', sigma: 1 }, [0, 1, 2, 4]), [
    1,
    1,
    4, // from 0: 1 and 2 both at distance 1; 4 behind 1, 2 and 3
    2,
    1,
    4, // from 1: 2 (distance 0) is nearer than 0
    2,
    1,
    4, // from 2: likewise 1
    4,
    2,
    2, // from 10: 3 is nearer than 1 and 2, which tie
  ]);
});

test('modeEvidence: top pairs per embedding, the given all-pairs boxes, ranks over the first rankTop', () => {
  const X = rows(20, 4, 4),
    Y = rows(20, 6, 5);
  const top = [3, 9, 14, 1];
  const allX = fiveNumbers([1, 2, 3]),
    allY = fiveNumbers([4, 5]);
  const ev = modeEvidence(top, X, Y, COS, GAU, allX, allY, 3);
  assert.deepEqual(ev, {
    topX: fiveNumbers(pairsAmong(X, COS, top)),
    topY: fiveNumbers(pairsAmong(Y, GAU, top)),
    allX,
    allY,
    rankX: neighbourRanks(X, COS, [3, 9, 14]),
    rankY: neighbourRanks(Y, GAU, [3, 9, 14]),
    rankOf: 19,
  });
  assert.equal(ev.rankX.length, 6, 'rankTop 3: 3 · 2 ordered pairs');
});

test('neighbourRanks with rowNorms (the cosine fast path): the same ranks as similarity() gives, on ties too', () => {
  const r = rows(90, 7, 4);
  // duplicate rows and a scaled copy: exact cosine ties
  (r.data as Float32Array).copyWithin(7, 0, 7);
  for (let j = 0; j < 7; j++) (r.data as Float32Array)[14 + j] = 2 * (r.data as Float32Array)[j];
  const points = [0, 1, 2, 30, 61, 89];
  assert.deepEqual(neighbourRanks(r, COS, points, rowNorms(r)), neighbourRanks(r, COS, points));
  // the norms are Σx² per row, as similarity() sums them
  const n = rowNorms(r);
  let s = 0;
  for (let j = 0; j < 7; j++) s += r.data[3 * 7 + j] ** 2;
  assert.equal(n[3], s);
  // other kernels ignore the norms
  assert.deepEqual(neighbourRanks(r, GAU, points, n), neighbourRanks(r, GAU, points));
});

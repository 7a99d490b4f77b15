// Eigenpairs to modes (docs/design.md §1, §3): each mode's sign fixed so that sum(u) ≥ 0,
// its top samples the s largest scores after that (ties to the earlier row), selected by
// a streaming heap — here against sorting every score in f64 — plus the mode
// ordering, SPEC-diff and the output budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildModes,
  checkOutputBudget,
  clampNotes,
  MAX_TOP_ENTRIES,
  OutputBudgetError,
  outputBudgetMessage,
  selectModes,
  specDiffOf,
  TopSamples,
} from '../../../src/score/modes.js';
import { InputError } from '../../../src/errors.js';
import { mulberry32 } from '../../shared/rng.mjs';

/** The definition: flip u when sum(u) < 0, then the s largest entries, earlier index first among equals. */
function reference(u: number[], s: number): { flip: boolean; top: { index: number; score: number }[] } {
  const sum = u.reduce((a, b) => a + b, 0);
  const flip = sum < 0;
  const v = u.map((x) => (flip ? -x : x));
  const order = v.map((_, i) => i).sort((a, b) => v[b] - v[a] || a - b);
  return { flip, top: order.slice(0, Math.min(s, u.length)).map((i) => ({ index: i, score: v[i] })) };
}

/** rows × k scores; values drawn from a few levels so that ties are common. */
function scores(rows: number, k: number, seed: number, levels = 7): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: rows * k }, () => (Math.floor(r() * levels) - 3) / 4 + (r() < 0.5 ? 0 : 0.01 * (r() - 0.6)));
}

const column = (data: number[], k: number, j: number) => data.filter((_, i) => i % k === j);
const plain = <T>(x: T) => JSON.parse(JSON.stringify(x));

test('TopSamples: the s best scores per mode after the sign rule, ties to the earlier row', () => {
  for (const [rows, k, s, seed] of [
    [50, 3, 5, 1],
    [200, 4, 20, 2],
    [7, 2, 10, 3],
    [1000, 2, 1, 4],
    [300, 5, 300, 5],
  ]) {
    const data = scores(rows, k, seed);
    const t = new TopSamples(k, s, rows, false);
    // fed in uneven chunks, as the routes do
    for (let r0 = 0, c = 1; r0 < rows; r0 += c, c = c * 2 + 1) {
      const n = Math.min(c, rows - r0);
      t.addRows(data.slice(r0 * k, (r0 + n) * k), n, r0);
    }
    const got = t.finish();
    for (let j = 0; j < k; j++) {
      const want = reference(column(data, k, j), s);
      assert.deepEqual(plain(got[j].top), plain(want.top), `rows ${rows}, s ${s}, mode ${j}`);
      assert.equal(got[j].scores, undefined);
    }
  }
});

test('the sign rule: a mode whose scores sum below 0 lists its most negative samples, negated', () => {
  const t = new TopSamples(2, 2, 4, true);
  // mode 0 sums to −0.5: flipped; mode 1 sums to 0 exactly: kept (sum ≥ 0)
  t.addRows([-0.5, 0.5, 0.25, -0.25, -0.5, 0.5, 0.25, -0.75], 4, 0);
  const [a, b] = t.finish();
  assert.deepEqual(plain(a.top), [
    { index: 0, score: 0.5 },
    { index: 2, score: 0.5 },
  ]);
  assert.deepEqual(Array.from(a.scores!), [0.5, -0.25, 0.5, -0.25]);
  assert.deepEqual(plain(b.top), [
    { index: 0, score: 0.5 },
    { index: 2, score: 0.5 },
  ]);
  assert.deepEqual(Array.from(b.scores!), [0.5, -0.25, 0.5, -0.75]);
  // scale multiplies every score before selection (a negative scale flips the sums too)
  const u = new TopSamples(1, 1, 3, true);
  u.addRows([1, 2, -4], 3, 0, -2);
  const [c] = u.finish();
  assert.deepEqual(plain(c.top), [{ index: 2, score: 8 }]);
  assert.deepEqual(Array.from(c.scores!), [-2, -4, 8]);
});

test('samplesPerMode beyond the rows lists every row; keepAll returns all n scores with the sign', () => {
  const data = scores(9, 1, 6);
  const t = new TopSamples(1, 100, 9, true);
  t.addRows(data, 9, 0);
  const [m] = t.finish();
  const want = reference(data, 100);
  assert.equal(m.top.length, 9);
  assert.deepEqual(plain(m.top), plain(want.top));
  assert.deepEqual(
    Array.from(m.scores!),
    data.map((x) => (want.flip ? -x : x)),
  );
});

test('absorb: partials of disjoint row ranges merge into what one pass over all rows selects', () => {
  const rows = 240,
    k = 3,
    s = 6;
  const data = scores(rows, k, 7, 3); // three levels: many ties across the parts
  const one = new TopSamples(k, s, rows, true);
  one.addRows(data, rows, 0);
  const merged = new TopSamples(k, s, rows, true);
  for (const [r0, n] of [
    [100, 90],
    [0, 100],
    [190, 50],
  ]) {
    const part = new TopSamples(k, s, n, true);
    // a part numbers its rows from 0; absorb shifts them by its offset
    part.addRows(data.slice(r0 * k, (r0 + n) * k), n, 0);
    merged.absorb(part.partial(), r0);
  }
  const a = one.finish(),
    b = merged.finish();
  for (let j = 0; j < k; j++) {
    assert.deepEqual(plain(b[j].top), plain(a[j].top), `mode ${j}`);
    assert.deepEqual(Array.from(b[j].scores!), Array.from(a[j].scores!));
    assert.deepEqual(plain(b[j].top), plain(reference(column(data, k, j), s).top));
  }
  const p = new TopSamples(2, s, 10, false).partial();
  assert.equal(p.scores, undefined);
  assert.throws(() => merged.absorb(p, 0), /^Error: spec-embed: merging top samples of a different number of modes$/);
});

test('selectModes: λ > tol descending as side x, λ < −tol most negative first as side y, at most topK each', () => {
  const v = [0.5, -2, 3, 1e-12, -0.1, 2, -1e-12, -2.5];
  assert.deepEqual(selectModes(v, 10, 1e-9), [
    { side: 'x', column: 2, value: 3 },
    { side: 'x', column: 5, value: 2 },
    { side: 'x', column: 0, value: 0.5 },
    { side: 'y', column: 7, value: -2.5 },
    { side: 'y', column: 1, value: -2 },
    { side: 'y', column: 4, value: -0.1 },
  ]);
  assert.deepEqual(
    selectModes(v, 1, 1).map((m) => m.column),
    [2, 7],
  );
  assert.deepEqual(
    selectModes(v, 5, 0).map((m) => m.column),
    [2, 5, 0, 3, 7, 1, 4, 6],
  );
  // with split, side x comes from values[0..split) and side y from the rest only: −1 in the
  // first list and 2 in the second are each the other list's eigenpair, taken there or not at all
  const split = [3, 1, -1, 2, -4, -0.5];
  assert.deepEqual(
    selectModes(split, 9, 0, 3).map((m) => [m.side, m.column]),
    [
      ['x', 0],
      ['x', 1],
      ['y', 4],
      ['y', 5],
    ],
  );
  assert.deepEqual(selectModes([], 3, 0), []);
});

test('specDiffOf: λmax, −λmin and max |λ|; extremes within the noise floor are 0', () => {
  assert.deepEqual(specDiffOf(2, -3), { xNotY: 2, yNotX: 3, norm: 3 });
  assert.deepEqual(specDiffOf(-1, -3), { xNotY: -1, yNotX: 3, norm: 3 });
  assert.deepEqual(specDiffOf(1e-17, -1.1e-16, 1e-15), { xNotY: 0, yNotX: 0, norm: 0 });
  assert.deepEqual(specDiffOf(0.5, -1e-16, 1e-15), { xNotY: 0.5, yNotX: 0, norm: 0.5 });
  assert.ok(Object.is(specDiffOf(1, 0).yNotX, 0)); // never −0
});

test("buildModes numbers each side's modes from 1, attaches scores when kept, and both ends by the cut rule", () => {
  const t = new TopSamples(3, 2, 4, [true, false, false]);
  // columns: a contrast (two rows at each end), a cluster of one row, and a column whose sum is negative (flipped)
  t.addRows([1, 0, -1, 1, 0, 0, -1, 0, 0, -1, 4, 0], 4, 0);
  const modes = buildModes(
    [
      { side: 'x', value: 3 },
      { side: 'x', value: 2 },
      { side: 'y', value: -1 },
    ],
    t.finish(),
  );
  assert.deepEqual(
    modes.map((m) => [m.rank, m.side, m.eigenvalue]),
    [
      [1, 'x', 3],
      [2, 'x', 2],
      [1, 'y', -1],
    ],
  );
  assert.deepEqual(Array.from(modes[0].scores!), [1, 1, -1, -1]);
  assert.ok(!('scores' in modes[1]));
  assert.deepEqual(plain(modes[0].top), [
    { index: 0, score: 1 },
    { index: 1, score: 1 },
  ]);
  assert.deepEqual(plain(modes[0].bottom), [
    { index: 2, score: -1 },
    { index: 3, score: -1 },
  ]);
  assert.deepEqual([modes[0].kind, modes[0].massTop, modes[0].massBottom, modes[0].countTop, modes[0].countBottom], ['contrast', 0.5, 0.5, 2, 2]);
  // the second column (0, 0, 0, 4): the one row at 4 is the cluster's whole top end (from baseline 0: cut 2, mass 1)
  assert.deepEqual(plain(modes[1].top), [
    { index: 3, score: 4 },
    { index: 0, score: 0 },
  ]);
  assert.equal(modes[1].kind, 'cluster');
  assert.deepEqual([modes[1].countTop, modes[1].countBottom, modes[1].massTop, modes[1].cutTop], [1, 0, 1, 2]);
  // the third column sums to −1: flipped, so row 0's −1 is now the top sample at +1
  assert.deepEqual(plain(modes[2].top)[0], { index: 0, score: 1 });
  assert.deepEqual([modes[2].kind, modes[2].countTop, modes[2].countBottom], ['cluster', 1, 0]);
});

test('the output budget: min(topK, dim) modes × min(s, rows) samples per side, refused beyond 10⁶ entries', () => {
  assert.equal(MAX_TOP_ENTRIES, 1_000_000);
  // 500 modes × (1000 + 1000) = 10⁶: fits exactly
  checkOutputBudget(500, 1000, 10_000, [5000, 5000]);
  // topK beyond dim and s beyond rows count as clamped
  checkOutputBudget(10 ** 9, 10 ** 9, 10, [50_000, 50_000]);
  assert.throws(
    () => checkOutputBudget(501, 1000, 10_000, [5000, 5000]),
    (e: unknown) => {
      assert.ok(e instanceof OutputBudgetError && e instanceof InputError);
      assert.equal((e as Error).name, 'InputError');
      const o = e as OutputBudgetError;
      assert.deepEqual([o.topK, o.samplesPerMode, o.dim, o.rows], [501, 1000, 10_000, [5000, 5000]]);
      assert.equal(
        o.message,
        'topK = 501 and samplesPerMode = 1000 ask for up to 501 modes per side with up to 1000 top samples each ' +
          '(1002000 entries), more than the output budget of 1000000 top entries (~40 MB of JSON); ' +
          'samplesPerMode ≤ 998 fits with topK = 501, or topK ≤ 500 with samplesPerMode = 1000',
      );
      return true;
    },
  );
  // the CLI spells its own flags; no s fits 600000 modes, so only the topK advice
  assert.equal(
    outputBudgetMessage(600_000, 10, 10 ** 6, [10 ** 6, 3], { topK: '--top-k', samplesPerMode: '--samples' }),
    '--top-k = 600000 and --samples = 10 ask for up to 600000 modes per side with up to 10 top samples each ' +
      '(7800000 entries), more than the output budget of 1000000 top entries (~40 MB of JSON); --top-k ≤ 76923 with --samples = 10',
  );
});

test("clampNotes: topK beyond the operator's eigenvalues, samplesPerMode beyond the rows", () => {
  assert.deepEqual(clampNotes(10, 20, 50, '50 × 50 Λ', { n: 50, what: '50 samples' }), []);
  assert.deepEqual(clampNotes(60, 51, 50, '50 × 50 Λ', { n: 50, what: '50 samples' }), [
    'topK = 60 is more than the 50 eigenvalues of the 50 × 50 Λ: using 50',
    'samplesPerMode = 51 is more than the 50 samples: listing all of them per mode',
  ]);
});

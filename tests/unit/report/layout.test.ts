// The report's layout stage: the plotted sample (top samples always in, seeded),
// PCA against NumPy (scripts/fixtures/report.py), UMAP determinism per seed, and
// the evidence statistics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sampleLayoutPoints } from '../../../src/report/sample.js';
import { pca } from '../../../src/report/pca.js';
import { defaultEpochs, layout2d } from '../../../src/report/layout.js';
import { fiveNumbers, neighbourRanks } from '../../../src/report/evidence.js';
import { seededRandom } from '../../../src/report/random.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/report/pca.json', import.meta.url), 'utf8'));

test('sampleLayoutPoints: at most max points, sorted, distinct, every top sample included', () => {
  const must = [0, 99_999, 50_000, 12, 12, 7];
  for (const [n, max] of [
    [100_000, 5000],
    [100_000, 3],
    [6000, 5000],
    [10, 5000],
    [20_000, 19_000],
  ]) {
    const p = sampleLayoutPoints(
      n,
      must.filter((i) => i < n),
      max,
      3,
    );
    const inRange = new Set(must.filter((i) => i < n));
    assert.equal(p.length, Math.min(n, Math.max(max, inRange.size)));
    for (let i = 1; i < p.length; i++) assert.ok(p[i] > p[i - 1]);
    assert.ok(p[0] >= 0 && p[p.length - 1] < n);
    for (const i of inRange) assert.ok(p.includes(i), `top sample ${i} plotted (n ${n}, max ${max})`);
  }
  // out-of-range "top" indices are ignored rather than plotted
  assert.ok(!sampleLayoutPoints(50, [70], 10, 0).includes(70));
});

test('sampleLayoutPoints: the same seed gives the same sample, another seed another one', () => {
  const a = sampleLayoutPoints(100_000, [5, 6], 5000, 1);
  assert.deepEqual(sampleLayoutPoints(100_000, [5, 6], 5000, 1), a);
  assert.notDeepEqual(sampleLayoutPoints(100_000, [5, 6], 5000, 2), a);
  // the random stream is mulberry32 in 32-bit integer arithmetic: the same values in every runtime
  // (reference: the same recurrence in Python integers, masked to 32 bits)
  const r = seededRandom(0);
  assert.deepEqual([r(), r(), r()], [0.3588899802416563, 0.10590326134115458, 0.675290479324758]);
});

test('PCA coordinates equal NumPy (SVD of the centred rows, largest-|entry| sign convention)', () => {
  for (const c of fixture.cases) {
    const got = pca(c.data, c.rows, c.cols, 2);
    const scale = Math.max(...c.expected.map(Math.abs));
    for (let i = 0; i < got.length; i++) {
      assert.ok(Math.abs(got[i] - c.expected[i]) <= 1e-6 * scale, `${c.rows}×${c.cols} [${i}]: ${got[i]} vs NumPy ${c.expected[i]}`);
    }
  }
});

test('layout2d: PCA below 40 points, UMAP above; seeded UMAP is deterministic; coordinates in [−1, 1]', async () => {
  const c = fixture.cases[0];
  const small = await layout2d(c.data, c.rows, c.cols);
  assert.equal(small.method, 'pca');
  // the PCA layout is the NumPy PCA rescaled by one factor and centred
  const e = c.expected;
  const ratio = (small.xy[2] - small.xy[0]) / (e[2] - e[0]);
  assert.ok(Math.abs((small.xy[5] - small.xy[1]) / (e[5] - e[1]) - ratio) < 1e-4);

  const n = 200,
    d = 8,
    rand = seededRandom(9);
  const data = Float32Array.from({ length: n * d }, (_, i) => rand() + (i < 100 * d ? 3 : 0));
  const a = await layout2d(data, n, d, { seed: 4, nEpochs: 60 });
  const b = await layout2d(data, n, d, { seed: 4, nEpochs: 60 });
  const other = await layout2d(data, n, d, { seed: 5, nEpochs: 60 });
  assert.equal(a.method, 'umap');
  assert.deepEqual(a.xy, b.xy);
  assert.notDeepEqual(a.xy, other.xy);
  assert.ok(a.xy.every((v) => Math.abs(v) <= 1 + 1e-6));
  // two planted groups stay apart: the mean distance within group 1 is smaller than across
  const dist = (i: number, j: number) => Math.hypot(a.xy[2 * i] - a.xy[2 * j], a.xy[2 * i + 1] - a.xy[2 * j + 1]);
  let within = 0,
    across = 0;
  for (let i = 0; i < 50; i++) {
    within += dist(i, i + 50);
    across += dist(i, i + 100);
  }
  assert.ok(within < across / 2, `within ${within} across ${across}`);
});

test('layout2d: wide rows are laid out in their top principal directions (dims), seeded, groups kept apart; dims 0 keeps every column', async () => {
  const n = 160,
    d = 60,
    rand = seededRandom(11);
  // two groups 4 apart along the first column, noise in all 60
  const data = Float32Array.from({ length: n * d }, (_, i) => rand() - 0.5 + (i % d === 0 && i < (n / 2) * d ? 4 : 0));
  const a = await layout2d(data, n, d, { seed: 1, nEpochs: 40, dims: 8 });
  assert.deepEqual(a.xy, (await layout2d(data, n, d, { seed: 1, nEpochs: 40, dims: 8 })).xy);
  const full = await layout2d(data, n, d, { seed: 1, nEpochs: 40, dims: 0 });
  assert.notDeepEqual(full.xy, a.xy, 'the projection changes the input of the layout');
  for (const l of [a, full]) {
    assert.equal(l.method, 'umap');
    const dist = (i: number, j: number) => Math.hypot(l.xy[2 * i] - l.xy[2 * j], l.xy[2 * i + 1] - l.xy[2 * j + 1]);
    let within = 0,
      across = 0;
    for (let i = 0; i < n / 2; i++) {
      within += dist(i, (i + 1) % (n / 2));
      across += dist(i, i + n / 2);
    }
    assert.ok(within < across / 2, `within ${within} across ${across}`);
  }
  assert.equal(defaultEpochs(3000), 100);
  assert.equal(defaultEpochs(2000), 200);
});

test('evidence: five-number summary as NumPy percentiles, neighbour ranks by hand', () => {
  // np.percentile([3, 1, 4, 1, 5, 9, 2, 6], [0, 25, 50, 75, 100]) = [1, 1.75, 3.5, 5.25, 9]
  assert.deepEqual(fiveNumbers([3, 1, 4, 1, 5, 9, 2, 6]), [1, 1.75, 3.5, 5.25, 9]);
  // points on a line at 0, 1, 3, 6 (linear kernel on 1-d rows ranks by x·y; use Gaussian: nearest = most similar)
  const rows = { data: [0, 1, 3, 6], rows: 4, cols: 1 };
  const ranks = neighbourRanks(rows, { type: 'gaussian', sigma: 1 }, [0, 2]);
  // from 0: point 2 (x = 3) has point 1 (x = 1) nearer → rank 2; from 2 (x = 3): point 0 (x = 0) has 1 (d 2) nearer, 3 (d 3) as near, not nearer → rank 2
  assert.deepEqual(ranks, [2, 2]);
});

// Density evidence against NumPy (scripts/fixtures/report_density.py): each point's
// distance to its k-th nearest (Euclidean for a Gaussian kernel, between unit vectors
// for cosine), relative to the median point's, the reference quartiles, the mode's
// ratio and the view it picks; the seeded subsets behind larger point sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DENSITY_POPULATION, DENSITY_RATIO, DENSITY_TOP, densityEvidence, knnRadius, seededSubset } from '../../../src/report/density.js';
import { mulberry32 } from '../../shared/rng.mjs';
import type { PointRows } from '../../../src/report/evidence.js';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/report/density.json', import.meta.url), 'utf8'));
const X: PointRows = { data: Float32Array.from(fx.x), rows: fx.rows, cols: fx.xCols };
const Y: PointRows = { data: Float32Array.from(fx.y), rows: fx.rows, cols: fx.yCols };
const GAU = { type: 'gaussian' as const, sigma: 3 },
  COS = { type: 'cosine' as const };
const all = Array.from({ length: fx.rows }, (_, i) => i);
const near = (a: number, b: number, rel: number, msg: string) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b) + 1e-12, `${msg}: ${a} vs ${b}`);

test('knnRadius: the k-th nearest other point, Euclidean (Gaussian) and between unit vectors (cosine)', () => {
  for (let q = 0; q < fx.rows; q++) {
    near(knnRadius(X, GAU, q, all, fx.k), fx.radiusX[q], 1e-5, `X ${q}`);
    near(knnRadius(Y, COS, q, all, fx.k), fx.radiusY[q], 1e-5, `Y ${q}`);
  }
  // fewer others than k: the farthest
  const tiny: PointRows = { data: [0, 1, 3], rows: 3, cols: 1 };
  assert.equal(knnRadius(tiny, GAU, 0, [0, 1, 2], 10), 3);
  assert.ok(Number.isNaN(knnRadius(tiny, GAU, 0, [0], 1)));
});

test('densityEvidence: relative radii, reference quartiles and ratios as NumPy; the tight-under-X mode is shown as radii', () => {
  const modes = fx.modes.map((m: { key: string; side: 'x' | 'y'; top: number[] }) => ({ ...m, index: m.top.map((p) => 100 + p) }));
  const ev = densityEvidence(modes, X, Y, GAU, COS, 0);
  for (const m of fx.modes) {
    const got = ev[m.key],
      want = fx.expected[m.key];
    assert.equal(got.k, fx.k);
    assert.equal(got.of, fx.rows);
    assert.deepEqual(
      got.index,
      m.top.map((p: number) => 100 + p),
    );
    // the page's values carry 4 significant digits
    got.x.forEach((v, i) => near(v, want.x[i], 6e-4, `${m.key} x ${i}`));
    got.y.forEach((v, i) => near(v, want.y[i], 6e-4, `${m.key} y ${i}`));
    got.refX.forEach((v, i) => near(v, want.refX[i], 6e-4, `${m.key} refX ${i}`));
    got.refY.forEach((v, i) => near(v, want.refY[i], 6e-4, `${m.key} refY ${i}`));
    near(got.ratio, want.ratio, 6e-4, `${m.key} ratio`);
  }
  assert.ok(fx.expected.x1.ratio >= DENSITY_RATIO && ev.x1.view === 'density');
  assert.ok(Math.abs(Math.log(fx.expected.y1.ratio)) < Math.log(DENSITY_RATIO) && ev.y1.view === 'maps');
  // a side-y mode whose samples are tighter under X: the same difference the other way, also radii
  const flipped = densityEvidence([{ key: 'y9', side: 'y', top: fx.modes[0].top, index: fx.modes[0].top }], X, Y, GAU, COS, 0);
  near(flipped.y9.ratio, 1 / fx.expected.x1.ratio, 2e-3, 'reciprocal');
  assert.equal(flipped.y9.view, 'density');
  assert.deepEqual(densityEvidence(modes, { data: [0, 1], rows: 2, cols: 1 }, { data: [0, 1], rows: 2, cols: 1 }, GAU, GAU, 0), {}, 'under 3 points: none');
});

test('densityEvidence on many points: a small tight group keeps its own members as neighbours (tops join the searched subset)', () => {
  const n = 3000,
    d = 6;
  const rand = mulberry32(11);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const x = new Float32Array(n * d),
    y = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) {
    x[i] = gauss();
    y[i] = gauss();
  }
  // rows 0, 200, 400, … (15 of them): one tight group under X, noise like the rest under Y
  const group = Array.from({ length: 15 }, (_, i) => i * 200);
  for (const r of group) for (let j = 0; j < d; j++) x[r * d + j] = 5 + 0.01 * gauss();
  const ev = densityEvidence([{ key: 'x1', side: 'x', top: group, index: group }], { data: x, rows: n, cols: d }, { data: y, rows: n, cols: d }, GAU, GAU, 3);
  assert.equal(ev.x1.of, new Set([...seededSubset(n, DENSITY_POPULATION, 3), ...group.slice(0, DENSITY_TOP)]).size);
  assert.equal(ev.x1.index.length, DENSITY_TOP);
  assert.ok(ev.x1.ratio > 10 && ev.x1.view === 'density', `ratio ${ev.x1.ratio}`);
});

test('seededSubset: all points when few, else m distinct sorted points, the same for a seed', () => {
  assert.deepEqual(seededSubset(4, 10, 1), [0, 1, 2, 3]);
  const a = seededSubset(5000, 1500, 7);
  assert.equal(a.length, 1500);
  assert.equal(new Set(a).size, 1500);
  assert.ok(a.every((v, i) => i === 0 || v > a[i - 1]) && a[0] >= 0 && a[a.length - 1] < 5000);
  assert.deepEqual(seededSubset(5000, 1500, 7), a);
  assert.notDeepEqual(seededSubset(5000, 1500, 8), a);
});

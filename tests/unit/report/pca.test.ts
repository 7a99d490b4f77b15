// PCA of the report's fallback layout against NumPy's SVD (scripts/fixtures/report_pca.py:
// k = 1, 2, 3, fewer columns than the iteration block, rank 1, constant rows, one row,
// one column) and against a plain f64 power iteration with deflation on the explicit
// covariance, written here from the definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pca } from '../../../src/report/pca.js';

interface Case {
  name: string;
  rows: number;
  cols: number;
  k: number;
  data: number[];
  expected: number[];
}
const { cases } = JSON.parse(readFileSync(new URL('../../fixtures/report/pca-cases.json', import.meta.url), 'utf8')) as { cases: Case[] };

function close(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, label: string): void {
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= tol, `${label}[${i}]: ${got[i]} vs ${want[i]} (tolerance ${tol})`);
  }
}

/** Data whose rank is below the k + 4 iteration vectors (round-off vectors in the block must be dropped, not normalised). */
const LOW_RANK = new Set(['rank1', 'few-rows']);

function againstNumpy(c: Case): void {
  const got = pca(c.data, c.rows, c.cols, c.k);
  assert.ok(got instanceof Float64Array);
  const scale = Math.max(1, ...c.expected.map(Math.abs));
  close(got, c.expected, 1e-6 * scale, c.name);
}

test('pca equals NumPy on the fixture cases of full rank, or rank < 2 (n × k coordinates, sign convention included)', () => {
  assert.equal(cases.length, 8);
  for (const c of cases.filter((q) => !LOW_RANK.has(q.name))) againstNumpy(c);
});

// 5 points in 10-d come out scaled by 1.2–1.4 per point (not even one factor), rank 1 by √2:
// the noise vectors beyond the rank are normalised round-off, not orthogonal to the block, so
// the Rayleigh–Ritz axes are not unit vectors. Layouts of fewer than 6 samples are distorted.
test('pca equals NumPy when the rank is below k + 4 (fewer than 6 distinct samples)', () => {
  for (const c of cases.filter((q) => LOW_RANK.has(q.name))) againstNumpy(c);
});

test('pca: rank-deficient data give zero (or round-off) columns beyond the rank', () => {
  for (const name of ['rank1', 'constant', 'one-row', 'one-col']) {
    const c = cases.find((q) => q.name === name)!;
    const got = pca(c.data, c.rows, c.cols, c.k);
    const scale = Math.max(1, ...c.expected.map(Math.abs));
    for (let i = 0; i < c.rows; i++) assert.ok(Math.abs(got[i * c.k + 1]) <= 1e-9 * scale, `${name}: row ${i} second axis ${got[i * c.k + 1]}`);
  }
});

test('pca: empty inputs give zeros of the right length', () => {
  assert.deepEqual(Array.from(pca([], 0, 4, 2)), []);
  assert.deepEqual(Array.from(pca([], 3, 0, 2)), [0, 0, 0, 0, 0, 0]);
});

/** Top-k eigenvectors of the explicit covariance by power iteration with Hotelling deflation (f64). */
function reference(data: number[], n: number, d: number, k: number): number[] {
  const mean = Array.from({ length: d }, (_, j) => data.filter((_, t) => t % d === j).reduce((a, b) => a + b, 0) / n);
  const A = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => data[i * d + j] - mean[j]));
  const C = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => A.reduce((s, r) => s + r[a] * r[b], 0)));
  const out = new Array(n * k).fill(0);
  for (let c = 0; c < k; c++) {
    let v = Array.from({ length: d }, (_, j) => 1 + j * 0.1);
    let lambda = 0;
    for (let it = 0; it < 20000; it++) {
      const w = C.map((row) => row.reduce((s, x, j) => s + x * v[j], 0));
      const nrm = Math.hypot(...w);
      const next = w.map((x) => x / nrm);
      const diff = Math.hypot(...next.map((x, j) => x - v[j]));
      v = next;
      lambda = nrm;
      if (diff < 1e-14) break;
    }
    let big = 0;
    for (const x of v) if (Math.abs(x) > Math.abs(big)) big = x;
    if (big < 0) v = v.map((x) => -x);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) C[a][b] -= lambda * v[a] * v[b];
    for (let i = 0; i < n; i++) out[i * k + c] = A[i].reduce((s, x, j) => s + x * v[j], 0);
  }
  return out;
}

test('pca equals a plain power iteration with deflation on seeded data with a separated spectrum', () => {
  let s = 99;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  for (const [n, d, k] of [
    [50, 6, 2],
    [17, 12, 3],
    [200, 4, 2],
  ]) {
    const scales = Array.from({ length: d }, (_, j) => 2 ** (d - j));
    const data = Array.from({ length: n * d }, (_, t) => rnd() * scales[t % d] + 3);
    const want = reference(data, n, d, k);
    const got = pca(data, n, d, k);
    close(got, want, 1e-7 * Math.max(...want.map(Math.abs)), `${n}×${d}, k ${k}`);
  }
});

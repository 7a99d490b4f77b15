// The unbiased HSIC (src/significance/centred.ts hsicUnbiasedSteps) against NumPy's closed
// form (scripts/fixtures/metrics.py, itself checked there against the U-statistic over every
// quadruple of distinct rows), and the estimator's invariances: a constant added to a kernel,
// and any change of its diagonal, leave it unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ckaOf, hsicKernelSteps, hsicUnbiasedSteps, type HsicParts } from '../../../src/significance/centred.js';
import { mulberry32 } from '../../shared/rng.mjs';

const fx = JSON.parse(readFileSync('tests/fixtures/metrics/cases.json', 'utf8'));
const pair = fx.cases.find((c: { task: string }) => c.task === 'hsic-unbiased');
const K = Float64Array.from(pair.K as number[]),
  L = Float64Array.from(pair.L as number[]);
const n: number = pair.n;

/** Runs the steps to the end; returns the parts and how many times they yielded. */
function run(A: Float64Array, B: Float64Array, rows: number): { parts: HsicParts; yields: number } {
  const gen = hsicUnbiasedSteps(
    () => A,
    () => B,
    rows,
  );
  let yields = 0;
  for (;;) {
    const r = gen.next();
    if (r.done) return { parts: r.value, yields };
    yields++;
  }
}

const rel = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${what}: ${got} vs ${want}`);

test('unbiased HSIC of a 9 × 9 pair equals NumPy (closed form = U-statistic) to 1e-12', () => {
  const { parts } = run(K, L, n);
  rel(parts.xy, pair.xy, 1e-12, 'HSICᵤ(K, L)');
  rel(parts.xx, pair.xx, 1e-12, 'HSICᵤ(K, K)');
  rel(parts.yy, pair.yy, 1e-12, 'HSICᵤ(L, L)');
  // not the biased estimator: the centred products of the same pair give another CKA
  const gen = hsicKernelSteps(
    () => K,
    () => L,
    n,
  );
  let b = gen.next();
  while (!b.done) b = gen.next();
  assert.ok(Math.abs(ckaOf(b.value.parts) - ckaOf(parts)) > 1e-3, `biased ${ckaOf(b.value.parts)} vs unbiased ${ckaOf(parts)}`);
});

test('unbiased HSIC is invariant to a constant added to K (within round-off) and ignores the diagonals (exactly)', () => {
  const base = run(K, L, n).parts;
  for (const c of [3.25, -40, 1e3]) {
    const Kc = K.map((v) => v + c);
    const shifted = run(Kc, L, n).parts;
    rel(shifted.xy, base.xy, 1e-12 * Math.max(1, Math.abs(c)), `HSICᵤ(K + ${c}, L)`);
    rel(shifted.xx, base.xx, 1e-12 * Math.max(1, c * c), `HSICᵤ(K + ${c}, K + ${c})`);
    assert.equal(shifted.yy, base.yy);
  }
  const r = mulberry32(11);
  const Kd = K.slice(),
    Ld = L.slice();
  for (let i = 0; i < n; i++) {
    Kd[i * n + i] = 100 * r() - 50;
    Ld[i * n + i] = 100 * r() - 50;
  }
  assert.deepEqual(run(Kd, Ld, n).parts, base, 'the diagonals are never read');
});

test('unbiased HSIC yields once per block of rows (~2²⁰ entries), and needs at least 4 rows', () => {
  const rows = 1100; // ⌊2²⁰/1100⌋ = 953 rows per step: two steps
  const r = mulberry32(5);
  const A = new Float64Array(rows * rows),
    B = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j <= i; j++) {
      A[i * rows + j] = A[j * rows + i] = r();
      B[i * rows + j] = B[j * rows + i] = r() + 0.5 * A[i * rows + j];
    }
  const out = run(A, B, rows);
  assert.equal(out.yields, Math.ceil(rows / Math.floor((1 << 20) / rows)));
  assert.ok(out.parts.xy > 0 && out.parts.xx > 0 && out.parts.yy > 0);
  assert.throws(() => run(K.subarray(0, 9), L.subarray(0, 9), 3), /at least 4 rows, got 3/);
  assert.ok(Number.isFinite(run(K.subarray(0, 16), L.subarray(0, 16), 4).parts.xy), '4 rows suffice');
});

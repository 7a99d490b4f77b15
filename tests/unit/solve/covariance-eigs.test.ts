// covarianceEigs (src/solve/covariance-eigs.ts) on C = (1/n)ΨᵀΨ built here:
// the numerical rank its pivoted Cholesky stops at (n < D, duplicated columns),
// the two selections (sign split, or the k largest and k smallest), the
// normalisation vᵀCv = 1 and J·C·v = λv against the untouched C, the refusal of a
// non-finite C, and its steps (same result as one call; progress in pivots).
// The eigenvalues are checked against the spectrum of C^½ J C^½ from two Jacobi solves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { covarianceEigs, covarianceEigsSteps } from '../../../src/solve/covariance-eigs.js';
import * as memory from '../../../src/wasm/memory.js';
import type { Step } from '../../../src/runtime/cooperative.js';
import { randomF32 } from '../../shared/rng.mjs';
import { jacobiEig } from '../../property/helpers/jacobi.js';
import { lambdaByFeatures, maxDiff } from '../methods/routes/jobs.js';

await init();

/** Ψ (n × D, f64 from f32 draws), optionally with column `dup` a copy of column 0; C = (1/n)ΨᵀΨ. */
function build(n: number, dx: number, dy: number, seed: number, dup = -1) {
  const D = dx + dy,
    P = Float64Array.from(randomF32(n * D, seed));
  if (dup >= 0) for (let r = 0; r < n; r++) P[r * D + dup] = P[r * D];
  const C = new Float64Array(D * D);
  for (let a = 0; a < D; a++)
    for (let b = 0; b < D; b++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += P[r * D + a] * P[r * D + b];
      C[a * D + b] = s / n;
    }
  const FX = new Float64Array(n * dx),
    FY = new Float64Array(n * dy);
  for (let r = 0; r < n; r++) for (let c = 0; c < D; c++) (c < dx ? FX : FY)[c < dx ? r * dx + c : r * dy + c - dx] = P[r * D + c];
  return { C, D, ref: lambdaByFeatures(FX, dx, FY, dy, n, 1) };
}

function solve(C: Float64Array, D: number, dx: number, k: number, signSplit?: boolean) {
  const W = memory.f64(D * D).set(C);
  try {
    return covarianceEigs(W, D, dx, k, 1, signSplit);
  } finally {
    W.free();
  }
}

function matvec(C: Float64Array, D: number, v: Float64Array): Float64Array {
  return Float64Array.from({ length: D }, (_, i) => {
    let s = 0;
    for (let j = 0; j < D; j++) s += C[i * D + j] * v[j];
    return s;
  });
}

test('full rank: the k largest and k most negative eigenvalues, vᵀCv = 1 and J·C·v = λv', () => {
  const dx = 12,
    dy = 8,
    { C, D, ref } = build(200, dx, dy, 1);
  const r = solve(C, D, dx, 3);
  assert.equal(r.rank, D);
  const norm = Math.max(Math.abs(ref[0]), Math.abs(ref.at(-1)!));
  assert.ok(maxDiff(r.values.subarray(0, 3), ref.subarray(0, 3)) < 1e-12 * norm);
  assert.ok(maxDiff(r.values.subarray(3), Array.from(ref.subarray(D - 3)).reverse()) < 1e-12 * norm);
  for (let i = 0; i < 6; i++) {
    const v = r.vectors[i],
      Cv = matvec(C, D, v);
    assert.ok(Math.abs(v.reduce((s, x, j) => s + x * Cv[j], 0) - 1) < 1e-10);
    for (let j = 0; j < D; j++) assert.ok(Math.abs((j < dx ? Cv[j] : -Cv[j]) - r.values[i] * v[j]) < 1e-10 * norm);
  }
});

test("n < D: the factorisation stops at rank n, and Λ's n non-zero eigenvalues come out", () => {
  const dx = 25,
    dy = 15,
    n = 9,
    { C, D, ref } = build(n, dx, dy, 2);
  const r = solve(C, D, dx, 20, false);
  assert.equal(r.rank, n);
  const nz = ref.filter((v) => Math.abs(v) > 1e-10);
  assert.equal(nz.length, n);
  // k = 20 > rank: each list holds all n eigenvalues (descending, ascending), padded with zeros
  const hi = Array.from(r.values.subarray(0, 20)),
    lo = Array.from(r.values.subarray(20));
  assert.deepEqual(hi.slice(n), new Array(20 - n).fill(0));
  assert.ok(maxDiff(hi.slice(0, n), nz) < 1e-12 * Math.abs(nz[0]), `${hi} vs ${nz}`);
  assert.ok(maxDiff(lo.slice(0, n), nz.slice().reverse()) < 1e-12 * Math.abs(nz[0]), `${lo}`);
});

test('a duplicated column: rank D − 1, the same non-zero spectrum', () => {
  const dx = 6,
    dy = 5,
    { C, D, ref } = build(100, dx, dy, 3, 4);
  const r = solve(C, D, dx, 2);
  assert.equal(r.rank, D - 1);
  assert.ok(maxDiff(r.values.subarray(0, 2), ref.subarray(0, 2)) < 1e-11 * ref[0]);
});

test("η = 0 in C (Y's block zero): the sign split pads the negative side with zeros; without it the smallest positive ones come out", () => {
  const dx = 7,
    dy = 4,
    { C, D } = build(60, dx, dy, 4);
  for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) if (a >= dx || b >= dx) C[a * D + b] = 0;
  const split = solve(C, D, dx, 2, true);
  assert.equal(split.rank, dx);
  assert.ok(split.values[0] > split.values[1] && split.values[1] > 0);
  assert.deepEqual(Array.from(split.values.subarray(2)), [0, 0]);
  assert.ok(split.vectors[2].every((x) => x === 0) && split.vectors[3].every((x) => x === 0));
  const both = solve(C, D, dx, 2, false);
  assert.ok(both.values[2] > 0 && both.values[2] <= both.values[3], `${both.values}`);
  // the smallest of X's block is its λmin
  const sub = new Float64Array(dx * dx);
  for (let a = 0; a < dx; a++) for (let b = 0; b < dx; b++) sub[a * dx + b] = C[a * D + b];
  const { values } = jacobiEig(sub, dx);
  assert.ok(Math.abs(both.values[2] - values[0]) < 1e-12 * values[dx - 1]);
});

test('a non-finite diagonal is refused before factorising', () => {
  const { C, D } = build(20, 3, 2, 5);
  C[2 * D + 2] = NaN;
  assert.throws(
    () => solve(C, D, 3, 1),
    (e: unknown) => e instanceof RangeError && e.message === 'spec-embed: covariance contains NaN or Inf',
  );
});

test('in steps: the same result as one call, progress in Cholesky pivots up to D, then Lanczos', () => {
  const dx = 40,
    dy = 30,
    { C, D } = build(150, dx, dy, 6);
  const one = solve(C, D, dx, 3);
  const W = memory.f64(D * D).set(C);
  const steps: Step[] = [];
  let res: ReturnType<typeof solve> | undefined;
  try {
    const gen = covarianceEigsSteps(W, D, dx, 3, 1);
    for (let r = gen.next(); ; r = gen.next()) {
      if (r.done) {
        res = r.value;
        break;
      }
      steps.push(r.value);
    }
  } finally {
    W.free();
  }
  assert.deepEqual(res.values, one.values);
  assert.deepEqual(res.vectors, one.vectors);
  const pivots = steps.filter((s) => s.message === 'Cholesky pivots');
  assert.ok(pivots.length >= 1);
  assert.ok(pivots.every((s) => s.total === D && s.done <= D));
  for (let i = 1; i < pivots.length; i++) assert.ok(pivots[i].done >= pivots[i - 1].done);
  assert.equal(pivots.at(-1)!.done, D);
  // Cholesky steps come first, then the eigensolver's own
  const firstOther = steps.findIndex((s) => s.message !== 'Cholesky pivots');
  if (firstOther >= 0) assert.ok(steps.slice(firstOther).every((s) => s.message !== 'Cholesky pivots'));
});

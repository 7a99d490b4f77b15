// SPEC's solve on its sums (src/score/spec-solve.ts): C ← C/n, the extreme
// eigenpairs of J·C, the modes above 16u·trace C, the mode vectors the scoring
// pass uses (u = Ψv/√n), its steps, and the sums spent by a failed or closed
// solve. Eigenvalues against C^½ J C^½ from two Jacobi solves of ΨᵀΨ formed here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { solveSpecSteps } from '../../../src/score/spec-solve.js';
import { SpecSums } from '../../../src/sums/spec-sums.js';
import { resolveKernel } from '../../../src/features/kernel.js';
import { drain, type Step } from '../../../src/runtime/cooperative.js';
import { InputError } from '../../../src/errors.js';
import { randomF32 } from '../../shared/rng.mjs';
import { lambdaByFeatures, maxDiff } from '../methods/routes/jobs.js';

await init();

const lin = (s: string) => resolveKernel('linear', s);
const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });

function sums(n: number, dx: number, dy: number, eta: number, seed = 1) {
  const X = mat(n, dx, seed),
    Y = mat(n, dy, seed + 1);
  const s = SpecSums.of(lin('X'), lin('Y'), eta, 0, { cols: dx, name: 'X' }, { cols: dy, name: 'Y' });
  if (n > 0) drain(s.addSteps(X, Y));
  // Ψ's Y block is the f32 rounding of √η·y: the reference uses that rounding too
  const r = Math.sqrt(eta),
    FY = eta > 0 ? Float64Array.from(Y.data, (v) => Math.fround(Math.fround(r) * v) / r) : Float64Array.from(Y.data);
  return { s, X, Y, ref: lambdaByFeatures(Float64Array.from(X.data), dx, FY, dy, n, eta) };
}

test('n > D: the k largest and k most negative eigenvalues of Λ, sides, SPEC-diff, and the scoring vectors', () => {
  const n = 300,
    dx = 9,
    dy = 6,
    eta = 0.6,
    { s, ref } = sums(n, dx, dy, eta);
  try {
    const solved = drain(solveSpecSteps(s, { topK: 2, samplesPerMode: 3, returnScores: true }));
    const { sol } = solved,
      D = dx + dy,
      norm = Math.max(ref[0], -ref[D - 1]);
    assert.equal(sol.n, n);
    assert.deepEqual(sol.sides, ['x', 'x', 'y', 'y']);
    assert.ok(maxDiff(sol.eigenvalues, [ref[0], ref[1], ref[D - 1], ref[D - 2]]) < 1e-12 * norm, `${sol.eigenvalues} vs ${ref}`);
    assert.ok(Math.abs(sol.specDiff.xNotY - ref[0]) < 1e-12 * norm && Math.abs(sol.specDiff.yNotX + ref[D - 1]) < 1e-12 * norm);
    assert.deepEqual(
      solved.chosen,
      Array.from(sol.eigenvalues, (value, i) => ({ side: sol.sides[i], value })),
    );
    const [mv] = solved.vectors;
    assert.deepEqual([mv.k, mv.V.length, mv.scale], [4, D * 4, 1 / Math.sqrt(n)]);
    assert.deepEqual([solved.samplesPerMode, solved.returnScores], [3, true]);
    assert.equal(sol.noiseDropped, 0);
  } finally {
    s.dispose();
  }
});

test('topK beyond D: k = D, each eigenvalue once, the zero ones dropped as noise', () => {
  // n > D = 5, η = 1 with Y = 0 columns: Λ = XXᵀ/n has 3 positive and 2 zero eigenvalues in J·C
  const n = 50,
    X = mat(n, 3, 4),
    Y = { data: new Float32Array(n * 2), rows: n, cols: 2 };
  const s = SpecSums.of(lin('X'), lin('Y'), 1, 0, { cols: 3, name: 'X' }, { cols: 2, name: 'Y' });
  try {
    drain(s.addSteps(X, Y));
    const { sol } = drain(solveSpecSteps(s, { topK: 10 }));
    assert.deepEqual(sol.sides, ['x', 'x', 'x']);
    const ref = lambdaByFeatures(Float64Array.from(X.data), 3, new Float64Array(0), 0, n, 0);
    assert.ok(maxDiff(sol.eigenvalues, ref) < 1e-12 * ref[0]);
    // n > D: 0 is in Λ's spectrum
    assert.equal(sol.specDiff.yNotX, 0);
  } finally {
    s.dispose();
  }
});

test("n ≤ D and η = 0: zero eigenvalues of J·C are not Λ's, so yNotX = −λmin(Λ) < 0", () => {
  const n = 4,
    dx = 6,
    dy = 3,
    { s, ref } = sums(n, dx, dy, 0, 7);
  try {
    const { sol } = drain(solveSpecSteps(s, { topK: 10 }));
    const nz = ref.filter((v) => Math.abs(v) > 1e-9);
    assert.equal(nz.length, n);
    assert.deepEqual(sol.sides, ['x', 'x', 'x', 'x']);
    assert.ok(Math.abs(sol.specDiff.yNotX + nz[n - 1]) < 1e-12 * nz[0]);
  } finally {
    s.dispose();
  }
});

test('refusals before the sums are touched leave them usable; a closed solve spends them', () => {
  const { s } = sums(0, 3, 2, 1);
  const X = mat(10, 3, 1),
    Y = mat(10, 2, 2);
  try {
    assert.throws(
      () => drain(solveSpecSteps(s, {})),
      (e: unknown) => e instanceof InputError && e.message === 'no rows were added',
    );
    drain(s.addSteps(X, Y));
    assert.throws(() => drain(solveSpecSteps(s, { topK: 0 })), { message: 'topK must be an integer ≥ 1, got 0' });
    assert.throws(() => drain(solveSpecSteps(s, { samplesPerMode: 1.5 })), { message: 'samplesPerMode must be an integer ≥ 1, got 1.5' });
    const gen = solveSpecSteps(s, {});
    gen.next();
    gen.return(undefined as any);
    assert.throws(() => s.live(), { message: 'spec-embed: SpecAccumulator unusable: a pass or solve() failed or was aborted part-way; create a new one' });
  } finally {
    s.dispose();
  }
});

test('steps: C/n in row bands reported as Cholesky pivots from 0, before the factorisation', () => {
  const { s } = sums(40, 300, 20, 1, 9); // D = 320: two bands of 256 rows
  try {
    const steps: Step[] = [];
    const gen = solveSpecSteps(s, { topK: 1 });
    for (let r = gen.next(); !r.done; r = gen.next()) steps.push(r.value);
    // one step before the bands, one per band
    assert.deepEqual(steps.slice(0, 3), new Array(3).fill({ done: 0, total: 320, message: 'Cholesky pivots' }));
    assert.ok(steps.length > 3);
  } finally {
    s.dispose();
  }
});

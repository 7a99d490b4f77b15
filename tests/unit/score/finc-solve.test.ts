// FINC's solve on its sums (src/score/finc-solve.ts): CX − η·CY formed in place,
// its extreme eigenpairs, the modes above 4·u32·(tr CX + η·tr CY), the shares
// vᵀCXv and vᵀCYv, each side's scoring vectors, its steps, and the sums spent by
// a closed solve. Against CX − η·CY and CY formed here in f64 and solved by Jacobi.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { solveFincSteps } from '../../../src/score/finc-solve.js';
import { FincSums } from '../../../src/sums/finc-sums.js';
import { resolveKernel } from '../../../src/features/kernel.js';
import { drain, type Step } from '../../../src/runtime/cooperative.js';
import { InputError } from '../../../src/errors.js';
import { jacobiEig } from '../../property/helpers/jacobi.js';
import { randomF32 } from '../../shared/rng.mjs';
import { maxDiff } from '../methods/routes/jobs.js';

await init();

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });

/** (1/n)·AᵀA in f64. */
function cov(A: { data: Float32Array; rows: number; cols: number }): Float64Array {
  const { rows: n, cols: d, data } = A,
    C = new Float64Array(d * d);
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += data[r * d + a] * data[r * d + b];
      C[a * d + b] = s / n;
    }
  return C;
}

function fed(X: ReturnType<typeof mat>, Y: ReturnType<typeof mat>, eta: number): FincSums {
  const s = FincSums.of(resolveKernel('linear', ''), eta, 0, { cols: X.cols, name: 'X' }, { name: 'Y' });
  if (X.rows) drain(s.addSteps(X, 'x'));
  if (Y.rows) drain(s.addSteps(Y, 'y'));
  return s;
}

test("eigenvalues, shares, floor and SPEC-diff of CX − η·CY; each side's vectors", () => {
  const d = 7,
    eta = 1.1,
    X = mat(120, d, 1),
    Y = mat(90, d, 2);
  const CX = cov(X),
    CY = cov(Y),
    M = CX.map((v, i) => v - eta * CY[i]);
  const { values, vectors } = jacobiEig(M, d, true);
  const s = fed(X, Y, eta);
  try {
    const solved = drain(solveFincSteps(s, { topK: 2, samplesPerMode: 4 }));
    const { sol } = solved,
      norm = Math.max(values[d - 1], -values[0]);
    let trX = 0,
      trY = 0;
    for (let i = 0; i < d; i++) {
      trX += CX[i * d + i];
      trY += CY[i * d + i];
    }
    assert.ok(Math.abs(sol.noiseFloor - 4 * 2 ** -24 * (trX + eta * trY)) < 1e-12 * sol.noiseFloor);
    assert.deepEqual([sol.nx, sol.ny], [120, 90]);
    assert.deepEqual(sol.sides, ['x', 'x', 'y', 'y']);
    const want = [d - 1, d - 2, 0, 1];
    assert.ok(
      maxDiff(
        sol.eigenvalues,
        want.map((j) => values[j]),
      ) <
        1e-12 * norm,
    );
    want.forEach((j, i) => {
      const v = Float64Array.from({ length: d }, (_, a) => vectors![a * d + j]);
      const q = (A: Float64Array) => {
        let t = 0;
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) t += v[a] * A[a * d + b] * v[b];
        return t;
      };
      assert.ok(Math.abs(sol.shareY[i] - q(CY)) < 1e-10, `shareY ${sol.shareY[i]} vs ${q(CY)}`);
      assert.ok(Math.abs(sol.shareX[i] - q(CX)) < 1e-10, `shareX ${sol.shareX[i]} vs ${q(CX)}`);
    });
    assert.ok(Math.abs(sol.specDiff.xNotY - values[d - 1]) < 1e-12 * norm && Math.abs(sol.specDiff.yNotX + values[0]) < 1e-12 * norm);
    const [vx, vy] = solved.vectors;
    // both sets are scored on every mode (the frequencies count samples of X and of Y for each)
    assert.deepEqual([vx.k, vx.V.length, vx.scale, vy.k, vy.V.length, vy.scale], [4, 4 * d, 1, 4, 4 * d, 1]);
  } finally {
    s.dispose();
  }
});

test('topK beyond D: k = D, each side looks only at its own sign, no eigenvalue reported twice', () => {
  const d = 4,
    eta = 1,
    X = mat(80, d, 3),
    Y = mat(70, d, 4);
  const M = cov(X).map((v, i) => v - eta * cov(Y)[i]);
  const { values } = jacobiEig(M, d);
  const s = fed(X, Y, eta);
  try {
    const { sol } = drain(solveFincSteps(s, { topK: 9 }));
    const pos = Array.from(values)
        .filter((v) => v > 0)
        .reverse(),
      neg = Array.from(values).filter((v) => v < 0);
    assert.equal(sol.eigenvalues.length, d);
    assert.ok(maxDiff(sol.eigenvalues, [...pos, ...neg]) < 1e-12);
    assert.deepEqual(sol.sides, [...pos.map(() => 'x'), ...neg.map(() => 'y')]);
  } finally {
    s.dispose();
  }
});

test('identical sets: everything within the floor, counted as noise, no modes', () => {
  const d = 5,
    X = mat(100, d, 5);
  const s = fed(X, X, 1);
  try {
    const { sol, vectors } = drain(solveFincSteps(s, { topK: 2 }));
    assert.deepEqual(Array.from(sol.eigenvalues), []);
    assert.deepEqual(sol.specDiff, { xNotY: 0, yNotX: 0, norm: 0 });
    assert.deepEqual([vectors[0].k, vectors[1].k], [0, 0]);
  } finally {
    s.dispose();
  }
});

test('refusals name the empty set; a closed solve spends the sums', () => {
  const X = mat(10, 3, 1),
    none = mat(0, 3, 2);
  const a = fed(none, X, 1),
    b = fed(X, none, 1);
  try {
    assert.throws(
      () => drain(solveFincSteps(a, {})),
      (e: unknown) => e instanceof InputError && e.message === 'X: no rows were added',
    );
    assert.throws(
      () => drain(solveFincSteps(b, {})),
      (e: unknown) => e instanceof InputError && e.message === 'Y: no rows were added',
    );
    drain(b.addSteps(X, 'y'));
    assert.throws(() => drain(solveFincSteps(b, { topK: -1 })), { message: 'topK must be an integer ≥ 1, got -1' });
    const gen = solveFincSteps(b, {});
    gen.next();
    gen.return(undefined as any);
    assert.throws(() => b.live(), { message: 'spec-embed: FincAccumulator unusable: a pass or solve() failed or was aborted part-way; create a new one' });
  } finally {
    a.dispose();
    b.dispose();
  }
});

test("steps: the normalisation in bands of 256 rows, then the eigensolver, then one step per mode's share", () => {
  const d = 300,
    X = mat(20, d, 6),
    Y = mat(15, d, 7);
  const s = fed(X, Y, 1);
  try {
    const steps: Step[] = [];
    const gen = solveFincSteps(s, { topK: 3 });
    let r = gen.next();
    for (; !r.done; r = gen.next()) steps.push(r.value);
    const norm = steps.filter((t) => t.message === 'normalising'),
      shares = steps.filter((t) => t.message === 'mode shares');
    assert.equal(norm.length, 2); // ⌈300/256⌉
    assert.deepEqual(steps.slice(0, 2), norm);
    assert.equal(shares.length, r.value.sol.eigenvalues.length);
    assert.deepEqual(steps.slice(-shares.length), shares);
  } finally {
    s.dispose();
  }
});

// The covariance route's solver choice (src/methods/routes/solver-choice.ts): the
// cost model's decisions on the benchmark workloads (docs/design.md "Matrix-free
// solve"), what does not fit, and the requested solvers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseSolver, estimateSeconds, matrixFreeBasis, matrixFreeMisfit } from '../../../../src/methods/routes/solver-choice.js';
import { InputError } from '../../../../src/errors.js';

const job = (n: number, dx: number, dy: number, extra: object = {}) => ({ n, dx, dy, eta: 1, topK: 10, ...extra });

test('B1 (n = 10,000, D = 4000): matrix-free at one thread, and on two workers against SYRK on two workers; the reason gives both estimates', () => {
  const one = chooseSolver('auto', job(10000, 2000, 2000), 1);
  assert.equal(one.solver, 'matrix-free');
  assert.match(one.reason, /^estimated SYRK 6\.4 s, matrix-free \(in process, ~150 applications\) 2\.9 s: /);
  const two = chooseSolver('auto', job(10000, 2000, 2000), 2);
  assert.equal(two.solver, 'matrix-free');
  // 150 · (4.7e-10 · 4·10⁷ / 1.3 + 4e-4 messages + 1e-9 · 10⁴ · 60 basis) = 2.32 s
  assert.match(two.reason, /^estimated SYRK on 2 threads 4\.5 s, matrix-free \(on 2 workers, ~150 applications\) 2\.3 s: /);
});

test("the matrix-free operator divides by its (memory-bound) workers' factor and pays its messages per application: compare's two round trips, FINC's one", () => {
  const one = estimateSeconds(10000, 4000, 10, 1),
    three = estimateSeconds(10000, 4000, 10, 3);
  const ops = 150 * 4.7e-10 * 1e4 * 4000,
    basis = 150 * 1e-9 * 1e4 * matrixFreeBasis(10);
  assert.ok(Math.abs(one.matrixFree - (ops + basis)) < 1e-9);
  assert.ok(Math.abs(three.matrixFree - (ops / (1 + 2 * 0.3) + basis + 150 * 4e-4)) < 1e-9);
  const fincOne = estimateSeconds(10000, 2000, 10, 1, 'finc'),
    fincTwo = estimateSeconds(10000, 2000, 10, 2, 'finc');
  const fincOps = 150 * 4.7e-10 * 1e4 * 2000,
    fincBasis = 150 * 1e-9 * 2000 * matrixFreeBasis(10);
  assert.ok(Math.abs(fincOne.matrixFree - (fincOps + fincBasis)) < 1e-9);
  // one round trip per application: half of compare's message time
  assert.ok(Math.abs(fincTwo.matrixFree - (fincOps / 1.3 + fincBasis + 150 * 2e-4)) < 1e-9);
  assert.match(chooseSolver('auto', job(10000, 2000, 0, { task: 'finc' }), 2).reason, /matrix-free \(on 2 workers, ~150 applications\)/);
  assert.match(chooseSolver('auto', job(10000, 2000, 0, { task: 'finc' }), 1).reason, /matrix-free \(in process, ~150 applications\)/);
});

test('B2 (n = 100,000 cosine, D = 1280) stays on SYRK; small jobs keep SYRK whatever the ratio', () => {
  assert.equal(chooseSolver('auto', job(100000, 768, 512), 1).solver, 'syrk');
  const small = chooseSolver('auto', job(3000, 600, 600), 1);
  assert.equal(small.solver, 'syrk');
  assert.match(small.reason, /both quick, SYRK kept$/);
});

test('estimates grow as the model says: SYRK with n·D², matrix-free with n·D; FINC solves the dense D × D by Lanczos', () => {
  const a = estimateSeconds(10000, 4000, 10, 1),
    b = estimateSeconds(20000, 4000, 10, 1);
  assert.equal(a.applications, 150);
  assert.ok(Math.abs(b.matrixFree / a.matrixFree - 2) < 1e-12);
  const f = estimateSeconds(10000, 4000, 10, 1, 'finc');
  assert.ok(f.syrk < a.syrk, 'no D³ factor for FINC');
  assert.ok(f.matrixFree < a.matrixFree, 'the D-side basis is smaller');
});

test("on workers each holds its share of the features: a job beyond one cache fits two workers' (compare and FINC)", () => {
  // 30,000 × 8000 f32 features = 916 MiB: beyond the 512 MiB cache in process, 458 MiB per worker on two
  assert.match(matrixFreeMisfit(30000, 4000, 4000, 1, 10)!, /the features \(915\.5 MiB\) exceed the 512\.0 MiB feature cache/);
  assert.equal(matrixFreeMisfit(30000, 4000, 4000, 1, 10, 2), null);
  assert.match(matrixFreeMisfit(50000, 4000, 4000, 1, 10, 2)!, /the features \(1\.49 GiB; 762\.9 MiB per worker on 2 workers\) exceed/);
  const one = chooseSolver('auto', job(30000, 4000, 4000), 1),
    two = chooseSolver('auto', job(30000, 4000, 4000), 2);
  assert.equal(one.solver, 'syrk');
  assert.match(one.reason, /^matrix-free does not fit/);
  assert.equal(two.solver, 'matrix-free');
  assert.match(two.reason, /matrix-free \(on 2 workers, ~150 applications\)/);
  // FINC's matrix-free solve on workers too: 916 MiB of features, 458 MiB per worker on two
  assert.match(chooseSolver('auto', job(30000, 8000, 0, { task: 'finc' }), 1).reason, /^matrix-free does not fit/);
  assert.match(chooseSolver('auto', job(30000, 8000, 0, { task: 'finc' }), 2).reason, /^(?!matrix-free does not fit)/);
});

test('what does not fit stays on SYRK (auto) or is refused by name (forced); requested solvers are taken', () => {
  // 50,000 × 4000 f32 features = 763 MiB > the 512 MiB cache
  assert.match(matrixFreeMisfit(50000, 2000, 2000, 1, 10)!, /the features \(762\.9 MiB\) exceed the 512\.0 MiB feature cache/);
  assert.equal(matrixFreeMisfit(50000, 2000, 2000, 0, 10), null, 'η = 0: Y is never featurised');
  const auto = chooseSolver('auto', job(50000, 2000, 2000), 1);
  assert.deepEqual(auto, { solver: 'syrk', reason: 'matrix-free does not fit: the features (762.9 MiB) exceed the 512.0 MiB feature cache' });
  assert.throws(
    () => chooseSolver('matrix-free', job(50000, 2000, 2000), 1),
    (e: unknown) => e instanceof InputError && /^solver 'matrix-free' cannot run this job: the features/.test(e.message),
  );
  assert.deepEqual(chooseSolver('syrk', job(10000, 2000, 2000), 1), { solver: 'syrk', reason: 'requested' });
  assert.deepEqual(chooseSolver('matrix-free', job(3000, 600, 600), 8), { solver: 'matrix-free', reason: 'requested' });
});

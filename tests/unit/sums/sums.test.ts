// The one Sums (src/sums/sums.ts) through its two declarations: SPEC's one set
// of Ψ = [ΦX, √η·ΦY] and FINC's two sets under one map. Checked against the
// snapshots an earlier release wrote from the NumPy fixtures' rows (byte for
// byte), against ΨᵀΨ computed here in f64, and against the relations that must
// hold: merged = one pass, serialize round trip bit-identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from '../../../src/index.js';
import { parseNpy } from '../../../src/io/index.js';
import { SpecSums } from '../../../src/sums/spec-sums.js';
import { FincSums } from '../../../src/sums/finc-sums.js';
import { CHUNK_ROWS } from '../../../src/sums/features-pass.js';
import { resolveKernel } from '../../../src/features/kernel.js';
import { drain } from '../../../src/runtime/cooperative.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();
const dir = new URL('../../fixtures/snapshots/', import.meta.url);
const file = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });
const lin = resolveKernel('linear', 'X');
const cos = resolveKernel('cosine', 'X');
const src = (cols: number, name: string) => ({ cols, name });

/** Upper triangle of the f64 sum of outer products of rows of F (rows × D, f64). */
function gram(F: Float64Array, rows: number, D: number): Float64Array {
  const G = new Float64Array(D * D);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < D; i++) {
      const a = F[r * D + i];
      for (let j = i; j < D; j++) G[i * D + j] += a * F[r * D + j];
    }
  }
  return G;
}

/** Ψ = [X, s·Y] in f64, the f32 rounding of s·Y kept (packColumns writes f32). */
function psi(X: Float32Array, Y: Float32Array, rows: number, dx: number, dy: number, s: number): Float64Array {
  const D = dx + dy,
    P = new Float64Array(rows * D);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dx; j++) P[r * D + j] = X[r * dx + j];
    for (let j = 0; j < dy; j++) P[r * D + dx + j] = Math.fround(Math.fround(s) * Y[r * dy + j]);
  }
  return P;
}

/** Largest |a − b| over the upper triangle, relative to the largest |b|. */
function relUpper(a: Float64Array, b: Float64Array, D: number): number {
  let err = 0,
    max = 0;
  for (let i = 0; i < D; i++)
    for (let j = i; j < D; j++) {
      err = Math.max(err, Math.abs(a[i * D + j] - b[i * D + j]));
      max = Math.max(max, Math.abs(b[i * D + j]));
    }
  return err / max;
}

test("fed the fixtures' rows, SPEC and FINC sums serialize to the bytes an earlier release wrote", () => {
  const X = parseNpy(file('spec_x.npy'), 'spec_x'),
    Y = parseNpy(file('spec_y.npy'), 'spec_y');
  const spec = SpecSums.of(cos, resolveKernel('cosine', 'Y'), 1.5, 0, src(X.cols, 'X'), src(Y.cols, 'Y'));
  const FX = parseNpy(file('finc_x.npy'), 'finc_x'),
    FY = parseNpy(file('finc_y.npy'), 'finc_y');
  const finc = FincSums.of(resolveKernel('cosine', ''), 1.5, 0, src(FX.cols, 'X'), { name: 'Y' });
  try {
    drain(spec.addSteps(X, Y));
    assert.deepEqual(spec.serialize(), file('spec.snap'));
    drain(finc.addSteps(FX, 'x'));
    drain(finc.addSteps(FY, 'y'));
    assert.deepEqual(finc.serialize(), file('finc.snap'));
  } finally {
    spec.dispose();
    finc.dispose();
  }
});

for (const [dx, dy] of [
  [30, 20],
  [200, 120],
]) {
  const D = dx + dy,
    precise = D <= 256;
  test(`SPEC sums = ΨᵀΨ in f64 (D = ${D}: ${precise ? 'f64 products' : 'f32 block sums'}), and FINC's = XᵀX, YᵀY`, () => {
    const n = 2 * CHUNK_ROWS + 300,
      X = mat(n, dx, 1),
      Y = mat(n, dy, 2),
      eta = 0.7;
    const spec = SpecSums.of(lin, lin, eta, 3, src(dx, 'X'), src(dy, 'Y'));
    const finc = FincSums.of(lin, eta, 3, src(dx, 'X'), { name: 'Y' });
    try {
      drain(spec.addSteps(X, Y));
      assert.equal(spec.n, n);
      const tol = precise ? 1e-13 : 2e-6;
      assert.ok(relUpper(spec.takeSums()[0], gram(psi(X.data, Y.data, n, dx, dy, Math.sqrt(eta)), n, D), D) < tol);
      drain(finc.addSteps(X, 'x'));
      drain(finc.addSteps({ data: randomF32(500 * dx, 4), rows: 500, cols: dx }, 'y'));
      const [SX, SY] = finc.takeSums();
      assert.deepEqual([finc.nx, finc.ny], [n, 500]);
      const ftol = dx <= 256 ? 1e-13 : 2e-6;
      assert.ok(relUpper(SX, gram(Float64Array.from(X.data), n, dx), dx) < ftol);
      assert.ok(relUpper(SY, gram(Float64Array.from(randomF32(500 * dx, 4)), 500, dx), dx) < ftol);
    } finally {
      spec.dispose();
      finc.dispose();
    }
  });
}

test("merged = one pass; addSums of another's sums = merge; serialize round trip is bit-identical", () => {
  const n = 3 * CHUNK_ROWS + 17,
    dx = 24,
    dy = 16,
    X = mat(n, dx, 5),
    Y = mat(n, dy, 6);
  const k = { type: 'gaussian', sigma: 3, rffDim: 100 } as const;
  const kx = resolveKernel(k, 'X'),
    ky = resolveKernel(k, 'Y');
  const one = SpecSums.of(kx, ky, 1, 9, src(dx, 'X'), src(dy, 'Y'));
  const a = SpecSums.of(kx, ky, 1, 9, src(dx, 'X'), src(dy, 'Y'));
  const b = SpecSums.of(kx, ky, 1, 9, src(dx, 'X'), src(dy, 'Y'));
  const c = SpecSums.of(kx, ky, 1, 9, src(dx, 'X'), src(dy, 'Y'));
  const rows = (m: typeof X, r0: number, r1: number) => ({ data: m.data.subarray(r0 * m.cols, r1 * m.cols), rows: r1 - r0, cols: m.cols });
  try {
    drain(one.addSteps(X, Y));
    drain(a.addSteps(rows(X, 0, 2048), rows(Y, 0, 2048)));
    drain(b.addSteps(rows(X, 2048, n), rows(Y, 2048, n)));
    drain(c.addSteps(rows(X, 0, 2048), rows(Y, 0, 2048)));
    c.addSums(b.takeSums(), [b.n]);
    a.merge(b);
    assert.equal(a.n, n);
    assert.deepEqual(a.takeSums(), c.takeSums());
    assert.ok(relUpper(a.takeSums()[0], one.takeSums()[0], a.D) < 1e-14);
    const bytes = a.serialize(),
      back = SpecSums.deserialize(bytes);
    try {
      assert.equal(back.n, n);
      assert.deepEqual(back.serialize(), bytes);
      const [p, q] = [back.takeSums()[0], a.takeSums()[0]];
      for (let i = 0; i < a.D; i++) for (let j = i; j < a.D; j++) assert.equal(Object.is(p[i * a.D + j], q[i * a.D + j]), true);
    } finally {
      back.dispose();
    }
    assert.throws(() => a.merge(a), /itself/);
    const other = SpecSums.of(kx, ky, 2, 9, src(dx, 'X'), src(dy, 'Y'));
    assert.throws(() => a.merge(other), /different kernels/);
    other.dispose();
  } finally {
    for (const s of [one, a, b, c]) s.dispose();
  }
});

test('the feature cache keeps every chunk within its budget, keyed by set and first row; a chunk beyond it ends caching', () => {
  const n = 2 * CHUNK_ROWS + 100,
    d = 16;
  const s = FincSums.of(lin, 1, 0, src(d, 'X'), { name: 'Y' });
  const t = FincSums.of(lin, 1, 0, src(d, 'X'), { name: 'Y' });
  try {
    s.cacheFeatures(4 * n * d);
    drain(s.addSteps(mat(n, d, 7), 'x'));
    assert.ok(s.cacheIntact && s.cached(0, 0, n) && !s.cached(1, 0, n));
    t.cacheFeatures(4 * CHUNK_ROWS * d);
    drain(t.addSteps(mat(n, d, 7), 'x'));
    assert.ok(!t.cacheIntact && t.cached(0, 0, CHUNK_ROWS) && !t.cached(0, 0, n));
  } finally {
    s.dispose();
    t.dispose();
  }
});

test('beginSolve hands the sums over (no add, merge, serialize, addSums); a pass stopped part-way leaves them unusable', () => {
  const s = SpecSums.of(lin, lin, 1, 0, src(8, 'X'), src(4, 'Y'));
  const t = SpecSums.of(lin, lin, 1, 0, src(8, 'X'), src(4, 'Y'));
  try {
    drain(s.addSteps(mat(10, 8, 1), mat(10, 4, 2)));
    s.beginSolve();
    assert.throws(() => drain(s.addSteps(mat(10, 8, 1), mat(10, 4, 2))), /add\(\) after solve/);
    assert.throws(() => s.serialize(), /after solve/);
    assert.throws(() => t.merge(s), /after solve/);
    assert.throws(() => s.addSums([new Float64Array(144)], [1]), /after solve/);
    assert.throws(() => drain(t.addSteps(mat(10, 9, 1), mat(10, 4, 2))), /X: has 9 columns, the accumulator was made for 8/);
    const big = SpecSums.of(lin, lin, 1, 0, src(300, 'X'), src(20, 'Y'));
    const steps = big.addSteps(mat(3000, 300, 3), mat(3000, 20, 4));
    let st = steps.next();
    // past the first chunk's SYRK: the sums now hold part of this call's rows
    while (!st.done && st.value.done < CHUNK_ROWS) st = steps.next();
    steps.return();
    assert.throws(() => big.serialize(), /unusable/);
    big.dispose();
    s.dispose();
    assert.throws(() => s.serialize(), /after dispose/);
  } finally {
    s.dispose();
    t.dispose();
  }
});

// FINC's exact route (src/methods/routes/finc-exact.ts): the pooled kernel G =
// |W|^½ K |W|^½ in f64, J·G solved through its pivoted Cholesky, the scores from
// G·z. Against the NumPy fixtures (tests/fixtures/finc: the exact Gaussian with
// and without duplicated rows, η = 0), its noise floor √(n·u64)·trace, and the
// explicit CX − η·CY of the linear kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/index.js';
import { fincExactRoute, exactNoiseFloor, type ExactInput } from '../../../../src/methods/routes/finc-exact.js';
import { resolveKernel } from '../../../../src/features/kernel.js';
import type { KernelOption, Matrix } from '../../../../src/types/index.js';
import { jacobiEig } from '../../../property/helpers/jacobi.js';
import { randomF32 } from '../../../shared/rng.mjs';
import { checkModes, Counting, fixture, maxDiff, rowsOf } from './jobs.js';

await init();

const input = (X: Matrix, Y: Matrix, kernel: KernelOption, o: Partial<ExactInput> = {}): ExactInput => ({
  X,
  Y,
  kernel: resolveKernel(kernel, ''),
  eta: 1,
  topK: 6,
  samplesPerMode: 5,
  returnScores: false,
  seed: 0,
  ...o,
});

test('exactNoiseFloor = √(n·2⁻⁵³)·trace', () => {
  assert.equal(exactNoiseFloor(1, 1), Math.sqrt(2 ** -53));
  assert.equal(exactNoiseFloor(400, 3), Math.sqrt(400 * 2 ** -53) * 3);
  assert.equal(exactNoiseFloor(10, 0), 0);
});

for (const name of ['gaussian-exact', 'gaussian-exact-dup']) {
  test(`fixture ${name}: modes, shares and SPEC-diff of the exact Gaussian (singular G with duplicated rows)`, async () => {
    const f = fixture('finc', name);
    const X = rowsOf(f.X),
      Y = rowsOf(f.Y);
    const coop = new Counting();
    const out = await fincExactRoute(input(X, Y, f.kernel, { eta: f.eta, topK: f.topK, samplesPerMode: f.samplesPerMode }), coop, {});
    // trace of G: k(x, x) = 1, so 1 + η
    const floor = exactNoiseFloor(X.rows + Y.rows, 1 + f.eta);
    const want = f.modes.filter((m: any) => Math.abs(m.eigenvalue) > floor);
    checkModes(out.modes, want, { value: 1e-10, score: 1e-8 });
    out.modes.forEach((m, i) => {
      assert.ok(Math.abs(m.shareX - want[i].shareX) < 1e-10);
      assert.ok(Math.abs(m.shareY - want[i].shareY) < 1e-10);
    });
    assert.ok(Math.abs(out.specDiff.xNotY - f.specDiff.xNotY) < 1e-10);
    assert.ok(Math.abs(out.specDiff.yNotX - f.specDiff.yNotX) < 1e-10);
    assert.deepEqual([...new Set(coop.events.map((e) => e.stage))], ['gram', 'solve']);
    assert.ok(coop.ticks >= 3);
  });
}

test("η = 0 on the duplicated set: kernel PCA of X, Y's shares from K(Y, X)", async () => {
  const f = fixture('finc', 'gaussian-exact-dup');
  const out = await fincExactRoute(input(rowsOf(f.X), rowsOf(f.Y), f.kernel, { eta: 0, topK: 3 }), new Counting(), {});
  assert.deepEqual(
    out.modes.map((m) => m.side),
    ['x', 'x', 'x'],
  );
  out.modes.forEach((m, i) => {
    assert.ok(Math.abs(m.eigenvalue - f.eta0[i].eigenvalue) < 1e-10, `${m.eigenvalue} vs ${f.eta0[i].eigenvalue}`);
    assert.ok(Math.abs(m.shareY - f.eta0[i].shareY) < 1e-9, `shareY ${m.shareY} vs ${f.eta0[i].shareY}`);
    assert.ok(Math.abs(m.shareX - m.eigenvalue) < 1e-10, 'vᵀCXv = λ');
  });
  // the Gaussian's feature space is infinite: 0 is in the spectrum, so yNotX is 0
  assert.equal(out.specDiff.yNotX, 0);
});

test('linear kernel: the eigenvalues of CX − η·CY formed here (d × d) and solved by Jacobi, each scored on its own set', async () => {
  const nx = 40,
    ny = 30,
    d = 5,
    eta = 0.7;
  const X = { data: randomF32(nx * d, 1), rows: nx, cols: d },
    Y = { data: randomF32(ny * d, 2), rows: ny, cols: d };
  const M = new Float64Array(d * d);
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) {
      let sx = 0,
        sy = 0;
      for (let i = 0; i < nx; i++) sx += X.data[i * d + a] * X.data[i * d + b];
      for (let i = 0; i < ny; i++) sy += Y.data[i * d + a] * Y.data[i * d + b];
      M[a * d + b] = sx / nx - (eta * sy) / ny;
    }
  const ref = jacobiEig(M, d).values;
  const out = await fincExactRoute(input(X, Y, 'linear', { eta, topK: d, samplesPerMode: 2, returnScores: true }), new Counting(), {});
  const got = Array.from(out.modes, (m) => m.eigenvalue).sort((a, b) => a - b);
  assert.equal(got.length, d);
  assert.ok(maxDiff(got, ref) < 1e-12, `${got} vs ${ref}`);
  // scores are φ(s)ᵀv over the mode's own set, signed so that they sum to ≥ 0, with mean square = its share
  for (const m of out.modes) {
    const s = m.scores!;
    assert.equal(s.length, m.side === 'x' ? nx : ny);
    assert.ok(s.reduce((a, v) => a + v, 0) >= 0);
    const ms = s.reduce((a, v) => a + v * v, 0) / s.length;
    assert.ok(Math.abs(ms - (m.side === 'x' ? m.shareX : m.shareY)) < 1e-12);
  }
  assert.ok(Math.abs(out.specDiff.xNotY - Math.max(...ref)) < 1e-12);
});

test('identical sets in another row order: J·G is nilpotent, everything is within the floor, no modes', async () => {
  const n = 60,
    d = 4,
    X = { data: randomF32(n * d, 9), rows: n, cols: d };
  const Y = { data: new Float32Array(n * d), rows: n, cols: d };
  for (let i = 0; i < n; i++) Y.data.set(X.data.subarray(((i * 7) % n) * d, (((i * 7) % n) + 1) * d), i * d);
  const out = await fincExactRoute(input(X, Y, { type: 'gaussian', sigma: 1 }, { topK: 4 }), new Counting(), {});
  assert.deepEqual(out.modes, []);
  assert.deepEqual(out.specDiff, { xNotY: 0, yNotX: 0, norm: 0 });
});

test('topK beyond the pooled rank: no mode repeated between the two ends, fewer modes than asked', async () => {
  const X = { data: randomF32(3 * 2, 3), rows: 3, cols: 2 },
    Y = { data: randomF32(2 * 2, 4), rows: 2, cols: 2 };
  const out = await fincExactRoute(input(X, Y, 'cosine', { topK: 10, samplesPerMode: 10 }), new Counting(), {});
  // the cosine kernel in 2 columns: rank ≤ 2, so at most 2 modes
  assert.ok(out.modes.length <= 2 && out.modes.length >= 1);
  const vals = out.modes.map((m) => m.eigenvalue);
  assert.equal(new Set(vals).size, vals.length);
  for (const m of out.modes) assert.equal(m.top.length, m.side === 'x' ? 3 : 2);
});

// FINC's covariance route (src/methods/routes/finc-covariance.ts) in process
// (threads: 1): both sets into SX, SY under one feature map, CX − η·CY solved,
// each set scored, against the NumPy fixtures (tests/fixtures/finc); its noise
// floor on identical sets; its stages' progress.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/index.js';
import { fincCovarianceRoute } from '../../../../src/methods/routes/finc-covariance.js';
import { randomF32 } from '../../../shared/rng.mjs';
import { checkModes, Counting, fincJob, fixture, rejectsInput, rowsOf } from './jobs.js';

await init();

/** The route's floor (finc-solve.ts): 4·u32·(tr CX + η·tr CY). */
const floorOf = (traceScale: number) => 4 * 2 ** -24 * traceScale;

for (const name of ['linear-eta', 'rank-deficient', 'gaussian-rff', 'cosine-eta2']) {
  test(`fixture ${name}: modes, shares and SPEC-diff of CX − η·CY`, async () => {
    const f = fixture('finc', name);
    const kernel = f.kernel === 'gaussian' ? { type: 'gaussian' as const, sigma: f.sigma, rffDim: f.rffDim } : f.kernel;
    const X = rowsOf(f.X),
      Y = rowsOf(f.Y);
    const coop = new Counting();
    const out = await fincCovarianceRoute(fincJob(X, Y, { kernel, eta: f.eta, topK: f.topK, samplesPerMode: f.samplesPerMode, seed: f.seed ?? 0 }), coop, {});
    const scale = f.traceScale,
      floor = floorOf(scale),
      tol = 1e-6 * scale;
    const want = f.modes.filter((m: any) => Math.abs(m.eigenvalue) > floor);
    checkModes(out.modes, want, { value: tol, score: 1e-5 * Math.sqrt(scale) });
    out.modes.forEach((m, i) => {
      assert.ok(Math.abs(m.shareX - want[i].shareX) <= tol, `shareX ${m.shareX} vs ${want[i].shareX}`);
      assert.ok(Math.abs(m.shareY - want[i].shareY) <= tol, `shareY ${m.shareY} vs ${want[i].shareY}`);
    });
    assert.ok(Math.abs(out.specDiff.xNotY - f.specDiff.xNotY) <= tol);
    assert.ok(Math.abs(out.specDiff.yNotX - f.specDiff.yNotX) <= tol);
    assert.equal(out.threads, undefined);
    const total = X.rows + Y.rows;
    assert.deepEqual([...new Set(coop.events.map((e) => e.stage))], ['accumulate', 'solve', 'scores']);
    assert.deepEqual(coop.events.at(-1), { stage: 'scores', done: total, total });
  });
}

test('the same set fed as X and Y in another row order: every eigenvalue is within the floor, so no modes', async () => {
  const n = 700,
    d = 6,
    X = { data: randomF32(n * d, 5), rows: n, cols: d };
  const Y = { data: new Float32Array(n * d), rows: n, cols: d };
  for (let i = 0; i < n; i++) Y.data.set(X.data.subarray(((i * 3) % n) * d, (((i * 3) % n) + 1) * d), i * d);
  const out = await fincCovarianceRoute(fincJob(X, Y, { kernel: 'linear', topK: 3 }), new Counting(), {});
  assert.deepEqual(out.modes, []);
  assert.deepEqual(out.specDiff, { xNotY: 0, yNotX: 0, norm: 0 });
  assert.ok(out.noiseDropped <= 6);
});

test("η = 0: the modes are CX's alone, side x only", async () => {
  const f = fixture('finc', 'linear-eta');
  const X = rowsOf(f.X);
  const out = await fincCovarianceRoute(fincJob(X, rowsOf(f.Y), { kernel: 'linear', eta: 0, topK: 8, samplesPerMode: 1 }), new Counting(), {});
  assert.ok(out.modes.every((m) => m.side === 'x'));
  // vᵀCX v = λ when η = 0, and the shares of the eight modes sum to tr CX
  for (const m of out.modes) assert.ok(Math.abs(m.shareX - m.eigenvalue) < 1e-9 * m.eigenvalue);
  const trCX = X.data.reduce((s, v) => s + v * v, 0) / X.rows;
  assert.ok(Math.abs(out.modes.reduce((s, m) => s + m.eigenvalue, 0) - trCX) < 1e-6 * trCX);
  // CX (D = 8, full rank) is positive definite: λmin > 0 is the smallest mode, and yNotX = −λmin
  assert.equal(out.modes.length, 8);
  assert.equal(out.specDiff.yNotX, -out.modes[7].eigenvalue);
});

test('a non-finite value in Y is refused naming Y and its row', async () => {
  const X = { data: randomF32(30 * 4, 1), rows: 30, cols: 4 },
    Y = { data: randomF32(20 * 4, 2), rows: 20, cols: 4 };
  Y.data[13 * 4 + 2] = Infinity;
  await rejectsInput(
    fincCovarianceRoute(fincJob(X, Y, { kernel: 'linear' }), new Counting(), {}),
    'non-finite value Infinity at row 14, column 3 (1-based)',
    'Y',
  );
});

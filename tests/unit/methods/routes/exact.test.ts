// The exact route (src/methods/routes/exact.ts) on its own: Λ = KX − η·KY from
// the kernels, its extreme eigenpairs and the modes' top samples, against the
// NumPy fixtures (tests/fixtures/compare) and against the non-zero spectrum
// computed here from the features in f64; its refusals, its noise floor, and the
// ticks and progress of its stages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/index.js';
import { exactRoute, EXACT_NOISE, type SideGram } from '../../../../src/methods/routes/exact.js';
import { unitRows } from '../../../property/helpers/reference.js';
import { randomF32 } from '../../../shared/rng.mjs';
import { checkModes, Counting, fixture, lambdaByFeatures, maxDiff, rejectsInput, rowsOf, specJob } from './jobs.js';

await init();

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });

for (const name of ['linear-eta', 'duplicate-rows', 'n-less-than-d']) {
  test(`fixture ${name}: eigenvalues, SPEC-diff and top samples as numpy.linalg.eigh gives them`, async () => {
    const f = fixture('compare', name);
    const X = rowsOf(f.X),
      Y = rowsOf(f.Y),
      n = X.rows;
    const job = specJob(X, Y, { kx: f.kernelX, ky: f.kernelY, eta: f.eta, topK: f.topK, samplesPerMode: f.samplesPerMode });
    const out = await exactRoute(job, new Counting(), {});
    // small n²·d: the kernels are formed in f64, so the match is to round-off
    const tol = 1e-10 * f.norm;
    assert.ok(Math.abs(out.specDiff.xNotY - f.lambdaMax) <= tol);
    assert.ok(Math.abs(out.specDiff.yNotX + f.lambdaMin) <= tol);
    assert.ok(Math.abs(out.specDiff.norm - f.norm) <= tol);
    // the noise floor is 16u of trace KX/n + η·trace KY/n (1 per row for cosine)
    const trace = f.kernelX === 'cosine' ? 1 + f.eta : (X.data.reduce((s, v) => s + v * v, 0) + f.eta * Y.data.reduce((s, v) => s + v * v, 0)) / n;
    const floor = EXACT_NOISE * trace;
    const want = f.modes.filter((m: any) => Math.abs(m.eigenvalue) > floor);
    checkModes(out.modes, want, { value: tol, score: 1e-7 });
    assert.deepEqual(
      Array.from(out.eigenvalues),
      out.modes.map((m) => m.eigenvalue),
    );
    assert.equal(out.threads, undefined);
  });
}

test("n < topK: each of Λ's n eigenpairs is reported once, none twice from the overlapping ends", async () => {
  const f = fixture('compare', 'n-less-than-d');
  const out = await exactRoute(specJob(rowsOf(f.X), rowsOf(f.Y), { topK: 50, samplesPerMode: 3 }), new Counting(), {});
  const ref = (f.eigenvalues as number[]).filter((v) => Math.abs(v) > 1e-9);
  const got = Array.from(out.eigenvalues).sort((a, b) => a - b);
  assert.equal(got.length, ref.length);
  assert.ok(maxDiff(got, ref) < 1e-10);
  assert.ok(out.modes.every((m) => m.top.length === 3));
});

test('η = 0 with n ≤ D: Λ = KX is positive definite, every mode is on side x and yNotX = −λmin < 0', async () => {
  const f = fixture('compare', 'n-less-than-d');
  const X = rowsOf(f.X),
    n = X.rows;
  const out = await exactRoute(specJob(X, rowsOf(f.Y), { eta: 0, topK: 10 }), new Counting(), {});
  const ref = lambdaByFeatures(unitRows(X), X.cols, new Float64Array(0), 0, n, 0).filter((v) => v > 1e-9);
  assert.ok(out.modes.every((m) => m.side === 'x'));
  assert.equal(out.modes.length, ref.length); // rank n = 8 < d
  assert.ok(maxDiff(out.eigenvalues, ref) < 1e-12);
  // λmin is the smallest positive eigenvalue here (0 is not in Λ's spectrum)
  assert.ok(Math.abs(out.specDiff.yNotX + ref.at(-1)!) < 1e-12);
});

test('n²·d beyond the f64 path: f32 products summed in f64 match the spectrum from the features', async () => {
  // 560² · 70 > 2e7: the Gram of the wasm kernels, in steps
  const n = 560,
    d = 70,
    X = mat(n, d, 11),
    Y = mat(n, d, 12),
    eta = 0.8;
  const coop = new Counting();
  const out = await exactRoute(specJob(X, Y, { kx: 'linear', ky: 'linear', eta, topK: 4, samplesPerMode: 2 }), coop, {});
  const ref = lambdaByFeatures(Float64Array.from(X.data), d, Float64Array.from(Y.data), d, n, eta);
  const top = Array.from(ref.subarray(0, 4)),
    bottom = Array.from(ref.subarray(ref.length - 4)).reverse();
  const xs = out.modes.filter((m) => m.side === 'x').map((m) => m.eigenvalue),
    ys = out.modes.filter((m) => m.side === 'y').map((m) => m.eigenvalue);
  const scale = Math.max(...ref.map(Math.abs));
  assert.ok(maxDiff(xs, top) < 1e-5 * scale, `${xs} vs ${top}`);
  assert.ok(maxDiff(ys, bottom) < 1e-5 * scale, `${ys} vs ${bottom}`);
  // every stage reports, in order, and ends complete
  const stages = [...new Set(coop.events.map((e) => e.stage))];
  assert.deepEqual(stages, ['features', 'gram', 'solve', 'scores']);
  assert.deepEqual(coop.events.at(-1), { stage: 'scores', done: n, total: n, message: 'rows' });
  assert.ok(coop.ticks >= 4, `${coop.ticks} ticks`);
});

test('top samples follow the sign rule sum(u) ≥ 0 and returnScores keeps u itself (unit length)', async () => {
  const f = fixture('compare', 'linear-eta');
  const out = await exactRoute(
    specJob(rowsOf(f.X), rowsOf(f.Y), { kx: 'linear', ky: 'linear', eta: 0.5, topK: 3, samplesPerMode: 4, returnScores: true }),
    new Counting(),
    {},
  );
  for (const m of out.modes) {
    const u = m.scores!;
    assert.equal(u.length, 90);
    assert.ok(u.reduce((s, v) => s + v, 0) >= 0);
    assert.ok(Math.abs(u.reduce((s, v) => s + v * v, 0) - 1) < 1e-10);
    const sorted = Array.from(u)
      .map((v, i) => [v, i])
      .sort((a, b) => b[0] - a[0])
      .slice(0, 4);
    assert.deepEqual(
      m.top.map((t) => t.score),
      sorted.map((s) => s[0]),
    );
  }
});

test('X = Y with η = 1: Λ is exactly 0, so no modes and a zero SPEC-diff', async () => {
  const X = mat(40, 6, 3);
  const out = await exactRoute(specJob(X, X, { kx: 'linear', ky: 'linear', topK: 5 }), new Counting(), {});
  assert.deepEqual(out.modes, []);
  assert.deepEqual(out.specDiff, { xNotY: 0, yNotX: 0, norm: 0 });
  assert.equal(out.noiseDropped, 0);
});

test('a side Gram given by the caller: Λ = diag(a) − η·diag(b), modes at unit vectors, eigenvalues within the floor dropped and counted', async () => {
  const n = 6,
    a = [3, 1, 0, 0, 0, 0],
    b = [0, 0, 0, 2, 1e-9, 0],
    eta = 0.5;
  const sideGram: SideGram = async (side, out, coop, base, total) => {
    const g = out.view.fill(0),
      v = side === 'X' ? a : b;
    for (let i = 0; i < n; i++) g[i * n + i] = v[i];
    coop.progress('gram', base + n, total);
    return side === 'X' ? 3 : 0;
  };
  const X = mat(n, 2, 1),
    Y = mat(n, 2, 2);
  const out = await exactRoute(specJob(X, Y, { eta, topK: 3, samplesPerMode: 1 }), new Counting(), {}, sideGram);
  // floor = 16u·(4 + 0.5·(2 + 1e-9)) ≈ 4.8e-6: −0.5e-9 is noise
  assert.deepEqual(Array.from(out.eigenvalues), [3, 1, -1]);
  assert.deepEqual(
    out.modes.map((m) => [m.side, m.rank, m.top[0].index, m.top[0].score]),
    [
      ['x', 1, 0, 1],
      ['x', 2, 1, 1],
      ['y', 1, 3, 1],
    ],
  );
  assert.equal(out.noiseDropped, 1);
  assert.deepEqual(out.specDiff, { xNotY: 3, yNotX: 1, norm: 3 });
  assert.equal(out.threads, 3, 'the most workers a side used');
});

test('refusals name the side and the row: non-finite value, zero row under cosine, σ too small', async () => {
  const X = mat(5, 3, 1),
    Y = mat(5, 3, 2);
  const bad = { ...X, data: X.data.slice() };
  bad.data[2 * 3 + 1] = NaN;
  await rejectsInput(exactRoute(specJob(bad, Y), new Counting(), {}), 'non-finite value NaN at row 3, column 2 (1-based)', 'X');
  const zero = { ...Y, data: Y.data.slice() };
  zero.data.fill(0, 3 * 3, 4 * 3);
  await rejectsInput(exactRoute(specJob(X, zero), new Counting(), {}), 'row 4 (1-based) is all zeros: the cosine kernel needs non-zero rows', 'Y');
  // under the linear kernel a zero row is fine
  await exactRoute(specJob(X, zero, { ky: 'linear' }), new Counting(), {});
  // (x − mean)/σ beyond 1e18 is refused, naming the first such value (row-major)
  const sigma = 1e-20;
  const mean = [0, 1, 2].map((j) => {
    let s = 0;
    for (let i = 0; i < 5; i++) s += X.data[i * 3 + j] / 5;
    return s;
  });
  const v = (X.data[0] - mean[0]) / sigma;
  await rejectsInput(
    exactRoute(specJob(X, Y, { kx: { type: 'gaussian', sigma } }), new Counting(), {}),
    `sigma = ${sigma} is too small for the data of X: (x − mean)/sigma reaches ${v.toExponential(2)}, beyond float32 range for squared distances`,
    'X',
  );
});

test('an abort during the route stops it with AbortError', async () => {
  const ac = new AbortController();
  const coop = new Counting(ac.signal);
  const orig = coop.progress.bind(coop);
  coop.progress = (stage, done, total, message) => {
    if (stage === 'gram') ac.abort();
    orig(stage, done, total, message);
  };
  await assert.rejects(exactRoute(specJob(mat(30, 4, 1), mat(30, 4, 2)), coop, {}), { name: 'AbortError' });
  // seen at the next tick, while Λ is formed: the solve never starts
  assert.ok(!coop.events.some((e) => e.stage === 'solve'));
});

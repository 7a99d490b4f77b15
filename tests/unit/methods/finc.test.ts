// finc() as a pipeline of its own decisions: FINC's option check, the route 'auto'
// chooses and its reason, the D × D refusal that points to the exact route, notes and
// timing stages — on small inputs, with the numbers checked against NumPy
// (tests/fixtures/finc: eigh of CX − η·CY, and of the pooled kernel matrix).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from '../../../src/index.js';
import { finc, fincSources, FINC_EXACT_MAX, FINC_EXACT_MAX_AUTO } from '../../../src/methods/finc.js';
import { checkNames } from '../../../src/validate/inputs.js';
import { MAX_COVARIANCE_DIM } from '../../../src/sums/spec-sums.js';
import { matrixSource, type RowSource } from '../../../src/validate/source.js';
import { InputError } from '../../../src/errors.js';
import type { FincOptions, FincResult } from '../../../src/types/finc.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/finc/${name}.json`, import.meta.url), 'utf8'));
const STAGES = ['read', 'sigma', 'workers', 'features', 'gram', 'accumulate', 'solve', 'scores', 'rffError', 'metrics', 'significance', 'total'];

async function inputError(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InputError, `an InputError, got ${String(e)}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

function unread(rows: number, cols: number, name: string): RowSource {
  return { rows, cols, name, read: () => assert.fail(`${name} was read`) };
}

function checkTimings(r: FincResult, want: { read: boolean; sigma: boolean }): void {
  const t = r.timings as Record<string, number>;
  for (const [k, v] of Object.entries(t)) {
    assert.ok(STAGES.includes(k), `unknown timing ${k}`);
    assert.ok(Number.isFinite(v) && v >= 0, `${k} = ${v}`);
  }
  assert.ok('total' in t);
  assert.equal('read' in t, want.read, 'read');
  assert.equal('sigma' in t, want.sigma, 'sigma');
  const sum = Object.entries(t)
    .filter(([k]) => k !== 'total')
    .reduce((s, [, v]) => s + v, 0);
  assert.ok(sum <= t.total * (1 + 1e-9) + 1e-9, `stages ${sum} s > total ${t.total} s`);
}

test('method auto: covariance for exact feature maps, exact for a Gaussian up to 1000 samples, RFF beyond', async () => {
  assert.equal(FINC_EXACT_MAX_AUTO, 1000);
  const c = await finc(mat(30, 5, 1), mat(20, 5, 2), { topK: 1 });
  assert.deepEqual(
    [c.method, c.methodReason],
    ['covariance', "the cosine kernel's features are exact (D = 5): the D × D covariance is exact and linear in nx + ny"],
  );
  const l = await finc(mat(30, 5, 1), mat(20, 5, 2), { topK: 1, kernel: 'linear' });
  assert.equal(l.methodReason, "the linear kernel's features are exact (D = 5): the D × D covariance is exact and linear in nx + ny");
  const g = await finc(mat(40, 4, 3), mat(30, 4, 4), { topK: 1, kernel: { type: 'gaussian', sigma: 1 } });
  assert.deepEqual([g.method, g.methodReason], ['exact', 'nx + ny = 70 ≤ 1000: the pooled kernel matrix is quick to eigendecompose and free of RFF error']);
  const big = await finc(mat(600, 3, 5), mat(401, 3, 6), { topK: 1, samplesPerMode: 1, kernel: { type: 'gaussian', sigma: 1, rffDim: 20 }, threads: 1 });
  assert.deepEqual([big.method, big.methodReason], ['covariance', 'nx + ny = 1001 > 1000: random Fourier features keep the work linear in nx + ny']);
  for (const method of ['exact', 'covariance'] as const) {
    const r = await finc(mat(30, 5, 1), mat(20, 5, 2), { topK: 1, method });
    assert.deepEqual([r.method, r.methodReason], [method, 'requested']);
  }
});

test('refusals before any row is read: exact beyond 4000 samples, D beyond what one covariance holds', async () => {
  assert.equal(FINC_EXACT_MAX, 4000);
  await inputError(
    fincSources(unread(2001, 3, 'a.npy'), unread(2000, 3, 'b.npy'), { method: 'exact' }),
    "method 'exact' eigendecomposes the pooled 4001 × 4001 kernel matrix; it is limited to nx + ny ≤ 4000; use 'covariance'",
  );
  const d = MAX_COVARIANCE_DIM + 1;
  const bytes = d * d * 8;
  const size = bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  await inputError(
    fincSources(unread(3, d, 'a.npy'), unread(4, d, 'b.npy'), { kernel: 'linear' }),
    `d = ${d} under the linear kernel gives D = ${d} features: each of the two D × D f64 covariances would need ${size}, more than one WebAssembly allocation holds (D ≤ ${MAX_COVARIANCE_DIM}); nx + ny = 7 is small enough for method 'exact' (--method exact: the pooled 7 × 7 kernel matrix)`,
  );
  const m = Math.ceil(d / 2);
  await assert.rejects(
    fincSources(unread(3, 2, 'a'), unread(4, 2, 'b'), { kernel: { type: 'gaussian', sigma: 1, rffDim: m }, method: 'covariance' }),
    (e: unknown) => e instanceof InputError && (e as Error).message.startsWith(`rffDim of kernel = ${m} gives D = ${2 * m} features`),
  );
});

test('finc option names (validate/inputs checkNames): one kernel, and unknown names with the nearest valid one', async () => {
  assert.throws(
    () => checkNames('finc', { kernelY: 'cosine' } as FincOptions),
    /^InputError: FINC has one kernel for both sets: use `kernel`, not kernelX\/kernelY$/,
  );
  assert.throws(() => checkNames('finc', { kernal: 'cosine' } as FincOptions), /^InputError: unknown option kernal; did you mean kernel\?$/);
  assert.throws(() => checkNames('finc', 3 as any), /^InputError: options must be an object$/);
  checkNames('finc', undefined);
  checkNames('finc', { kernel: 'linear', eta: 2, topK: 3, samplesPerMode: 4, seed: 1, method: 'auto', returnScores: true, threads: 2, worker: false });
  await inputError(finc(mat(5, 2, 1), mat(5, 2, 2), { kernelX: 'cosine' } as any), 'FINC has one kernel for both sets: use `kernel`, not kernelX/kernelY');
  await inputError(fincSources(unread(5, 2, 'a'), unread(5, 2, 'b'), { etta: 1 } as any), 'unknown option etta; did you mean eta?');
});

test('the result: task, sizes, settings, notes and timing stages', async () => {
  const X = mat(30, 4, 7),
    Y = mat(20, 4, 8);
  const r = await finc(X, Y, { kernel: { type: 'gaussian', rffDim: 64 }, topK: 80, samplesPerMode: 31, eta: 2 });
  assert.deepEqual([r.task, r.nx, r.ny, r.eta, r.method], ['finc', 30, 20, 2, 'exact']);
  assert.equal(r.kernel.type, 'gaussian');
  assert.ok(!('rffDim' in r.kernel));
  assert.deepEqual(r.notes, [
    'topK = 80 is more than the 50 eigenvalues of the pooled 50 × 50 kernel matrix: using 50',
    'samplesPerMode = 31 is more than the 30 samples of X and 20 of Y: listing all of them per mode',
    'rffDim = 64 is not used: the exact route evaluates the kernel itself, with no random features',
  ]);
  assert.deepEqual(
    Array.from(r.eigenvalues),
    r.modes.map((m) => m.eigenvalue),
  );
  checkTimings(r, { read: true, sigma: true });
  const cov = await finc(X, Y, { kernel: 'linear', topK: 20, method: 'covariance', threads: 1 });
  assert.deepEqual(cov.kernel, { type: 'linear' });
  assert.deepEqual(cov.notes, ['topK = 20 is more than the 4 eigenvalues of the 4 × 4 covariance (D = 4 features): using 4']);
  checkTimings(cov, { read: true, sigma: false });
  const rff = await finc(X, Y, { kernel: { type: 'gaussian', sigma: 1.5, rffDim: 8 }, topK: 1, method: 'covariance', threads: 1 });
  assert.deepEqual(rff.kernel, { type: 'gaussian', sigma: 1.5, rffDim: 8 });
  // sources are named in the notes by their own names
  const src = await fincSources(matrixSource(X, 'x.npy'), matrixSource(Y, 'y.npy'), { topK: 1, samplesPerMode: 31 });
  assert.deepEqual(src.notes, ['samplesPerMode = 31 is more than the 30 samples of x.npy and 20 of y.npy: listing all of them per mode']);
  for (const k of Object.keys(src.timings)) assert.ok(STAGES.includes(k), k);
  assert.equal((await fincSources(matrixSource(X, 'x.npy'), matrixSource(Y, 'y.npy'), { topK: 1, samplesPerMode: 30 })).notes, undefined);
});

test('timings.sigma is absent when σ is given (TimingInfo: "σ = \'auto\' … a stage the route does not have is absent")', async () => {
  const r = await finc(mat(30, 4, 7), mat(20, 4, 8), { kernel: { type: 'gaussian', sigma: 1.5 }, topK: 1 });
  assert.ok(!('sigma' in r.timings), JSON.stringify(r.timings));
});

test('SPEC-diff and eigenvalues of both routes match numpy.linalg.eigh', async () => {
  for (const [name, method] of [
    ['cosine', 'covariance'],
    ['gaussian-exact', 'exact'],
  ] as const) {
    const f = fixture(name);
    const r = await finc(f.X, f.Y, { kernel: f.kernel, eta: f.eta, topK: f.topK, samplesPerMode: f.samplesPerMode });
    assert.equal(r.method, method, name);
    const tol = 1e-6 * f.specDiff.norm;
    for (const k of ['xNotY', 'yNotX', 'norm'] as const) {
      assert.ok(Math.abs(r.specDiff[k] - f.specDiff[k]) <= tol, `${name} ${k}: ${r.specDiff[k]} vs ${f.specDiff[k]}`);
    }
    const ref = f.modes.filter((m: any) => m.side === 'x' && Math.abs(m.eigenvalue) > 1e-5 * f.specDiff.norm);
    const got = r.modes.filter((m) => m.side === 'x');
    ref.forEach((m: any, i: number) =>
      assert.ok(Math.abs(got[i].eigenvalue - m.eigenvalue) <= tol, `${name} x${i + 1}: ${got[i].eigenvalue} vs ${m.eigenvalue}`),
    );
  }
});

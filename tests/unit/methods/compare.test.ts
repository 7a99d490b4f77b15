// compare() as a pipeline of its own decisions: option names checked first, the route
// 'auto' chooses and the reason it gives, the notes, the result's settings and its
// timing stages — on small inputs. The numbers are checked against NumPy
// (tests/fixtures/compare) and σ = auto against a plain f64 median.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from '../../../src/index.js';
import { compare, compareSources, unusedRff, EXACT_MAX_AUTO } from '../../../src/methods/compare.js';
import { checkFiniteSteps } from '../../../src/validate/inputs.js';
import { EXACT_MAX } from '../../../src/methods/routes/exact.js';
import { Cooperative } from '../../../src/runtime/cooperative.js';
import { matrixSource, type RowSource } from '../../../src/validate/source.js';
import { InputError } from '../../../src/errors.js';
import type { CompareOptions, SpecResult } from '../../../src/types/index.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/compare/${name}.json`, import.meta.url), 'utf8'));
const STAGES = ['read', 'sigma', 'workers', 'features', 'gram', 'accumulate', 'solve', 'scores', 'rffError', 'metrics', 'significance', 'total'];

async function inputError(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InputError, `an InputError, got ${String(e)}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

/** A source that fails the test if read (the refusals come before any row is read). */
function unread(rows: number, cols: number, name: string): RowSource {
  return { rows, cols, name, read: () => assert.fail(`${name} was read`) };
}

/** Every stage is a documented key, a number ≥ 0, and the stages (disjoint in process) fit in total. */
function checkTimings(r: SpecResult, want: { read: boolean; sigma: boolean }): void {
  const t = r.timings as unknown as Record<string, number>;
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

test('method auto: exact while n ≤ D, exact up to 4000 samples, covariance beyond, each with its reason', async () => {
  assert.equal(EXACT_MAX_AUTO, 4000);
  const small = await compare(mat(8, 5, 1), mat(8, 5, 2), { topK: 1 });
  assert.equal(small.method, 'exact');
  assert.equal(small.methodReason, 'n = 8 ≤ D = 10: the n × n kernels are the smaller problem');
  const mid = await compare(mat(30, 5, 3), mat(30, 4, 4), { topK: 1 });
  assert.equal(mid.method, 'exact');
  assert.equal(mid.methodReason, 'n = 30 ≤ 4000: exact kernels are cheap and free of RFF error');
  // D counts 2m per Gaussian side (m = 1000 by default)
  const g = await compare(mat(50, 3, 5), mat(50, 3, 6), { topK: 1, kernelX: { type: 'gaussian', sigma: 1 } });
  assert.equal(g.methodReason, 'n = 50 ≤ D = 2003: the n × n kernels are the smaller problem');
  const big = await compare(mat(4001, 2, 7), mat(4001, 2, 8), { topK: 1, samplesPerMode: 1, threads: 1 });
  assert.equal(big.method, 'covariance');
  assert.equal(big.methodReason, 'n = 4001 > max(4000, D = 4): the D × D covariance is linear in n');
  for (const method of ['exact', 'covariance'] as const) {
    const r = await compare(mat(30, 5, 3), mat(30, 4, 4), { topK: 1, method });
    assert.deepEqual([r.method, r.methodReason], [method, 'requested']);
  }
});

test('method exact beyond EXACT_MAX is refused before any row is read', async () => {
  const n = EXACT_MAX + 1;
  await inputError(
    compareSources(unread(n, 2, 'x.npy'), unread(n, 2, 'y.npy'), { method: 'exact' }),
    `method 'exact' needs two ${n} × ${n} kernel matrices, more than WebAssembly memory holds (n ≤ ${EXACT_MAX}); use 'covariance'`,
  );
});

test('option names and kernel options are checked first, under the name they were passed as', async () => {
  const X = mat(6, 2, 9),
    Y = mat(6, 2, 10);
  await inputError(compare(X, Y, { topk: 3 } as CompareOptions), 'unknown option topk; did you mean topK?');
  await inputError(compare(X, Y, { kernelY: 'rbf' } as any), 'kernelY must be one of cosine, linear, gaussian, got "rbf"');
  await inputError(compare(X, Y, { kernel: { type: 'gaussian', sigma: 0 } }), "sigma of kernel must be a number > 0 or 'auto', got 0");
  await inputError(
    compareSources(unread(6, 2, 'x'), unread(6, 2, 'y'), { kernelX: { type: 'linear', rffDim: 0 } }),
    'rffDim of kernelX must be an integer ≥ 1, got 0',
  );
  await inputError(compare(X, Y, { worker: 'yes' } as any), 'worker must be true or false, got yes');
  // option names come before X's shape (validate/inputs: names, shapes, values, settings)
  await inputError(compare({ data: new Float32Array(3), rows: 2, cols: 2 }, Y, { topk: 1 } as any), 'unknown option topk; did you mean topK?');
  await inputError(compare({ data: new Float32Array(3), rows: 2, cols: 2 }, Y, { topK: 1 }), 'X: data has 3 values but shape 2 × 2 needs 4');
  // in-memory values are checked before any option that needs the data
  const bad = mat(6, 2, 11);
  bad.data[7] = NaN;
  await inputError(compare(X, bad, { kernel: 'gaussian' }), 'Y: non-finite value NaN at row 4, column 2 (1-based)');
});

test('the result reports the settings, σ = auto per side, notes, and its timing stages', async () => {
  const X = mat(40, 3, 12),
    Y = mat(40, 6, 13);
  const r = await compare(X, Y, { kernelY: { type: 'gaussian', rffDim: 50 }, eta: 0.5, topK: 50, samplesPerMode: 41, seed: 2 });
  assert.equal(r.n, 40);
  assert.equal(r.eta, 0.5);
  assert.equal(r.method, 'exact');
  assert.deepEqual(r.kernelX, { type: 'cosine' });
  // the median pairwise distance of all 40 rows of Y
  const dist: number[] = [];
  for (let i = 0; i < 40; i++)
    for (let k = i + 1; k < 40; k++) {
      let s = 0;
      for (let j = 0; j < 6; j++) s += (Y.data[i * 6 + j] - Y.data[k * 6 + j]) ** 2;
      dist.push(Math.sqrt(s));
    }
  dist.sort((a, b) => a - b);
  const median = (dist[389] + dist[390]) / 2;
  assert.equal(r.kernelY.type, 'gaussian');
  assert.ok(Math.abs(r.kernelY.sigma! - median) <= 1e-12 * median, `${r.kernelY.sigma} vs ${median}`);
  assert.ok(!('rffDim' in r.kernelY), 'the exact route reports no m');
  assert.deepEqual(r.notes, [
    'topK = 50 is more than the 40 eigenvalues of the 40 × 40 Λ: using 40',
    'samplesPerMode = 41 is more than the 40 samples: listing all of them per mode',
    'rffDim = 50 of kernelY is not used: the exact route evaluates the kernel itself, with no random features',
  ]);
  checkTimings(r, { read: true, sigma: true });
  const plain = await compare(X, Y, { topK: 2 });
  assert.equal(plain.notes, undefined);
  checkTimings(plain, { read: true, sigma: false });
  // over sources nothing in memory is scanned ahead
  const s = await compareSources(matrixSource(X, 'X'), matrixSource(Y, 'Y'), { topK: 2, method: 'covariance' });
  assert.equal(s.method, 'covariance');
  for (const k of Object.keys(s.timings)) assert.ok(STAGES.includes(k), k);
  assert.ok(!('sigma' in s.timings));
});

test('timings.sigma is absent when σ is given (TimingInfo: "σ = \'auto\' … a stage the route does not have is absent")', async () => {
  const r = await compare(mat(20, 3, 14), mat(20, 3, 15), { kernel: { type: 'gaussian', sigma: 2 }, topK: 1 });
  assert.ok(!('sigma' in r.timings), JSON.stringify(r.timings));
});

test('eigenvalues on the route auto chooses match numpy.linalg.eigh of KX − η·KY', async () => {
  const f = fixture('cosine');
  const r = await compare(f.X, f.Y, { topK: f.topK, samplesPerMode: f.samplesPerMode });
  assert.equal(r.method, 'exact');
  const tol = 1e-5 * f.norm;
  assert.ok(Math.abs(r.specDiff.xNotY - f.lambdaMax) <= tol, `${r.specDiff.xNotY} vs ${f.lambdaMax}`);
  assert.ok(Math.abs(r.specDiff.yNotX + f.lambdaMin) <= tol, `${r.specDiff.yNotX} vs ${-f.lambdaMin}`);
  assert.ok(Math.abs(r.specDiff.norm - f.norm) <= tol);
  const ref = [...f.eigenvalues].sort((a: number, b: number) => b - a);
  const xs = r.modes.filter((m) => m.side === 'x').map((m) => m.eigenvalue);
  xs.forEach((v, i) => assert.ok(Math.abs(v - ref[i]) <= tol, `λ${i + 1} ${v} vs ${ref[i]}`));
});

test('unusedRff: a note per side that asked for rffDim, on the exact route only', () => {
  const g = { type: 'gaussian' as const, rffDim: 64 };
  assert.deepEqual(unusedRff('covariance', { X: g, Y: g }), []);
  assert.deepEqual(unusedRff('exact', { X: 'gaussian', Y: { type: 'gaussian', sigma: 1 } }), []);
  assert.deepEqual(unusedRff('exact', { X: g, Y: undefined }), [
    'rffDim = 64 of kernelX is not used: the exact route evaluates the kernel itself, with no random features',
  ]);
  assert.deepEqual(unusedRff('exact', { '': g }), ['rffDim = 64 is not used: the exact route evaluates the kernel itself, with no random features']);
});

test('checkFiniteSteps scans in steps of 2¹⁹ values, ticking between them, and names the global row', async () => {
  class Counting extends Cooperative {
    ticks = 0;
    override async tick(): Promise<void> {
      this.ticks++;
    }
  }
  const rows = 4096,
    cols = 512; // 1024 rows a step: 4 steps
  const m = { data: new Float32Array(rows * cols).fill(0.5), rows, cols };
  const c = new Counting();
  await checkFiniteSteps(m, 'X', c);
  assert.equal(c.ticks, 4);
  m.data[3000 * cols + 7] = -Infinity;
  const d = new Counting();
  await inputError(checkFiniteSteps(m, 'emb.npy', d), 'emb.npy: non-finite value -Infinity at row 3001, column 8 (1-based)');
  assert.equal(d.ticks, 2);
  // rows wider than a step: one row a step
  const wide = new Counting();
  await checkFiniteSteps({ data: new Float64Array(3 * (1 << 20)), rows: 3, cols: 1 << 20 }, 'W', wide);
  assert.equal(wide.ticks, 3);
});

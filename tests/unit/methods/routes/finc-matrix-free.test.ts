// FINC's matrix-free solver (src/methods/routes/finc-matrix-free.ts): Lanczos on
// the D × D operator (1/nx)ΦXᵀΦX − (η/ny)ΦYᵀΦY from the cached features must
// match the NumPy fixtures (tests/fixtures/finc) and the SYRK route: modes,
// shares, SPEC-diff, top samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/index.js';
import { fincCovarianceRoute } from '../../../../src/methods/routes/finc-covariance.js';
import type { FincOutcome } from '../../../../src/features/job.js';
import type { KernelOption } from '../../../../src/types/index.js';
import { randomF32 } from '../../../shared/rng.mjs';
import { checkModes, Counting, fincJob, fixture, maxDiff, rowsOf } from './jobs.js';

await init();

const floorOf = (traceScale: number) => 4 * 2 ** -24 * traceScale;

for (const name of ['linear-eta', 'rank-deficient', 'gaussian-rff', 'cosine-eta2']) {
  test(`fixture ${name}: modes, shares and SPEC-diff of CX − η·CY, matrix-free`, async () => {
    const f = fixture('finc', name);
    const kernel = f.kernel === 'gaussian' ? { type: 'gaussian' as const, sigma: f.sigma, rffDim: f.rffDim } : f.kernel;
    const X = rowsOf(f.X),
      Y = rowsOf(f.Y);
    const coop = new Counting();
    const job = fincJob(X, Y, { kernel, eta: f.eta, topK: f.topK, samplesPerMode: f.samplesPerMode, seed: f.seed ?? 0, solver: 'matrix-free' });
    const out = await fincCovarianceRoute(job, coop, {});
    assert.equal(out.solver, 'matrix-free');
    const scale = f.traceScale,
      tol = 1e-6 * scale;
    const want = f.modes.filter((m: any) => Math.abs(m.eigenvalue) > floorOf(scale));
    checkModes(out.modes, want, { value: tol, score: 1e-5 * Math.sqrt(scale) });
    out.modes.forEach((m, i) => {
      assert.ok(Math.abs(m.shareX - want[i].shareX) <= tol, `shareX ${m.shareX} vs ${want[i].shareX}`);
      assert.ok(Math.abs(m.shareY - want[i].shareY) <= tol, `shareY ${m.shareY} vs ${want[i].shareY}`);
    });
    assert.ok(Math.abs(out.specDiff.xNotY - f.specDiff.xNotY) <= tol);
    assert.ok(Math.abs(out.specDiff.yNotX - f.specDiff.yNotX) <= tol);
    const total = X.rows + Y.rows;
    assert.deepEqual([...new Set(coop.events.map((e) => e.stage))], ['features', 'solve', 'scores']);
    assert.deepEqual(coop.events.at(-1), { stage: 'scores', done: total, total, message: 'rows' });
  });
}

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });

function sameModes(a: FincOutcome, b: FincOutcome): void {
  const norm = Math.max(...b.modes.map((m) => Math.abs(m.eigenvalue)));
  assert.deepEqual(
    a.modes.map((m) => `${m.side}${m.rank}`),
    b.modes.map((m) => `${m.side}${m.rank}`),
  );
  assert.ok(
    maxDiff(
      a.modes.map((m) => m.eigenvalue),
      b.modes.map((m) => m.eigenvalue),
    ) <=
      1e-6 * norm,
  );
  b.modes.forEach((m, i) => {
    const got = a.modes[i].top;
    m.top.forEach((t, j) => {
      const sep = Math.min(j > 0 ? m.top[j - 1].score - t.score : Infinity, j + 1 < m.top.length ? t.score - m.top[j + 1].score : Infinity);
      if (sep > 1e-6) assert.equal(got[j].index, t.index, `${m.side}${m.rank} top ${j}`);
    });
  });
}

for (const [kernel, eta] of [
  ['cosine', 1],
  ['cosine', 0],
  ['linear', 1000],
  [{ type: 'gaussian', sigma: 2, rffDim: 40 }, 1.5],
] as [KernelOption, number][]) {
  test(`planted sets, ${JSON.stringify(kernel)}, η = ${eta}: matrix-free equals the SYRK route (20 top samples)`, async () => {
    const X = mat(800, 9, 1),
      Y = mat(600, 9, 2);
    for (let i = 0; i < 800; i += 5) X.data[i * 9 + (i % 3)] += 3;
    const o = { kernel, eta, topK: 4, samplesPerMode: 20 };
    const mf = await fincCovarianceRoute(fincJob(X, Y, { ...o, solver: 'matrix-free' }), new Counting(), {});
    const ref = await fincCovarianceRoute(fincJob(X, Y, { ...o, solver: 'syrk' }), new Counting(), {});
    assert.equal(ref.solver, 'syrk');
    assert.ok(ref.modes.length >= 4, `${ref.modes.length} modes`);
    sameModes(mf, ref);
    const again = await fincCovarianceRoute(fincJob(X, Y, { ...o, solver: 'matrix-free' }), new Counting(), {});
    assert.deepEqual(again, mf);
  });
}

test('an abort mid-solve rejects with AbortError, frees every buffer, and no progress follows it', async () => {
  const { finc } = await import('../../../../src/index.js');
  const { liveAllocations } = await import('../../../../src/wasm/memory.js');
  const before = liveAllocations();
  const X = mat(3000, 40, 11),
    Y = mat(2500, 40, 12);
  const ac = new AbortController();
  let events = 0,
    at = -1;
  await assert.rejects(
    finc(X, Y, {
      kernel: { type: 'gaussian', sigma: 3, rffDim: 300 },
      method: 'covariance',
      solver: 'matrix-free',
      threads: 1,
      signal: ac.signal,
      onProgress: (e) => {
        events++;
        if (e.stage === 'solve' && at < 0) {
          at = events;
          ac.abort();
        }
      },
    }),
    { name: 'AbortError' },
  );
  assert.ok(at > 0, 'the solve reported progress');
  assert.equal(events, at, 'no progress after abort()');
  assert.equal(liveAllocations(), before);
});

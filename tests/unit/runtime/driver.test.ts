// The worker driver (src/runtime/driver.ts) with declarations written here:
// the sums merged from the workers equal one thread's (summation order only),
// the workers' top and bottom samples merge to one thread's, and their score
// histograms to the same cells (counts exactly, sums to summation order), so
// the ends of every mode are one thread's; a declaration with one thread
// runs nowhere (null), and the two sets of a FINC-like declaration are each
// split and summed. The routes' declarations are tested through compare() and
// finc() in covariance.test.ts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, terminateWorkers } from '../../../src/index.js';
import { onWorkers, type SolvedSums } from '../../../src/runtime/driver.js';
import { Cooperative, drain } from '../../../src/runtime/cooperative.js';
import { SpecSums } from '../../../src/sums/spec-sums.js';
import { FincSums } from '../../../src/sums/finc-sums.js';
import { ScorePass } from '../../../src/sums/score-pass.js';
import { TopSamples, type ModeSamples } from '../../../src/score/modes.js';
import { summarizeEnds } from '../../../src/score/ends.js';
import { resolveKernel } from '../../../src/features/kernel.js';
import { matrixSource } from '../../../src/validate/source.js';
import type { Sums } from '../../../src/sums/sums.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();
after(() => terminateWorkers());
const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });
const gauss = resolveKernel({ type: 'gaussian', sigma: 2, rffDim: 150 }, 'X');
const lin = resolveKernel('linear', 'X');

/** A solve that keeps the sums it was handed and scores with fixed vectors. */
function fixedSolve(k: number, seed: number) {
  return (acc: Sums): Generator<never, SolvedSums & { sums: Float64Array[]; rows: number[] }> =>
    (function* () {
      const vectors = acc.rows.map((_, set) => ({ V: randomF32(acc.D * k, seed + set), k, scale: 0.5 }));
      return { sums: acc.takeSums(), rows: [...acc.rows], vectors, samplesPerMode: 7, returnScores: true };
    })();
}

/** Largest |a − b| relative to the largest |b|. */
const rel = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0) / b.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * Merged samples against one thread's: both ends' lists, signs and kept scores identical; the
 * histograms' cells and counts identical and their sums equal to summation order; the ends the
 * cut rule draws from them the same samples (masses to round-off).
 */
function sameSamples(got: ModeSamples[], want: ModeSamples[], what: string): void {
  assert.equal(got.length, want.length);
  got.forEach((g, j) => {
    const w = want[j],
      tag = `${what} mode ${j}`;
    assert.deepEqual([g.top, g.bottom, g.sign, g.scores], [w.top, w.bottom, w.sign, w.scores], tag);
    const a = g.hist.state(),
      b = w.hist.state();
    assert.deepEqual([a.e, a.count, a.min, a.max, a.n], [b.e, b.count, b.min, b.max, b.n], tag);
    assert.ok(rel(a.s1, b.s1) < 1e-12 && rel(a.s2, b.s2) < 1e-12, tag);
    const ea = summarizeEnds([g.hist], g.sign, 'mean'),
      eb = summarizeEnds([w.hist], w.sign, 'mean');
    assert.deepEqual([ea.kind, ea.countTop, ea.countBottom], [eb.kind, eb.countTop, eb.countBottom], tag);
    assert.ok(Math.abs(ea.massTop - eb.massTop) < 1e-12 && Math.abs(ea.massBottom - eb.massBottom) < 1e-12, tag);
  });
}

test("SPEC-like declaration on 3 workers: sums within summation order of one thread's, top samples as one thread scores them", async () => {
  const n = 5 * 1024 + 300,
    dx = 20,
    dy = 12,
    X = mat(n, dx, 1),
    Y = mat(n, dy, 2);
  const sx = matrixSource(X, 'X'),
    sy = matrixSource(Y, 'Y');
  const solve = fixedSolve(3, 9);
  const timings: Record<string, number> = {};
  const out = await onWorkers(
    {
      sets: [[sx, sy]],
      D: 2 * 150 + 2 * 150,
      threads: 3,
      sums: () => SpecSums.ofSteps(gauss, gauss, 0.5, 4, sx, sy),
      shard: { kind: 'spec', kernelX: gauss, kernelY: gauss, eta: 0.5, seed: 4, dx, dy, names: ['X', 'Y'] },
      solve,
      outcome: (solved, tops, threads) => ({ solved, tops: tops.map((t) => t.finish()), threads }),
    },
    new Cooperative(),
    timings,
  );
  assert.ok(out);
  assert.equal(out.threads, 3);
  assert.deepEqual(out.solved.rows, [n]);
  for (const key of ['workers', 'read', 'features', 'accumulate', 'solve', 'scores']) assert.ok(timings[key] >= 0, key);
  const one = SpecSums.of(gauss, gauss, 0.5, 4, sx, sy);
  try {
    drain(one.addSteps(X, Y));
    assert.ok(rel(out.solved.sums[0], one.takeSums()[0]) < 1e-13);
    const top = new TopSamples(3, 7, n, true);
    drain(one.scoreSteps(new ScorePass(one, 0, out.solved.vectors[0], top, n), X, Y));
    sameSamples(out.tops[0], top.finish(), 'SPEC');
  } finally {
    one.dispose();
  }
});

test('FINC-like declaration: both sets split over the workers, each summed and scored; one thread means no workers (null)', async () => {
  const d = 300,
    X = mat(3 * 1024 + 5, d, 3),
    Y = mat(2 * 1024 + 700, d, 4);
  const sx = matrixSource(X, 'X'),
    sy = matrixSource(Y, 'Y');
  const decl = (threads: number) => ({
    sets: [[sx], [sy]],
    D: d,
    threads,
    sums: () => FincSums.ofSteps(lin, 1, 0, sx, sy),
    shard: { kind: 'finc' as const, kernel: lin, eta: 1, seed: 0, d, names: ['X', 'Y'] },
    solve: fixedSolve(2, 5),
    outcome: (solved: any, tops: TopSamples[]) => ({ solved, tops: tops.map((t) => t.finish()) }),
  });
  assert.equal(await onWorkers(decl(1), new Cooperative(), {}), null);
  const out = await onWorkers(decl(2), new Cooperative(), {});
  assert.ok(out);
  assert.deepEqual(out.solved.rows, [X.rows, Y.rows]);
  const one = FincSums.of(lin, 1, 0, sx, sy);
  try {
    drain(one.addSteps(X, 'x'));
    drain(one.addSteps(Y, 'y'));
    const [SX, SY] = one.takeSums();
    assert.ok(rel(out.solved.sums[0], SX) < 1e-12 && rel(out.solved.sums[1], SY) < 1e-12);
    [X, Y].forEach((m, set) => {
      const top = new TopSamples(2, 7, m.rows, true);
      drain(one.scoreSteps(new ScorePass(one, set, out.solved.vectors[set], top, m.rows), m));
      sameSamples(out.tops[set], top.finish(), `set ${set}`);
    });
  } finally {
    one.dispose();
  }
});

test('an abort while the workers accumulate rejects with AbortError', async () => {
  const X = mat(6 * 1024, 16, 5),
    Y = mat(6 * 1024, 16, 6);
  const sx = matrixSource(X, 'X'),
    sy = matrixSource(Y, 'Y');
  const ac = new AbortController();
  const coop = new Cooperative(ac.signal, (e) => {
    if (e.stage === 'accumulate' && e.done > 0) ac.abort();
  });
  await assert.rejects(
    onWorkers(
      {
        sets: [[sx, sy]],
        D: 32,
        threads: 2,
        sums: () => SpecSums.ofSteps(lin, lin, 1, 0, sx, sy),
        shard: { kind: 'spec', kernelX: lin, kernelY: lin, eta: 1, seed: 0, dx: 16, dy: 16, names: ['X', 'Y'] },
        solve: fixedSolve(1, 1),
        outcome: () => 'done',
      },
      coop,
      {},
    ),
    { name: 'AbortError' },
  );
});

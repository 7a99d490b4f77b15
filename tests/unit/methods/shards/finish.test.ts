// The five steps in the library, against NumPy (scripts/fixtures/shards.py): with
// the cosine kernel the features are exact, so 4 shards accumulated, merged,
// solved, scored and finished give Λ's extreme eigenvalues, SPEC-diff and the
// first mode's top samples (global row indices); FINC likewise. finish refuses a
// missing shard, a shard scored twice and scores of another solution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/wasm/loader.js';
import { accumulateShard, finishCompare, finishFinc, mergeParts, scoreShard, solveParts } from '../../../../src/methods/shards/index.js';
import { COSINE, X, expected, rowsOf, shard } from './fixture.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-6 * Math.abs(b) + 1e-9, `${what}: ${a} vs ${b}`);

async function compareRun() {
  await init();
  const parts = await Promise.all([3, 1, 0, 2].map(async (s) => ({ bytes: await accumulateShard(`s${s}`, shard(s), COSINE), file: `p${s}` })));
  const merged = mergeParts(parts);
  const solution = { bytes: await solveParts(merged, 'merged', { topK: 3, samplesPerMode: 5 }), file: 'solution' };
  const scores = await Promise.all(
    [0, 1, 2, 3].map(async (s) => ({ bytes: await scoreShard(solution.bytes, 'solution', `s${s}`, shard(s)), file: `scores-${s}` })),
  );
  return { solution, scores };
}

test('compare: the sharded steps give NumPy’s eigenvalues, SPEC-diff and top samples of Λ', async () => {
  const { solution, scores } = await compareRun();
  const r = finishCompare(solution, scores);
  assert.equal(r.n, expected.n);
  const xs = r.modes.filter((m) => m.side === 'x').map((m) => m.eigenvalue);
  const ys = r.modes.filter((m) => m.side === 'y').map((m) => m.eigenvalue);
  expected.largest.forEach((v: number, i: number) => close(xs[i], v, `λ${i + 1}`));
  expected.smallest.forEach((v: number, i: number) => close(ys[i], v, `λ−${i + 1}`));
  close(r.specDiff.norm, expected.specDiff.norm, 'SPEC-diff');
  assert.deepEqual(
    r.modes[0].top.map((t) => t.index),
    expected.top,
  );
  assert.match(r.methodReason, /4 shards/);
});

test('finish refuses a missing shard, a shard scored twice, and scores of another solution, naming the file', async () => {
  const { solution, scores } = await compareRun();
  assert.throws(() => finishCompare(solution, [scores[0], scores[2], scores[3]]), /no scores for rows 512\.\.1024 of X/);
  assert.throws(() => finishCompare(solution, [...scores, scores[1]]), /scores-1.*twice/);
  const other = await compareRun();
  const otherSolution = {
    bytes: await solveParts(mergeParts([{ bytes: await accumulateShard('s0', shard(0), COSINE), file: 'a' }]), 'a', { topK: 2 }),
    file: 'other',
  };
  assert.throws(() => finishCompare(otherSolution, other.scores), /another solution/);
  assert.throws(() => finishFinc(solution, scores), /compare solution/);
});

test('finc: shards with X, Y or both give NumPy’s eigenvalues of CX − CY', async () => {
  await init();
  // Y' = X's rows in reverse order without every fourth row (scripts/fixtures/shards.py)
  const n = expected.n;
  const rev = new Float32Array(X.data.length);
  for (let i = 0; i < n; i++) rev.set(X.data.subarray((n - 1 - i) * 12, (n - i) * 12), i * 12);
  const keep = Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 !== 3);
  const yd = new Float32Array(keep.length * 12);
  keep.forEach((i, j) => yd.set(rev.subarray(i * 12, (i + 1) * 12), j * 12));
  const Yf = { data: yd, rows: keep.length, cols: 12 };
  // three shards: X only, Y only, both
  const inputs = [{ x: rowsOf(X, 0, 1000, 'x-a') }, { y: rowsOf(Yf, 0, 700, 'y-b') }, { x: rowsOf(X, 1000, n, 'x-c'), y: rowsOf(Yf, 700, Yf.rows, 'y-c') }];
  const opts = { task: 'finc' as const, kernel: 'cosine' as const };
  const parts = await Promise.all(inputs.map(async (s, i) => ({ bytes: await accumulateShard(`s${i}`, s, opts), file: `p${i}` })));
  const sol = await solveParts(mergeParts(parts), 'm', { topK: 2 });
  const scores = await Promise.all(inputs.map(async (s, i) => ({ bytes: await scoreShard(sol, 'sol', `s${i}`, s), file: `sc${i}` })));
  const r = finishFinc({ bytes: sol, file: 'sol' }, scores);
  assert.equal(r.nx, n);
  assert.equal(r.ny, expected.finc.ny);
  const xs = r.modes.filter((m) => m.side === 'x').map((m) => m.eigenvalue);
  const ys = r.modes.filter((m) => m.side === 'y').map((m) => m.eigenvalue);
  expected.finc.largest.forEach((v: number, i: number) => close(xs[i], v, `λ${i + 1}`));
  expected.finc.smallest.forEach((v: number, i: number) => close(ys[i], v, `λ−${i + 1}`));
  // a side-y mode's top samples index Y's rows: below ny
  for (const m of r.modes) for (const t of m.top) assert.ok(t.index < (m.side === 'x' ? r.nx : r.ny));
});

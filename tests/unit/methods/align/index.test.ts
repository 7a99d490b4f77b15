// align() (src/methods/align/index.ts) as the pipeline it is: the checks in
// order with their messages, the seeded held-out split, the before/after
// comparisons on it (recomputed here with compare() on the same rows and the
// returned W), top indices mapped back to rows of X, and the removed modes by
// their definition. The training itself: trainer.test.ts, loss.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { align, alignNamed, applyMap } from '../../../../src/methods/align/index.js';
import { compare } from '../../../../src/methods/compare.js';
import { seededRandom } from '../../../../src/runtime/prng.js';
import { shuffle } from '../../../../src/methods/align/trainer.js';
import { subset } from '../../../../src/methods/align/map.js';
import { InputError } from '../../../../src/errors.js';
import type { Mode } from '../../../../src/types/index.js';
import { randomF32 } from '../../../shared/rng.mjs';

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });

async function inputError(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof InputError && (e as Error).message === message);
}

/** The held-out rows align uses for `seed`: the first round(holdout·n) of a seeded shuffle, ascending. */
function heldOut(n: number, holdout: number, seed: number): Int32Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  shuffle(perm, seededRandom(seed));
  return perm.slice(0, Math.round(holdout * n)).sort();
}

/** Side-x modes of `before` (≥ 10% of the strongest) with less than half of u in the span of after-modes at least half as strong. */
function removedByDefinition(before: Mode[], after: Mode[]): number[] {
  const bx = before.filter((m) => m.side === 'x'),
    ax = after.filter((m) => m.side === 'x');
  return bx
    .filter((mb) => mb.eigenvalue >= 0.1 * bx[0].eigenvalue)
    .filter((mb) => {
      const cap = ax.filter((ma) => ma.eigenvalue >= mb.eigenvalue / 2).reduce((s, ma) => s + ma.scores!.reduce((t, v, i) => t + v * mb.scores![i], 0) ** 2, 0);
      return cap < 0.5;
    })
    .map((m) => m.rank);
}

test('before/after: compare() on the held-out rows with Y, then with ψ(Y) = W·y, top indices as rows of X', async () => {
  const n = 80,
    X = mat(n, 6, 1),
    Y = mat(n, 5, 2);
  const o = { epochs: 3, seed: 4, holdout: 0.5, topK: 3, samplesPerMode: 4, dim: 4 };
  const r = await align(X, Y, o);
  assert.deepEqual([r.n, r.nTrain, r.nHoldout, r.dim, r.dy, r.W.length, r.bias], [n, 40, 40, 4, 5, 20, undefined]);
  const hold = heldOut(n, 0.5, 4);
  const Xh = subset(X, hold),
    Yh = subset(Y, hold);
  const copts = { kernelX: 'cosine' as const, kernelY: 'cosine' as const, topK: 3, samplesPerMode: 4, seed: 4, returnScores: true };
  const before = await compare(Xh, Yh, copts),
    after = await compare(Xh, applyMap(r.W, Yh, { dim: 4 }), copts);
  assert.deepEqual(r.specDiffBefore, before.specDiff);
  assert.deepEqual(r.specDiffAfter, after.specDiff);
  const global = (ms: Mode[]) =>
    ms.map((m) => ({ rank: m.rank, side: m.side, eigenvalue: m.eigenvalue, top: m.top.map((t) => ({ index: hold[t.index], score: t.score })) }));
  assert.deepEqual(r.modesBefore, global(before.modes));
  assert.deepEqual(r.modesAfter, global(after.modes));
  assert.ok(r.modesBefore.every((m) => !('scores' in m)));
  assert.deepEqual(r.removedModes, removedByDefinition(before.modes, after.modes));
  assert.equal(r.kernelX.type, 'cosine');
  assert.ok(r.bestEpoch >= 0 && r.bestEpoch <= r.epochs && r.epochs <= 3);
});

test('Y already grouped as X (Y = X, dim = dy): no mode is removed; with a bias the map carries dim offsets', async () => {
  const X = mat(60, 4, 3);
  const r = await align(X, X, { epochs: 1, seed: 1, topK: 2, samplesPerMode: 2 });
  // before: Λ = 0 on the held-out rows, no modes to remove
  assert.deepEqual(r.modesBefore, []);
  assert.deepEqual(r.removedModes, []);
  const b = await align(X, mat(60, 3, 4), { epochs: 1, seed: 1, bias: true, dim: 2, topK: 1, samplesPerMode: 1 });
  assert.equal(b.bias!.length, 2);
  assert.equal(b.W.length, 6);
});

test('refusals, in order, with their messages and the names given', async () => {
  const X = mat(30, 4, 5),
    Y = mat(29, 3, 6);
  await inputError(align(X, Y, { holdot: 0.2 } as any), 'unknown option holdot; did you mean holdout?');
  await inputError(alignNamed(X, Y, {}, { x: 'a.npy', y: 'b.npy' }), 'row counts differ: a.npy has 30 rows, b.npy has 29; both must describe the same samples');
  const Y30 = mat(30, 3, 7);
  const zeroY = { ...Y30, data: Y30.data.slice().fill(0, 6, 9) };
  await inputError(alignNamed(X, zeroY, {}, { x: 'a.npy', y: 'b.npy' }), 'b.npy: row 3 (1-based) is all zeros: the cosine kernel needs non-zero rows');
  const zeroX = { ...X, data: X.data.slice().fill(0, 0, 4) };
  await inputError(align(zeroX, Y30, {}), 'X: row 1 (1-based) is all zeros: the cosine kernel needs non-zero rows');
  // a zero row of X is fine under the linear kernel (only ψ(Y) is always cosine)
  await align(zeroX, Y30, { kernel: 'linear', epochs: 1, topK: 1, samplesPerMode: 1 });
  await inputError(align(mat(4, 2, 8), mat(4, 2, 9), { holdout: 0.2 }), 'holdout 0.2 of n = 4 samples leaves 3 for training and 1 held out; both need ≥ 2');
  await inputError(align(X, Y30, { dim: 9 }), 'dim must be ≤ max(dx, dy) = 4 (a wider map adds nothing), got 9');
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(align(X, Y30, { signal: ac.signal }), { name: 'AbortError' });
});

// FincAccumulator streams as SpecAccumulator does: addX/addY and scoresX/scoresY
// take onProgress and an AbortSignal (same names, order and events), solve
// reports progress, solveAsync yields and aborts. Tests count events and steps,
// never time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, FincAccumulator, SpecAccumulator } from '../../src/index.js';
import type { ProgressEvent } from '../../src/types/index.js';
import { randomF32 } from '../shared/rng.mjs';

await init();
const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });

test('a 100k × 512 addX reports progress several times and stops with AbortError when the signal fires; the accumulator is then unusable', async () => {
  const X = mat(100_000, 512, 1);
  const acc = await FincAccumulator.create({ d: 512 });
  try {
    const ac = new AbortController();
    const events: ProgressEvent[] = [];
    assert.throws(
      () =>
        acc.addX(
          X,
          (e) => {
            events.push(e);
            if (events.length === 6) ac.abort();
          },
          ac.signal,
        ),
      { name: 'AbortError' },
    );
    assert.equal(events.length, 6, 'no progress after abort()');
    for (const e of events) {
      assert.deepEqual(Object.keys(e).sort(), ['done', 'stage', 'total']);
      assert.equal(e.stage, 'accumulate');
      assert.equal(e.total, 100_000);
      assert.ok(e.done >= 0 && e.done < e.total);
    }
    assert.equal(acc.nx, 0, 'an aborted chunk is not counted');
    assert.throws(() => acc.addY(mat(10, 512, 2)), /unusable/);
  } finally {
    acc.dispose();
  }
});

test('addX/addY and scoresX/scoresY report the same events as SpecAccumulator.add/scores, ending at the chunk size', async () => {
  const rows = 3000,
    d = 300;
  const X = mat(rows, d, 3),
    Y = mat(rows, d, 4);
  const fa = await FincAccumulator.create({ d, kernel: 'linear' });
  const sa = await SpecAccumulator.create({ dx: d, dy: d, kernelX: 'linear', kernelY: 'linear' });
  try {
    const fe: ProgressEvent[] = [],
      se: ProgressEvent[] = [];
    fa.addX(X, (e) => fe.push(e));
    sa.add(X, Y, (e) => se.push(e));
    for (const ev of [fe, se]) {
      assert.ok(ev.length >= 3, `${ev.length} events`);
      assert.deepEqual(ev[ev.length - 1], { stage: 'accumulate', done: rows, total: rows });
    }
    const ye: ProgressEvent[] = [];
    fa.addY(Y, (e) => ye.push(e));
    assert.deepEqual(ye[ye.length - 1], { stage: 'accumulate', done: rows, total: rows });
    const solveEvents: ProgressEvent[] = [];
    const sol = fa.solve({ topK: 2, onProgress: (e) => solveEvents.push(e) });
    assert.ok(solveEvents.length > 0 && solveEvents.every((e) => e.stage === 'solve'));
    const sides = new Set(sol.sides);
    const scored: ProgressEvent[] = [];
    if (sides.has('x')) fa.scoresX(X, (e) => scored.push(e));
    if (sides.has('y')) fa.scoresY(Y, (e) => scored.push(e));
    assert.ok(scored.length >= 3 && scored.every((e) => e.stage === 'scores'));
    assert.deepEqual(scored[scored.length - 1], { stage: 'scores', done: rows, total: rows });
    assert.equal(fa.modes().length, sol.eigenvalues.length);
  } finally {
    fa.dispose();
    sa.dispose();
  }
});

test('a scoring pass stops with AbortError when the signal fires, and the accumulator is then unusable', async () => {
  const X = mat(5000, 64, 5),
    Y = mat(4000, 64, 6);
  const acc = await FincAccumulator.create({ d: 64, kernel: { type: 'gaussian', sigma: 4, rffDim: 200 } });
  try {
    acc.addX(X);
    acc.addY(Y);
    const sol = acc.solve({ topK: 3 });
    const side = sol.sides[0];
    const ac = new AbortController();
    let events = 0;
    const on = () => {
      if (++events === 2) ac.abort();
    };
    assert.throws(() => (side === 'x' ? acc.scoresX(X, on, ac.signal) : acc.scoresY(Y, on, ac.signal)), { name: 'AbortError' });
    assert.equal(events, 2);
    assert.throws(() => acc.modes(), /unusable/);
  } finally {
    acc.dispose();
  }
});

test('solveAsync equals solve, reports stage solve, and an abort leaves the accumulator unusable', async () => {
  const X = mat(2500, 40, 7),
    Y = mat(2000, 40, 8);
  const make = async () => {
    const a = await FincAccumulator.create({ d: 40, eta: 0.8, seed: 3, kernel: { type: 'gaussian', sigma: 3, rffDim: 150 } });
    a.addX(X);
    a.addY(Y);
    return a;
  };
  const a = await make(),
    b = await make(),
    c = await make();
  try {
    const sync = a.solve({ topK: 3, samplesPerMode: 5 });
    const events: ProgressEvent[] = [];
    const async_ = await b.solveAsync({ topK: 3, samplesPerMode: 5, onProgress: (e) => events.push(e) });
    assert.deepEqual(async_, sync);
    assert.ok(events.length > 0 && events.every((e) => e.stage === 'solve'));
    assert.equal(await b.solveAsync({ topK: 3 }), async_, 'a second call returns the same solution');
    for (const [acc, s] of [
      [a, sync],
      [b, async_],
    ] as const) {
      if (s.sides.includes('x')) acc.scoresX(X);
      if (s.sides.includes('y')) acc.scoresY(Y);
    }
    assert.deepEqual(b.modes(), a.modes());
    const ac = new AbortController();
    await assert.rejects(c.solveAsync({ topK: 3, signal: ac.signal, onProgress: () => ac.abort() }), { name: 'AbortError' });
    assert.throws(() => c.solve({ topK: 3 }), /unusable/);
    await assert.rejects(c.solveAsync({ nope: 1 } as any), /solveAsync option/);
  } finally {
    a.dispose();
    b.dispose();
    c.dispose();
  }
});

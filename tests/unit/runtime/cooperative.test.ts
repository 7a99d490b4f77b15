// Cooperative work is proven by counting, never by timing: the clock is replaced by one
// the test moves, and yields are counted as macrotasks that ran in between (a
// setImmediate callback can only run when the work yields to the event loop).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addSteps,
  Cooperative,
  counters,
  drain,
  drive,
  lap,
  shifted,
  STEP_MS,
  StepSizer,
  WorkSizer,
  YIELD_MS,
  zeroSteps,
  type Step,
} from '../../../src/runtime/cooperative.js';
import { AbortError } from '../../../src/errors.js';
import type { ProgressEvent } from '../../../src/types/index.js';

/** Runs fn with performance.now() reading `clock.t` (ms), which fn may move. */
async function withClock<T>(fn: (clock: { t: number }) => T | Promise<T>): Promise<T> {
  const real = performance.now;
  const clock = { t: 1000 };
  performance.now = () => clock.t;
  try {
    return await fn(clock);
  } finally {
    performance.now = real;
  }
}

/** Counts macrotasks that run until stop() (each schedules the next). */
function macrotaskCounter(): { count: number; stop(): void } {
  const c = {
    count: 0,
    stopped: false,
    stop() {
      c.stopped = true;
    },
  };
  const tick = () => {
    if (c.stopped) return;
    c.count++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return c;
}

function* counting(n: number, log: string[], clock?: { t: number }, ms = 0): Generator<Step, string> {
  try {
    for (let i = 1; i <= n; i++) {
      if (clock) clock.t += ms;
      yield { done: i, total: n, message: 'units' };
    }
    return 'result';
  } finally {
    log.push('closed');
  }
}

test('STEP_MS and YIELD_MS: a step is half of STEP_MS, and a yield is due after YIELD_MS', () => {
  assert.equal(STEP_MS, 50);
  assert.equal(YIELD_MS, 20);
});

test('an aborted signal is refused before any work', () => {
  const ac = new AbortController();
  ac.abort();
  assert.throws(
    () => new Cooperative(ac.signal),
    (e: unknown) => e instanceof AbortError && (e as Error).message === 'spec-embed: aborted',
  );
});

test('tick yields a macrotask only once YIELD_MS have passed since the last yield', async () => {
  await withClock(async (clock) => {
    const coop = new Cooperative();
    const other = macrotaskCounter();
    const y0 = counters.yields;
    for (let i = 0; i < 10; i++) {
      clock.t += YIELD_MS - 1;
      await coop.tick();
    }
    // 19 ms steps: a yield at 20, then every other tick
    assert.equal(counters.yields - y0, 5);
    const seen = other.count;
    assert.ok(seen >= 4, `${seen} macrotasks ran during 5 yields`);
    // a frozen clock never yields: other macrotasks wait for the work to finish
    for (let i = 0; i < 100; i++) await coop.tick();
    assert.equal(counters.yields - y0, 5);
    assert.equal(other.count, seen);
    other.stop();
  });
});

test('tick sees an abort at its next call, whether or not it yields', async () => {
  await withClock(async (clock) => {
    const ac = new AbortController();
    const coop = new Cooperative(ac.signal);
    await coop.tick();
    ac.abort();
    await assert.rejects(coop.tick(), AbortError);
    clock.t += 100;
    await assert.rejects(coop.tick(), AbortError);
  });
});

test("progress: a stage's first and last events always, others at most one per 50 ms", async () => {
  await withClock((clock) => {
    const events: ProgressEvent[] = [];
    const coop = new Cooperative(undefined, (e) => events.push(e));
    for (let done = 0; done <= 100; done++) {
      coop.progress('accumulate', done, 100, 'rows');
      clock.t += 10;
    }
    // first at 0, then every 5th (50 ms), and the last
    const done = events.map((e) => e.done);
    assert.deepEqual(done, [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100]);
    assert.deepEqual(events[0], { stage: 'accumulate', done: 0, total: 100, message: 'rows' });
    events.length = 0;
    // frozen clock: first of a stage, and its last (once)
    coop.progress('solve', 0, 3);
    coop.progress('solve', 1, 3);
    coop.progress('solve', 2, 3);
    coop.progress('solve', 3, 3);
    coop.progress('solve', 3, 3);
    assert.deepEqual(events, [
      { stage: 'solve', done: 0, total: 3 },
      { stage: 'solve', done: 3, total: 3 },
    ]);
    // a new stage starts a new series
    coop.progress('scores', 1, 9);
    assert.equal(events.length, 3);
    // no callback: nothing to do
    new Cooperative().progress('solve', 0, 1);
  });
});

test('within: events carry the side and purpose; a new side is a new series (its first event always goes out)', async () => {
  await withClock(async () => {
    const events: ProgressEvent[] = [];
    const coop = new Cooperative(undefined, (e) => events.push(e));
    // frozen clock: only first and last events of each series pass the throttle
    await coop.within({ side: 'X' }, async () => {
      coop.progress('features', 0, 4, 'rows');
      coop.progress('features', 2, 4, 'rows');
    });
    await coop.within({ side: 'Y', label: 'σ sample' }, async () => coop.progress('features', 0, 4, 'rows'));
    coop.progress('features', 1, 4, 'rows');
    assert.deepEqual(events, [
      { stage: 'features', done: 0, total: 4, message: 'rows', side: 'X' },
      { stage: 'features', done: 0, total: 4, message: 'rows', side: 'Y', label: 'σ sample' },
      { stage: 'features', done: 1, total: 4, message: 'rows' },
    ]);
    // the context is restored after an error too
    await assert.rejects(
      coop.within({ side: 'X' }, async () => {
        throw new Error('x');
      }),
      /x/,
    );
    coop.progress('solve', 0, 1);
    assert.deepEqual(events.at(-1), { stage: 'solve', done: 0, total: 1 });
  });
});

test('drive: runs every step, reports each as the stage, and returns the value', async () => {
  await withClock(async (clock) => {
    const events: ProgressEvent[] = [];
    const coop = new Cooperative(undefined, (e) => events.push(e));
    const log: string[] = [];
    const s0 = counters.steps,
      y0 = counters.yields;
    const other = macrotaskCounter();
    // each step takes 50 ms: every step's tick is due a yield, and every progress event passes the throttle
    const v = await drive(counting(6, log, clock, 50), coop, 'gram');
    other.stop();
    assert.equal(v, 'result');
    assert.equal(counters.steps - s0, 7); // 6 steps and the return
    assert.equal(counters.yields - y0, 6);
    assert.ok(other.count >= 5, `${other.count} macrotasks between 6 steps`);
    assert.deepEqual(
      events.map((e) => [e.stage, e.done, e.total, e.message]),
      [1, 2, 3, 4, 5, 6].map((d) => ['gram', d, 6, 'units']),
    );
    assert.deepEqual(log, ['closed']);
    // a frozen clock: the same steps, no yield
    const y1 = counters.yields;
    assert.equal(await drive(counting(50, []), new Cooperative(), 'gram'), 'result');
    assert.equal(counters.yields, y1);
    // steps that yield nothing (void) are run without progress
    const quiet: ProgressEvent[] = [];
    await drive(
      zeroSteps(() => new Float64Array(3 << 20)),
      new Cooperative(undefined, (e) => quiet.push(e)),
      'features',
    );
    assert.equal(quiet.length, 0);
  });
});

test('drive closes the generator on abort and on error, so its finally blocks run', async () => {
  await withClock(async (clock) => {
    const ac = new AbortController();
    const log: string[] = [];
    let stepsAfter = -1;
    const s0 = counters.steps;
    const coop = new Cooperative(ac.signal, (e) => {
      if (e.done === 3) {
        ac.abort();
        stepsAfter = counters.steps;
      }
    });
    await assert.rejects(drive(counting(1000, log, clock, 30), coop, 'solve'), AbortError);
    assert.deepEqual(log, ['closed']);
    // the abort is seen at the tick right after the step that reported it
    assert.equal(counters.steps, stepsAfter);
    assert.equal(counters.steps - s0, 3);
    function* failing(): Generator<Step, number> {
      try {
        yield { done: 1, total: 2 };
        throw new RangeError('boom');
      } finally {
        log.push('failing closed');
      }
    }
    await assert.rejects(drive(failing(), new Cooperative(), 'solve'), /boom/);
    assert.deepEqual(log, ['closed', 'failing closed']);
  });
});

test('drain runs a step generator synchronously', () => {
  const log: string[] = [];
  assert.equal(drain(counting(5, log)), 'result');
  assert.deepEqual(log, ['closed']);
});

test("a step's `wait`: drive awaits it before the next step (and throws its rejection), drain refuses it and closes the generator, shifted carries it", async () => {
  const log: string[] = [];
  let release!: () => void;
  function* waiting(fail = false): Generator<Step, string> {
    try {
      const wait = new Promise<void>((resolve, reject) => {
        release = () => (fail ? reject(new Error('worker failed')) : resolve());
      });
      yield { done: 0, total: 1, wait };
      log.push('resumed');
      return 'result';
    } finally {
      log.push('closed');
    }
  }
  const p = drive(waiting(), new Cooperative(), 'solve');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log, [], 'not resumed before the wait settles');
  release();
  assert.equal(await p, 'result');
  assert.deepEqual(log, ['resumed', 'closed']);
  log.length = 0;
  const q = drive(waiting(true), new Cooperative(), 'solve');
  release();
  await assert.rejects(q, /worker failed/);
  assert.deepEqual(log, ['closed']);
  log.length = 0;
  assert.throws(() => drain(waiting()), /waits for other threads and cannot run synchronously; run it with drive\(\)/);
  assert.deepEqual(log, ['closed']);
  const w = Promise.resolve();
  const g = shifted(
    (function* () {
      yield { done: 1, total: 2, wait: w };
      return 0;
    })(),
    10,
    20,
  );
  assert.equal((g.next().value as Step).wait, w);
});

test("shifted relabels a chunk's steps as rows base + done of total, and closing it closes the inner one", () => {
  const log: string[] = [];
  const g = shifted(counting(3, log), 100, 500, 'rows');
  const seen: Step[] = [];
  let r = g.next();
  for (; !r.done; r = g.next()) seen.push(r.value);
  assert.deepEqual(
    seen,
    [101, 102, 103].map((done) => ({ done, total: 500, message: 'rows' })),
  );
  assert.equal(r.value, 'result');
  // void steps count as done = base
  function* voids(): Generator<void, number> {
    yield;
    yield;
    return 4;
  }
  assert.deepEqual(
    [...shifted(voids(), 7, 9)],
    [
      { done: 7, total: 9, message: undefined },
      { done: 7, total: 9, message: undefined },
    ],
  );
  const log2: string[] = [];
  const h = shifted(counting(10, log2), 0, 10);
  h.next();
  h.return('early');
  assert.deepEqual(log2, ['closed']);
});

test('StepSizer: rows for a step of STEP_MS/2 from the measured time per row, bounded and growing at most 4×', () => {
  const s = new StepSizer();
  assert.equal(s.rows, 128);
  s.observe(128, 10); // 10/128 ms a row: 25 ms is 320 rows
  assert.equal(s.rows, 320);
  s.observe(320, 0.001); // too fast to measure (0.01 ms floor): at most 4× the last step
  assert.equal(s.rows, 1280);
  s.observe(1280, 0); // 0.01/1280 ms a row wants 3.2M rows; capped by max
  assert.equal(s.rows, 4096);
  s.observe(10, 1000); // 100 ms a row: the minimum
  assert.equal(s.rows, 16);
  s.observe(0, 5);
  assert.equal(s.rows, 16);
  const t = new StepSizer(4, 64, 8);
  assert.equal(t.rows, 8);
  t.observe(8, 1);
  assert.equal(t.rows, 32); // wants 200, 4 × 8
});

test('WorkSizer: the first step is `first` units, later ones ms / (smoothed time per unit)', async () => {
  await withClock((clock) => {
    const w = new WorkSizer(25, 7);
    assert.equal(w.units(), 7);
    w.start();
    clock.t += 5;
    w.stop(1000); // 0.005 ms a unit
    assert.equal(w.units(), 5000);
    w.start();
    clock.t += 10;
    w.stop(1000); // 0.01: smoothed to 0.0075
    assert.equal(w.units(), Math.floor(25 / 0.0075));
    w.start();
    clock.t += 3;
    w.stop(0); // no units: ignored
    assert.equal(w.units(), Math.floor(25 / 0.0075));
    const slow = new WorkSizer(25, 1);
    slow.start();
    clock.t += 1000;
    slow.stop(2);
    assert.equal(slow.units(), 1); // never below one unit
    assert.equal(new WorkSizer().units(), 1);
  });
});

test('zeroSteps and addSteps work in bands of 2²⁰ elements, re-reading the target between them', () => {
  const BAND = 1 << 20;
  const a = new Float64Array(2 * BAND + 5).fill(3);
  let reads = 0;
  const view = () => {
    reads++;
    return a;
  };
  const g = zeroSteps(view, 2 * BAND + 2);
  let yields = 0;
  for (let r = g.next(); !r.done; r = g.next()) yields++;
  assert.equal(yields, 2); // three bands, a yield between each
  assert.equal(reads, 3); // once per band: memory may have grown in between
  assert.ok(a.subarray(0, 2 * BAND + 2).every((v) => v === 0));
  assert.deepEqual(Array.from(a.subarray(2 * BAND + 2)), [3, 3, 3]);
  assert.equal([...zeroSteps(() => new Float64Array(BAND))].length, 0);

  const dst = Float64Array.from({ length: BAND + 3 }, (_, i) => i);
  const src = Float64Array.from({ length: BAND + 3 }, (_, i) => 0.5 * i);
  assert.equal([...addSteps(() => dst, src)].length, 1);
  for (const i of [0, 1, BAND - 1, BAND, BAND + 2]) assert.equal(dst[i], 1.5 * i);
});

test('lap adds the seconds since t to a timing and returns the new start', async () => {
  await withClock((clock) => {
    const timings: Record<string, number> = {};
    const t0 = clock.t;
    clock.t += 250;
    const t1 = lap(timings, 'solve', t0);
    assert.equal(t1, clock.t);
    clock.t += 500;
    lap(timings, 'solve', t1);
    assert.deepEqual(timings, { solve: 0.75 });
  });
});

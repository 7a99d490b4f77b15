// src/runtime/plan.ts: how many workers, the CHUNK_ROWS-aligned row split, the
// copies sent, the throttled progress and heartbeat, and Crew's feeding: at most
// MAX_IN_FLIGHT messages unanswered per worker, and the failure one thread would
// have met (the lowest row) reported whichever worker answered first. Workers are
// stand-ins here (no threads); the pool itself: pool.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  planThreads,
  splitRows,
  rowsToSend,
  slowest,
  Progress,
  heartbeat,
  Crew,
  SEND_ROWS,
  MAX_IN_FLIGHT,
  MAX_DEFAULT_THREADS,
} from '../../../src/runtime/plan.js';
import { CHUNK_ROWS } from '../../../src/sums/features-pass.js';
import { hardwareThreads } from '../../../src/runtime/platform.js';
import { AbortError, InputError } from '../../../src/errors.js';
import type { ProgressEvent } from '../../../src/types/index.js';
import type { PoolWorker } from '../../../src/runtime/pool.js';
import type { RowSource } from '../../../src/validate/source.js';

test('planThreads: 1 for a single thread or small default work; a given count capped by the chunks there are', async () => {
  assert.equal(SEND_ROWS, 2 * CHUNK_ROWS);
  assert.equal(await planThreads(1, 1e6, 1000), 1);
  assert.equal(await planThreads(4, 10 * CHUNK_ROWS, 10), 4, 'a given count applies whatever the work');
  assert.equal(await planThreads(8, 3 * CHUNK_ROWS - 1, 10), 3);
  assert.equal(await planThreads(8, 1, 10), 1);
  // default: n·D² < 4e9 stays in process
  assert.equal(await planThreads(undefined, 1000, 1000), 1);
  const hw = Math.min(MAX_DEFAULT_THREADS, await hardwareThreads());
  assert.equal(await planThreads(undefined, 100 * CHUNK_ROWS, 7000), hw <= 1 ? 1 : Math.min(hw, 100));
});

test('splitRows: contiguous ranges covering [0, n), boundaries on CHUNK_ROWS, as even as the chunks allow', () => {
  const n = 5 * CHUNK_ROWS + 17;
  const r = splitRows(n, 4);
  assert.deepEqual(r, [
    [0, CHUNK_ROWS],
    [CHUNK_ROWS, 3 * CHUNK_ROWS],
    [3 * CHUNK_ROWS, 4 * CHUNK_ROWS],
    [4 * CHUNK_ROWS, n],
  ]);
  assert.deepEqual(splitRows(100, 1), [[0, 100]]);
  // more parts than chunks: some ranges are empty, none overlaps
  const e = splitRows(CHUNK_ROWS + 1, 3);
  assert.deepEqual(e, [
    [0, 0],
    [0, CHUNK_ROWS],
    [CHUNK_ROWS, CHUNK_ROWS + 1],
  ]);
});

test('rowsToSend: read straight into a fresh buffer where the source can, else a copy that leaves the source intact', () => {
  const data = Float32Array.from({ length: 12 }, (_, i) => i);
  const plain: RowSource = { rows: 4, cols: 3, name: 'X', read: (s, c) => data.subarray(s * 3, (s + c) * 3) };
  const out = rowsToSend(plain, 1, 2);
  assert.deepEqual(Array.from(out), [3, 4, 5, 6, 7, 8]);
  out[0] = -1;
  assert.equal(data[3], 3, 'a copy, not a view');
  let into = 0;
  const file: RowSource = {
    ...plain,
    read: () => assert.fail('read'),
    readInto: (s, c, o) => {
      into++;
      o.set(data.subarray(s * 3, (s + c) * 3));
      return o;
    },
  };
  assert.deepEqual(Array.from(rowsToSend(file, 2, 2)), [6, 7, 8, 9, 10, 11]);
  assert.equal(into, 1);
  // a Float64Array source is rounded to f32
  const f64: RowSource = { rows: 1, cols: 1, name: 'X', read: () => new Float64Array([0.1]) };
  assert.equal(rowsToSend(f64, 0, 1)[0], Math.fround(0.1));
});

test('slowest: the largest, 0 for none', () => {
  assert.equal(slowest([0.5, 2, 1]), 2);
  assert.equal(slowest([]), 0);
});

test('Progress: an event at the start, the last always, done never beyond total', () => {
  const ev: ProgressEvent[] = [];
  const p = new Progress('accumulate', 10, (e) => ev.push(e));
  assert.deepEqual(ev, [{ stage: 'accumulate', done: 0, total: 10, message: 'rows' }]);
  p.add(4);
  p.add(9);
  assert.deepEqual(ev.at(-1), { stage: 'accumulate', done: 10, total: 10, message: 'rows' });
  assert.equal(p.done, 13);
  assert.ok(ev.length <= 3);
  new Progress('scores', 1).add(1); // no listener: nothing to call
});

test('heartbeat: nothing without a listener; the first event at once; later events passed on; none after an abort', () => {
  heartbeat().stop();
  const ev: ProgressEvent[] = [];
  const ac = new AbortController();
  const first = { stage: 'accumulate' as const, done: 0, total: 2 };
  const hb = heartbeat((e) => ev.push(e), first, ac.signal);
  assert.deepEqual(ev, [first]);
  hb.on!({ stage: 'accumulate', done: 1, total: 2 });
  assert.equal(ev.length, 2);
  ac.abort();
  hb.on!({ stage: 'accumulate', done: 2, total: 2 });
  assert.equal(ev.length, 2);
  hb.stop();
});

/** A worker that answers each call on a later macrotask, failing the rows listed in `failAt`, and records the most calls in flight. */
class StandIn {
  inFlight = 0;
  most = 0;
  rows: number[] = [];
  private waiters: (() => void)[] = [];
  constructor(private failAt = new Set<number>()) {}
  async below(k: number): Promise<void> {
    while (this.inFlight >= k) await new Promise<void>((r) => this.waiters.push(r));
  }
  call(req: any): Promise<unknown> {
    this.inFlight++;
    this.most = Math.max(this.most, this.inFlight);
    this.rows.push(req.row0);
    return new Promise((res, rej) =>
      setImmediate(() => {
        this.inFlight--;
        for (const w of this.waiters.splice(0)) w();
        if (this.failAt.has(req.row0)) rej(new InputError(`row ${req.row0 + 1} (1-based) is all zeros`, 'X'));
        else res(undefined);
      }),
    );
  }
}

const crewOf = (ws: StandIn[], signal?: AbortSignal) => new (Crew as any)(ws as unknown as PoolWorker[], signal) as Crew;
const make = (r0: number, rows: number) => ({ req: { op: 'add' as const, set: 0, row0: r0, rows, x: new Float32Array(0) }, transfer: [] });

test('Crew.feed: every chunk sent once in order, at most MAX_IN_FLIGHT unanswered, progress in rows', async () => {
  const w = new StandIn(),
    crew = crewOf([w]);
  const n = 5 * SEND_ROWS + 3;
  const ev: ProgressEvent[] = [];
  await crew.feed(w as unknown as PoolWorker, 0, n, make, new Progress('accumulate', n, (e) => ev.push(e)));
  assert.deepEqual(
    w.rows,
    [0, 1, 2, 3, 4, 5].map((i) => i * SEND_ROWS),
  );
  assert.equal(w.most, MAX_IN_FLIGHT);
  assert.deepEqual(ev.at(-1), { stage: 'accumulate', done: n, total: n, message: 'rows' });
});

test('Crew: the failure of the lowest row wins, though a later worker fails first; later feeders stop', async () => {
  // worker B fails on its first chunk at once; worker A fails only on its second chunk
  const a = new StandIn(new Set([SEND_ROWS])),
    b = new StandIn(new Set([4 * SEND_ROWS]));
  const crew = crewOf([a, b]);
  await assert.rejects(
    crew.all([crew.feed(a as unknown as PoolWorker, 0, 4 * SEND_ROWS, make), crew.feed(b as unknown as PoolWorker, 4 * SEND_ROWS, 8 * SEND_ROWS, make)]),
    (e: unknown) => e instanceof InputError && e.message === `X: row ${SEND_ROWS + 1} (1-based) is all zeros`,
  );
  // A stopped after its failing chunk's successor at most; B after its first
  assert.ok(!a.rows.includes(3 * SEND_ROWS), `${a.rows}`);
  assert.ok(b.rows.length <= MAX_IN_FLIGHT, `${b.rows}`);
});

test('Crew after an abort: check throws AbortError and error() maps any failure to it', () => {
  const ac = new AbortController();
  ac.abort();
  const crew = crewOf([], ac.signal);
  assert.throws(() => crew.check(), AbortError);
  assert.ok(crew.error(new Error('x')) instanceof AbortError);
  const live = crewOf([]);
  const e = new Error('kept');
  assert.equal(live.error(e), e);
  live.check();
});

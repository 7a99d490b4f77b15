// `{ worker: true }`: the whole analysis in one pool worker. The worker's result must be
// the in-process one, progress must arrive, errors keep their class, an abort ends the
// run at once, and a runtime without workers gets null (the caller then runs in process).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, compare, finc } from '../../../src/index.js';
import { offload } from '../../../src/runtime/offload.js';
import { pool, terminateWorkers } from '../../../src/runtime/pool.js';
import { AbortError, InputError } from '../../../src/errors.js';
import type { CompareOptions, ProgressEvent, SpecResult } from '../../../src/types/index.js';
import type { FincOptions, FincResult } from '../../../src/types/finc.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();
after(() => terminateWorkers());

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });
const strip = (r: any) => {
  const { timings, threads, ...rest } = r;
  return JSON.parse(JSON.stringify(rest, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as any) : v)));
};

test('compare and finc in a worker return what they return in process, with progress forwarded', async () => {
  const X = mat(80, 6, 1),
    Y = mat(80, 4, 2);
  const events: ProgressEvent[] = [];
  const options = { topK: 3, samplesPerMode: 4, kernel: { type: 'gaussian' as const, sigma: 'auto' as const }, returnScores: true };
  const got = await offload<SpecResult>('compare', X, Y, { ...options, worker: true, onProgress: (e: ProgressEvent) => events.push(e) });
  assert.ok(got);
  assert.deepEqual(strip(got), strip(await compare(X, Y, options)));
  assert.ok(
    events.some((e) => e.stage === 'sigma'),
    `stages ${[...new Set(events.map((e) => e.stage))]}`,
  );
  // the caller's arrays were copied, not transferred
  assert.equal(X.data.length, 480);

  const A = mat(40, 5, 3),
    B = mat(30, 5, 4);
  const fo: FincOptions = { topK: 2, worker: true };
  const f = await offload<FincResult>('finc', A, B, fo);
  assert.deepEqual(strip(f), strip(await finc(A, B, { topK: 2 })));
});

test('an error in the worker keeps its class and message', async () => {
  const bad: CompareOptions = { eta: -1, worker: true };
  await assert.rejects(offload('compare', mat(5, 2, 5), mat(5, 2, 6), bad), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.equal((e as Error).message, 'eta must be a finite number ≥ 0, got -1');
    return true;
  });
});

test('abort: refused before a worker is taken, and mid-run the call rejects with AbortError', async () => {
  const ac = new AbortController();
  ac.abort();
  pool.shutdownIdle();
  await assert.rejects(offload('compare', mat(5, 2, 7), mat(5, 2, 8), { signal: ac.signal }), AbortError);
  // a run that would take long: abort at its first progress event
  const live = new AbortController();
  let events = 0,
    afterAbort = 0;
  const long: CompareOptions = {
    method: 'covariance',
    kernel: { type: 'gaussian', sigma: 2, rffDim: 500 },
    threads: 1,
    signal: live.signal,
    onProgress: () => {
      if (live.signal.aborted) afterAbort++;
      else if (++events === 1) live.abort();
    },
  };
  const run = offload('compare', mat(6000, 32, 9), mat(6000, 24, 10), long);
  await assert.rejects(run, AbortError);
  // the worker was terminated with the abort: no progress from it after
  const seen = afterAbort;
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(afterAbort, seen);
  // the pool recovers: the next call gets a working worker
  const one: CompareOptions = { topK: 1 };
  const ok = await offload<SpecResult>('compare', mat(10, 3, 11), mat(10, 3, 12), one);
  assert.equal(ok!.n, 10);
});

test('no workers in this runtime: null, so that the caller runs in process', async () => {
  pool.shutdownIdle();
  const was = pool.available;
  pool.available = false;
  try {
    assert.equal(await offload('compare', mat(5, 2, 13), mat(5, 2, 14), { worker: true }), null);
  } finally {
    pool.available = was;
  }
});

// How many workers a covariance route uses, how rows are split among them, and
// the bounded, abortable feeding of row chunks to a worker.
import { AbortError } from '../errors.js';
import { CHUNK_ROWS } from '../sums/features-pass.js';
import type { ProgressEvent } from '../types/index.js';
import { throwIfAborted } from '../validate/checks.js';
import { hardwareThreads } from './platform.js';
import { pool, type PoolWorker } from './pool.js';
import type { Request } from './protocol.js';
import type { RowSource } from '../validate/source.js';

/** The default thread count is the core count, capped here. */
export const MAX_DEFAULT_THREADS = 8;
/** With the default thread count, jobs below this many multiply-adds (n·D²) stay on one thread: starting workers costs more. */
const MIN_PARALLEL_WORK = 4e9;
/** Rows per message to a worker: ~10 MB at B1's 1280 input columns. */
export const SEND_ROWS = 2 * CHUNK_ROWS;
/** Messages a worker may have queued or in progress: bounds the copies in flight. */
export const MAX_IN_FLIGHT = 2;
/**
 * Workers for a pass over n rows of feature dimension D: 1 means the in-process
 * path. Never more than the CHUNK_ROWS chunks there are to share.
 */
export async function planThreads(option: number | undefined, n: number, D: number): Promise<number> {
  const t = option ?? Math.min(MAX_DEFAULT_THREADS, await hardwareThreads());
  if (t <= 1) return 1;
  if (option === undefined && n * D * D < MIN_PARALLEL_WORK) return 1;
  return Math.min(t, Math.ceil(n / CHUNK_ROWS));
}

/**
 * Contiguous row ranges, one per worker, whose boundaries are multiples of
 * CHUNK_ROWS: every worker then forms the same SYRK blocks as one thread does.
 */
export function splitRows(n: number, parts: number): [number, number][] {
  const chunks = Math.ceil(n / CHUNK_ROWS);
  return Array.from({ length: parts }, (_, w) => {
    const a = Math.floor((w * chunks) / parts) * CHUNK_ROWS;
    const b = Math.min(n, Math.floor(((w + 1) * chunks) / parts) * CHUNK_ROWS);
    return [a, b] as [number, number];
  });
}

/**
 * Rows [start, start + count) of a source in a buffer of their own, to transfer to a
 * worker: read straight into it where the source can (files), else copied (the
 * caller's in-memory data stay intact).
 */
export function rowsToSend(src: RowSource, start: number, count: number): Float32Array {
  const out = new Float32Array(count * src.cols);
  if (src.readInto) return src.readInto(start, count, out);
  out.set(src.read(start, count));
  return out;
}

/** The largest of the workers' seconds for one stage: the stage's critical path. */
export function slowest(seconds: number[]): number {
  return seconds.reduce((a, b) => Math.max(a, b), 0);
}

/**
 * While workers start and compute, the main thread has nothing to report for a
 * while: this repeats the latest progress event every ~100 ms (an unref'd timer,
 * so it never keeps a process alive) until stop(). Nothing is reported once
 * `signal` aborted: tearing the workers down may take longer than a beat.
 */
export function heartbeat(on?: (e: ProgressEvent) => void, first?: ProgressEvent, signal?: AbortSignal): { on?: (e: ProgressEvent) => void; stop(): void } {
  if (!on) return { stop() {} };
  let last = first;
  const emit = (e: ProgressEvent) => {
    if (!signal?.aborted) on(e);
  };
  if (first) emit(first);
  const timer = setInterval(() => {
    if (last) emit(last);
  }, 100);
  (timer as { unref?: () => void }).unref?.();
  return {
    on: (e) => {
      last = e;
      emit(e);
    },
    stop: () => clearInterval(timer),
  };
}

/** Progress of one stage, throttled to ~20 events per second (first and last always). */
export class Progress {
  private last = -Infinity;
  done = 0;
  constructor(
    private stage: ProgressEvent['stage'],
    private total: number,
    private on?: (e: ProgressEvent) => void,
  ) {
    on?.({ stage, done: 0, total, message: 'rows' });
  }
  add(rows: number): void {
    this.done += rows;
    const now = performance.now();
    if (this.on && (this.done >= this.total || now - this.last >= 50)) {
      this.last = now;
      this.on({ stage: this.stage, done: Math.min(this.done, this.total), total: this.total, message: 'rows' });
    }
  }
}

/**
 * The workers of one parallel run: acquired from the pool, released clean on
 * success, terminated on error or abort (an abort terminates them at once, so
 * a long chunk in a worker does not delay it).
 *
 * A pass's failure is the one one thread would have met: each failure is
 * keyed by where its chunk stands in one thread's order (`order` + first
 * row), the lowest key wins, and a feeder stops only once a failure lies
 * before its next chunk, so the feeders of earlier rows finish their share
 * first (a zero row 1 must not be reported as row 10241 because the worker of
 * row 10241 answered first).
 */
export class Crew {
  private aborted = false;
  /** The failure at the lowest key so far; feeders of later chunks stop at their next step. */
  private failure: { key: number; error: unknown } | null = null;
  private onAbort = () => {
    this.aborted = true;
    pool.release(this.workers, false);
  };
  private constructor(
    readonly workers: PoolWorker[],
    private signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', this.onAbort);
  }

  static async hire(count: number, signal?: AbortSignal): Promise<Crew | null> {
    throwIfAborted(signal);
    const ws = await pool.acquire(count);
    if (ws.length < 2) {
      pool.release(ws, true);
      return null;
    }
    if (signal?.aborted) {
      pool.release(ws, false);
      throw new AbortError();
    }
    return new Crew(ws, signal);
  }

  /**
   * A crew for the sums `owner` of the main thread, or null when there are no
   * workers here; `owner` is disposed whenever no crew is returned.
   */
  static async hireFor(owner: { dispose(): void }, count: number, signal?: AbortSignal): Promise<Crew | null> {
    let crew: Crew | null = null;
    try {
      crew = await Crew.hire(count, signal);
    } finally {
      if (!crew) owner.dispose();
    }
    return crew;
  }

  /** Maps a failure to what the caller sees: AbortError after an abort, else the worker's own error. */
  error(e: unknown): unknown {
    return this.aborted || this.signal?.aborted ? new AbortError() : e;
  }

  /** Throws after an abort, or the recorded failure if it lies before `key` (any failure by default). */
  check(key = Infinity): void {
    if (this.aborted || this.signal?.aborted) throw new AbortError();
    if (this.failure && this.failure.key < key) throw this.failure.error;
  }

  private fail(key: number, error: unknown): void {
    if (!this.failure || key < this.failure.key) this.failure = { key, error };
  }

  /**
   * Promise.all for the feeders of one pass, waiting for every one to settle:
   * then the abort, or the failure of the lowest key, is thrown.
   */
  async all<T>(tasks: Promise<T>[]): Promise<T[]> {
    const settled = await Promise.allSettled(tasks);
    for (const s of settled) if (s.status === 'rejected') this.fail(Infinity, s.reason);
    this.check();
    return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
  }

  finish(clean: boolean): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    pool.release(this.workers, clean && !this.aborted);
  }

  /**
   * Sends `w` the messages for rows [a, b) in SEND_ROWS steps, at most MAX_IN_FLIGHT
   * unanswered; `make` reads and copies the rows. Resolves when all are processed;
   * rejects once a failure lies before its next chunk. `order` places row 0 of
   * this set in one thread's order (FINC: Y's rows come after all of X's).
   */
  async feed(
    w: PoolWorker,
    a: number,
    b: number,
    make: (r0: number, rows: number) => { req: Request; transfer: Transferable[] },
    progress?: Progress,
    order = 0,
  ): Promise<void> {
    const posted: Promise<unknown>[] = [];
    try {
      for (let r0 = a; r0 < b; r0 += SEND_ROWS) {
        const key = order + r0;
        this.check(key);
        try {
          await w.below(MAX_IN_FLIGHT);
          this.check(key);
          const rows = Math.min(SEND_ROWS, b - r0);
          const { req, transfer } = make(r0, rows);
          posted.push(
            w.call(req, transfer).then(
              () => progress?.add(rows),
              (e) => this.fail(key, e),
            ),
          );
        } catch (e) {
          this.fail(key, e);
          throw e;
        }
      }
    } finally {
      await Promise.all(posted);
    }
    this.check(order + b);
  }
}

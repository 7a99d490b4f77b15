// Cooperative long work: yield a macrotask often enough that an AbortSignal is
// seen within ~50 ms, and report progress at least every ~100 ms (docs/design.md §3).
// Works in Node, Deno and browsers (setImmediate where it exists, else setTimeout).
import type { ProgressEvent } from '../types/index.js';
import { throwIfAborted } from '../errors.js';

// Browsers clamp chained setTimeout(0) to ≥ 4 ms (10% of a 40 ms step), so
// where setImmediate is missing a MessageChannel message is the macrotask: a
// fresh channel per yield, closed on delivery, so no open port keeps a Deno or
// Node process alive.
type Timers = { setImmediate?: (f: () => void) => unknown };
const macrotask: () => Promise<void> =
  typeof (globalThis as Timers).setImmediate === 'function'
    ? () => new Promise((r) => (globalThis as Timers).setImmediate!(r))
    : typeof globalThis.MessageChannel === 'function'
      ? () =>
          new Promise<void>((r) => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => {
              ch.port1.close();
              ch.port2.close();
              r();
            };
            ch.port2.postMessage(null);
          })
      : () => new Promise((r) => setTimeout(r, 0));

/**
 * Time budget of one synchronous step between yields. Shorter steps cost
 * throughput (at D = 2000, 64-row steps run the SYRK ~1.7× slower than 512-row
 * ones); 50 ms keeps an abort well inside ~200 ms. Step generators size their
 * steps to STEP_MS/2 and tick() yields once YIELD_MS have passed, so no stretch
 * of main-thread work between yields is much over STEP_MS.
 */
export const STEP_MS = 50;
/** tick() yields when the last yield is at least this long ago. */
export const YIELD_MS = 20;

/**
 * Test hook (internal: not exported from index.ts): steps run by drive() and
 * macrotask yields taken by tick() on this thread, so tests count work between
 * yields instead of timing it.
 */
export const counters = { steps: 0, yields: 0 };

/** What a run of a stage is for, carried on its progress events (ProgressEvent.side and .label). */
export type ProgressContext = Pick<ProgressEvent, 'side' | 'label'>;

export class Cooperative {
  private lastYield = performance.now();
  private lastProgress = -Infinity;
  private lastStage = '';
  private lastDone = -1;
  private context: ProgressContext = {};
  constructor(
    readonly signal?: AbortSignal,
    readonly onProgress?: (e: ProgressEvent) => void,
  ) {
    throwIfAborted(signal);
  }

  /** Reports progress (throttled to ~20 per second; a stage's first and last events always). */
  progress(stage: ProgressEvent['stage'], done: number, total: number, message?: string): void {
    if (!this.onProgress) return;
    const now = performance.now();
    const { side, label } = this.context;
    // A run of the stage for another side or purpose is a stage of its own: its first event always goes out.
    const key = `${stage}|${side ?? ''}|${label ?? ''}`;
    const first = key !== this.lastStage,
      last = done >= total && !(this.lastDone >= total);
    if (first || last || now - this.lastProgress >= 50) {
      this.lastProgress = now;
      this.lastStage = key;
      this.lastDone = done;
      const e: ProgressEvent = message === undefined ? { stage, done, total } : { stage, done, total, message };
      if (side) e.side = side;
      if (label) e.label = label;
      this.onProgress(e);
    }
  }

  /** Runs `f` with its progress events marked by `context` (the side worked on, the purpose). */
  async within<T>(context: ProgressContext, f: () => Promise<T>): Promise<T> {
    const before = this.context;
    this.context = { ...before, ...context };
    try {
      return await f();
    } finally {
      this.context = before;
    }
  }

  /** Yields to the event loop if the last yield was ≥ YIELD_MS ago, then checks the signal. */
  async tick(): Promise<void> {
    if (performance.now() - this.lastYield >= YIELD_MS) {
      await macrotask();
      counters.yields++;
      this.lastYield = performance.now();
    }
    throwIfAborted(this.signal);
  }
}

/**
 * Rows per synchronous step so one step takes about STEP_MS/2: starts small and
 * adapts from the measured time per row.
 */
export class StepSizer {
  rows: number;
  constructor(
    private min = 16,
    private max = 4096,
    start = 128,
  ) {
    this.rows = start;
  }
  /** Records that `rows` rows took `ms` milliseconds. */
  observe(rows: number, ms: number): void {
    if (rows <= 0) return;
    const perRow = Math.max(ms, 0.01) / rows;
    const want = Math.round(STEP_MS / 2 / perRow);
    this.rows = Math.max(this.min, Math.min(this.max, want, this.rows * 4));
  }
}

/**
 * What a resumable computation yields between its synchronous steps: its
 * progress, in units named by `message` (for example "Cholesky pivots").
 */
export interface Step {
  done: number;
  total: number;
  message?: string;
  /**
   * Work the computation waits for before its next step (a worker's reply):
   * drive() awaits it; drain() cannot, and refuses such a computation.
   */
  wait?: Promise<unknown>;
}

/**
 * Runs a step generator to completion without yielding to the event loop (the
 * synchronous API of the same computation).
 */
export function drain<T>(gen: Generator<Step | void, T>): T {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
    if (r.value?.wait) {
      r.value.wait.catch(() => {});
      gen.return(undefined as T);
      throw new Error('spec-embed: this computation waits for other threads and cannot run synchronously; run it with drive()');
    }
  }
}

/**
 * Runs a step generator cooperatively: between its steps, reports progress as
 * `stage` and yields to the event loop when due (Cooperative.tick). On abort
 * (or any error) the generator is closed, so its `finally` blocks free what it
 * allocated.
 */
export async function drive<T>(gen: Generator<Step | void, T>, coop: Cooperative, stage: ProgressEvent['stage']): Promise<T> {
  try {
    for (;;) {
      const r = gen.next();
      counters.steps++;
      if (r.done) return r.value;
      if (r.value) coop.progress(stage, r.value.done, r.value.total, r.value.message);
      if (r.value?.wait) await r.value.wait;
      await coop.tick();
    }
  } finally {
    gen.return(undefined as T);
  }
}

/**
 * Splits work whose cost is known in abstract units (flops, tiles, rows × columns)
 * into synchronous steps of about `ms` milliseconds, from the measured time per
 * unit: the first step is small, later ones adapt.
 */
export class WorkSizer {
  private perUnit = 0;
  private t = 0;
  constructor(
    private ms = STEP_MS / 2,
    private first = 1,
  ) {}
  /** Units for the next step (≥ 1). */
  units(): number {
    return this.perUnit > 0 ? Math.max(1, Math.floor(this.ms / this.perUnit)) : this.first;
  }
  start(): void {
    this.t = performance.now();
  }
  /** Records that the step started by `start()` did `units` units. */
  stop(units: number): void {
    if (units <= 0) return;
    const per = Math.max(performance.now() - this.t, 0.001) / units;
    // Smooth upward jumps (a slow step on a busy machine), accept faster ones slowly too.
    this.perUnit = this.perUnit > 0 ? 0.5 * this.perUnit + 0.5 * per : per;
  }
}

/**
 * Re-labels a step generator's progress as rows `base + done` of `total` (a
 * chunk's steps inside a whole pass); closing it closes the inner one.
 */
export function* shifted<T>(gen: Generator<Step | void, T>, base: number, total: number, message?: string): Generator<Step, T> {
  try {
    for (;;) {
      const r = gen.next();
      if (r.done) return r.value;
      const step: Step = { done: base + (r.value ? r.value.done : 0), total, message };
      if (r.value?.wait) step.wait = r.value.wait;
      yield step;
    }
  } finally {
    gen.return(undefined as T);
  }
}

/** Elements per step of whole-buffer passes in JS (fill, add): ~1–5 ms each. */
const BAND = 1 << 20;

/** Sets `len` elements of `view()` to 0 in bands, yielding between them (`view` is re-read: memory may grow between steps). */
export function* zeroSteps(view: () => Float64Array, len = view().length): Generator<void, void> {
  for (let o = 0; o < len; o += BAND) {
    view().fill(0, o, Math.min(len, o + BAND));
    if (o + BAND < len) yield;
  }
}

/** dst()[i] += src[i] for every i, in bands (element-wise, so the sums equal one pass's). */
export function* addSteps(dst: () => Float64Array, src: Float64Array): Generator<void, void> {
  for (let o = 0; o < src.length; o += BAND) {
    const d = dst(),
      e = Math.min(src.length, o + BAND);
    for (let i = o; i < e; i++) d[i] += src[i];
    if (e < src.length) yield;
  }
}

/** Adds the seconds since `t` to timings[key]; returns now (the start of the next stage). */
export function lap(timings: Record<string, number>, key: string, t: number): number {
  const now = performance.now();
  timings[key] = (timings[key] ?? 0) + (now - t) / 1000;
  return now;
}

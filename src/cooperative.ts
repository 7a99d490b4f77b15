// Cooperative long work: yield a macrotask often enough that an AbortSignal is
// seen within ~50 ms, and report progress at least every ~100 ms (DESIGN.md §4).
// Works in Node, Deno and browsers (setImmediate where it exists, else setTimeout).
import type { ProgressEvent } from './types.js';
import { throwIfAborted } from './validate.js';

const macrotask: () => Promise<void> =
  typeof (globalThis as any).setImmediate === 'function'
    ? () => new Promise((r) => (globalThis as any).setImmediate(r))
    : () => new Promise((r) => setTimeout(r, 0));

/**
 * Time budget of one synchronous step between yields. Shorter steps cost
 * throughput (at D = 2000, 64-row steps run the SYRK ~1.7× slower than 512-row
 * ones); 50 ms keeps an abort well inside ~200 ms.
 */
export const STEP_MS = 50;

export class Cooperative {
  private lastYield = performance.now();
  private lastProgress = -Infinity;
  constructor(private signal?: AbortSignal, private onProgress?: (e: ProgressEvent) => void) {
    throwIfAborted(signal);
  }

  /** Reports progress (throttled to ~20 per second, first and last always). */
  progress(stage: ProgressEvent['stage'], done: number, total: number, message?: string): void {
    if (!this.onProgress) return;
    const now = performance.now();
    if (done === 0 || done >= total || now - this.lastProgress >= 50) {
      this.lastProgress = now;
      this.onProgress(message === undefined ? { stage, done, total } : { stage, done, total, message });
    }
  }

  /** Yields to the event loop if the last yield was ≥ ~40 ms ago, then checks the signal. */
  async tick(): Promise<void> {
    if (performance.now() - this.lastYield >= 40) {
      await macrotask();
      this.lastYield = performance.now();
    }
    throwIfAborted(this.signal);
  }
}

/**
 * Rows per synchronous step so one step takes about STEP_MS: starts small and
 * adapts from the measured time per row.
 */
export class StepSizer {
  rows: number;
  constructor(private min = 16, private max = 4096, start = 128) {
    this.rows = start;
  }
  /** Records that `rows` rows took `ms` milliseconds. */
  observe(rows: number, ms: number): void {
    if (rows <= 0) return;
    const perRow = Math.max(ms, 0.01) / rows;
    const want = Math.round(STEP_MS / perRow);
    this.rows = Math.max(this.min, Math.min(this.max, want, this.rows * 4));
  }
}

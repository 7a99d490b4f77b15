// The worker pool: workers start lazily (the first parallel call), initialise
// their own wasm instance from the main thread's compiled module, are reused
// across calls, idle unreferenced (they never keep a Node process alive), are
// reaped after IDLE_MS idle, and are terminated, never reused, after an error or
// an abort (a worker interrupted mid-task may hold half-updated state).
// Where an idle worker cannot be unreferenced (Deno's Web Worker) it would hold
// the process until the reaper: there the pool terminates its idle workers one
// macrotask after the last worker in use came back, so a script ends when its
// work does. Calls chained by `await` alone still find the workers warm.
import { init, wasmModule } from '../wasm/loader.js';
import { WORKER_SOURCE } from '../generated/worker-source.js';
import type { ProgressEvent } from '../types/index.js';
import { fromWire, type Reply, type Request } from './protocol.js';
import { startWorker, type RawWorker } from './platform.js';

/** Idle workers are terminated after this long (each holds its own wasm memory). */
const IDLE_MS = 15_000;
/** A worker that has not answered `init` by then is treated as unavailable. */
const START_MS = 60_000;

/** The script workers run; a worker sets it from its `init` message so that it can start workers itself. */
let source: string = WORKER_SOURCE;
export function setWorkerSource(s: string): void {
  source = s;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (e: ProgressEvent) => void;
}

/** One worker with request/reply bookkeeping. */
export class PoolWorker {
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private waiters: (() => void)[] = [];
  private raw: RawWorker | null = null;
  /** Set once the worker failed or was terminated; every later call rejects with it. */
  failed: Error | null = null;

  attach(raw: RawWorker): void {
    this.raw = raw;
  }

  /** An idle worker that would keep the process alive (see RawWorker.holdsProcess). */
  get holdsProcess(): boolean {
    return this.raw?.holdsProcess ?? false;
  }

  onMessage(d: Reply): void {
    const p = this.pending.get(d.id);
    if (!p) return;
    if ('progress' in d) {
      p.onProgress?.(d.progress as ProgressEvent);
      return;
    }
    this.pending.delete(d.id);
    if (d.ok) p.resolve(d.value);
    else p.reject(fromWire(d.error));
    this.wake();
  }

  onError(e: Error): void {
    if (this.failed) return;
    this.failed = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.wake();
    pool.forget(this);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Requests still unanswered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Resolves once fewer than `n` requests are unanswered (bounds the chunks in flight). */
  async below(n: number): Promise<void> {
    while (this.pending.size >= n && !this.failed) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failed) throw this.failed;
  }

  call<T>(req: Request, transfer: Transferable[] = [], onProgress?: (e: ProgressEvent) => void): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      try {
        this.raw!.post({ id, ...req }, transfer);
      } catch (e) {
        this.pending.delete(id);
        reject(e);
      }
    });
  }

  ref(): void {
    this.raw?.ref();
  }
  unref(): void {
    this.raw?.unref();
  }

  terminate(): void {
    if (!this.failed) this.onError(new Error('spec-embed: worker terminated'));
    this.raw?.terminate();
    this.raw = null;
  }
}

class Pool {
  private idle: PoolWorker[] = [];
  private all = new Set<PoolWorker>();
  /** Workers handed out by acquire() and not yet released. */
  private busy = new Set<PoolWorker>();
  private reaper: ReturnType<typeof setTimeout> | null = null;
  private sweep: ReturnType<typeof setTimeout> | null = null;
  /** False once starting a worker failed: this runtime then computes on one thread. */
  available = true;

  forget(w: PoolWorker): void {
    this.all.delete(w);
    this.busy.delete(w);
    this.idle = this.idle.filter((x) => x !== w);
  }

  private async start(): Promise<PoolWorker | null> {
    const w = new PoolWorker();
    let raw: RawWorker | null;
    try {
      raw = await startWorker(source, { message: (d) => w.onMessage(d), error: (e) => w.onError(e) });
    } catch {
      raw = null;
    }
    if (!raw) return null;
    w.attach(raw);
    this.all.add(w);
    await init();
    const module = wasmModule();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        w.call({ op: 'init', module: module ?? undefined, source }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('spec-embed: worker did not start')), START_MS);
        }),
      ]);
      return w;
    } catch {
      w.terminate();
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Up to `count` initialised workers, referenced while in use; fewer (maybe none) if the runtime has no workers. */
  async acquire(count: number): Promise<PoolWorker[]> {
    this.stopReaper();
    const got = this.idle.splice(0, count);
    const fresh = await Promise.all(Array.from({ length: this.available ? count - got.length : 0 }, () => this.start()));
    for (const w of fresh) {
      if (w) got.push(w);
      else this.available = false;
    }
    for (const w of got) {
      w.ref();
      this.busy.add(w);
    }
    return got;
  }

  /** Back to the pool after a clean finish; terminated after an error or abort. */
  release(workers: PoolWorker[], clean: boolean): void {
    for (const w of workers) {
      this.busy.delete(w);
      if (!clean || w.failed || w.inFlight > 0) {
        w.terminate();
        continue;
      }
      w.unref();
      this.idle.push(w);
    }
    if (this.idle.length > 0) this.startReaper();
    if (this.idle.some((w) => w.holdsProcess)) this.startSweep();
  }

  /**
   * Terminates, one macrotask from now, the idle workers that would hold the
   * process, unless a run is using workers then (its release sweeps again). A
   * timer rather than at once: the caller's `await` continuation runs first and
   * may take the workers for its next call.
   */
  private startSweep(): void {
    if (this.sweep !== null) return;
    this.sweep = setTimeout(() => {
      this.sweep = null;
      if (this.busy.size > 0) return;
      const hold = this.idle.filter((w) => w.holdsProcess);
      this.idle = this.idle.filter((w) => !w.holdsProcess);
      for (const w of hold) w.terminate();
      if (this.idle.length === 0) this.stopReaper();
    }, 0);
  }

  private startReaper(): void {
    this.stopReaper();
    this.reaper = setTimeout(() => this.shutdownIdle(), IDLE_MS);
    unrefTimer(this.reaper);
  }

  private stopReaper(): void {
    if (this.reaper !== null) clearTimeout(this.reaper);
    this.reaper = null;
  }

  shutdownIdle(): void {
    this.stopReaper();
    if (this.sweep !== null) clearTimeout(this.sweep);
    this.sweep = null;
    for (const w of this.idle.splice(0)) w.terminate();
  }

  shutdown(): void {
    this.shutdownIdle();
    for (const w of [...this.all]) w.terminate();
  }
}

/** A timer that does not keep Node or Deno running. */
function unrefTimer(t: any): void {
  if (typeof t?.unref === 'function') t.unref();
  else if (typeof (globalThis as any).Deno?.unrefTimer === 'function' && typeof t === 'number') (globalThis as any).Deno.unrefTimer(t);
}

export const pool = new Pool();

/**
 * Terminates every worker spec-embed started (idle ones are also reaped on their
 * own after 15 s, and at once in Deno). Calls in progress on those workers reject.
 */
export function terminateWorkers(): void {
  pool.shutdown();
}

// `{ worker: true }`: the whole analysis runs in a worker, so a page's main
// thread stays responsive. Inputs are copied to the worker (the caller's
// arrays stay usable), progress events are forwarded, an abort terminates the
// worker at once, and the result is the one the worker's compare()/finc() made.
// Where workers are unavailable the analysis runs in process instead.
import { AbortError } from '../errors.js';
import type { ProgressEvent } from '../types/index.js';
import { throwIfAborted } from '../validate/checks.js';
import { pool } from './pool.js';

interface Offloadable {
  onProgress?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
  worker?: boolean;
}

/** Runs `task` in a worker; null when this runtime has none (the caller then runs it in process). */
export async function offload<R>(task: 'compare' | 'finc', X: unknown, Y: unknown, options: Offloadable): Promise<R | null> {
  const { onProgress, signal, worker: _worker, ...rest } = options;
  throwIfAborted(signal);
  const [w] = await pool.acquire(1);
  if (!w) return null;
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    pool.release([w], false);
  };
  signal?.addEventListener('abort', onAbort);
  let clean = false;
  try {
    if (signal?.aborted) onAbort();
    const result = await w.call<R>({ op: 'run', task, X, Y, options: rest }, [], onProgress);
    clean = true;
    return result;
  } catch (e) {
    throw aborted || signal?.aborted ? new AbortError() : e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!aborted) pool.release([w], clean);
  }
}

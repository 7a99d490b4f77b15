// One worker API over the three runtimes, detected at run time: Node
// `worker_threads` (eval of the worker source), and the Web Worker of Deno and
// browsers (a module worker from a Blob URL). No file system or bundler is
// involved: the worker source is a string carried in the bundle. Runtimes with
// neither (edge functions) get `null`, and callers fall back to one thread.

/** A started worker, whatever the runtime. */
export interface RawWorker {
  post(message: unknown, transfer?: Transferable[]): void;
  /** Lets the process exit while this worker idles (Node); a no-op elsewhere. */
  unref(): void;
  /**
   * True where an idle worker keeps the process running all the same: Deno's
   * Web Worker has no unref() (only its node:worker_threads has), so the pool
   * must terminate such workers once it is idle.
   */
  readonly holdsProcess: boolean;
  ref(): void;
  terminate(): void;
}

export interface WorkerEvents {
  message(data: any): void;
  /** The worker failed outside any task (a crash, a script error, or it exited). */
  error(err: Error): void;
}

const g = globalThis as any;

/** Node's built-in modules without a static import (bundles for browsers must not see one); Node < 20.16 lacks it. */
function nodeBuiltin(name: string): any {
  const get = g.process?.getBuiltinModule;
  return typeof get === 'function' ? get(name) : null;
}

async function nodeBuiltinAsync(name: string): Promise<any> {
  const m = nodeBuiltin(name);
  if (m) return m;
  const spec = name; // a variable: bundlers leave the import alone
  return import(/* @vite-ignore */ /* webpackIgnore: true */ spec);
}

export type RuntimeKind = 'node' | 'web' | 'none';

/** Which worker API this runtime has. Deno is checked first: it defines `process` under Node compatibility. */
export function runtimeKind(): RuntimeKind {
  if (typeof g.Deno === 'undefined' && typeof g.process?.versions?.node === 'string') return 'node';
  if (typeof g.Worker === 'function' && typeof g.Blob === 'function' && typeof g.URL?.createObjectURL === 'function') return 'web';
  return 'none';
}

/** Logical cores (navigator.hardwareConcurrency or os.availableParallelism()), 1 if unknown. */
export async function hardwareThreads(): Promise<number> {
  const hc = g.navigator?.hardwareConcurrency;
  if (typeof hc === 'number' && hc >= 1) return Math.floor(hc);
  if (runtimeKind() === 'node') {
    try {
      const os = await nodeBuiltinAsync('node:os');
      const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
      if (n >= 1) return n;
    } catch {
      // fall through: one thread
    }
  }
  return 1;
}

let blobUrl: { source: string; url: string } | null = null;

/** Starts a worker running `source` (a self-contained classic/module-compatible script), or null. */
export async function startWorker(source: string, on: WorkerEvents): Promise<RawWorker | null> {
  const kind = runtimeKind();
  if (kind === 'node') {
    let wt: any;
    try {
      wt = await nodeBuiltinAsync('node:worker_threads');
    } catch {
      return null;
    }
    // An eval worker runs as CommonJS: the bundle is an IIFE (no import/export), and
    // the prologue hands it the parent port, which only `require` reaches there.
    const prologue = 'globalThis.__specEmbedPort = require("node:worker_threads").parentPort;\n';
    const w = new wt.Worker(prologue + source, { eval: true });
    w.on('message', (d: unknown) => on.message(d));
    w.on('error', (e: Error) => on.error(e instanceof Error ? e : new Error(String(e))));
    w.on('exit', (code: number) => on.error(new Error(`spec-embed: worker exited (code ${code})`)));
    return {
      post: (m, t) => w.postMessage(m, t),
      unref: () => w.unref(),
      ref: () => w.ref(),
      holdsProcess: false,
      terminate: () => void w.terminate(),
    };
  }
  if (kind === 'web') {
    if (!blobUrl || blobUrl.source !== source) {
      blobUrl = { source, url: URL.createObjectURL(new Blob([source], { type: 'text/javascript' })) };
    }
    let w: Worker;
    try {
      w = new g.Worker(blobUrl.url, { type: 'module', name: 'spec-embed' });
    } catch {
      return null; // e.g. a Content-Security-Policy without blob: in worker-src
    }
    w.onmessage = (e: MessageEvent) => on.message(e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault?.();
      on.error(new Error(e.message || 'spec-embed: worker failed'));
    };
    w.onmessageerror = () => on.error(new Error('spec-embed: a worker message could not be deserialised'));
    return {
      post: (m, t) => w.postMessage(m, t ?? []),
      unref: () => {},
      ref: () => {},
      // A page has no process to hold; a Deno script does.
      holdsProcess: typeof g.Deno !== 'undefined',
      terminate: () => w.terminate(),
    };
  }
  return null;
}

// Several 2-D layouts at once (a compare report's X and Y maps): each on its
// own layout worker where the runtime has workers (Node worker_threads, Web
// Workers), else one after another in process. Same seed, same result either
// way: a worker runs the same layout2d on the same rows.
import { LAYOUT_WORKER_SOURCE } from '../generated/layout-worker-source.js';
import { startWorker, type RawWorker } from '../runtime/platform.js';
import { layout2d, type Layout, type LayoutOptions } from './layout.js';
import type { LayoutReply } from './layout-worker.js';

/** One layout to compute: n × d row-major rows and layout2d's options (no callback). */
export interface LayoutJob {
  data: Float32Array;
  n: number;
  d: number;
  options: Omit<LayoutOptions, 'onProgress'>;
}

export interface LayoutsOptions {
  /** Lay out on workers where there are any (default true); false: in process, one after another. */
  workers?: boolean;
  /** Fraction done of job `job` (each job reports 0 … 1). */
  onProgress?: (job: number, fraction: number) => void;
  /** Test hook: the worker script (default: the bundled layout worker). */
  source?: string;
}

/** The layouts of `jobs`, in order. */
export async function layoutAll(jobs: LayoutJob[], opts: LayoutsOptions = {}): Promise<Layout[]> {
  if (opts.workers !== false && jobs.length > 1) {
    const out = await onWorkers(jobs, opts);
    if (out) return out;
  }
  const out: Layout[] = [];
  for (const [i, j] of jobs.entries()) out.push(await layout2d(j.data, j.n, j.d, { ...j.options, onProgress: (f) => opts.onProgress?.(i, f) }));
  return out;
}

/** Every job on its own worker; null when a worker cannot be started (the caller lays out in process). */
async function onWorkers(jobs: LayoutJob[], opts: LayoutsOptions): Promise<Layout[] | null> {
  const started: RawWorker[] = [];
  const results: Promise<Layout>[] = [];
  try {
    for (const [i, job] of jobs.entries()) {
      let settle: { resolve(l: Layout): void; reject(e: Error): void } | undefined;
      const done = new Promise<Layout>((resolve, reject) => {
        settle = { resolve, reject };
      });
      done.catch(() => {}); // observed below; a failure before then must not be unhandled
      const w = await startWorker(opts.source ?? LAYOUT_WORKER_SOURCE, {
        message: (m: LayoutReply) => {
          if ('progress' in m) opts.onProgress?.(i, m.progress);
          else if (m.ok) settle!.resolve({ method: m.method, xy: m.xy });
          else settle!.reject(new Error(m.error));
        },
        error: (e) => settle!.reject(e),
      });
      if (!w) {
        for (const s of started) s.terminate();
        return null;
      }
      started.push(w);
      // A copy of the rows goes to the worker; the caller keeps its own.
      w.post({ id: i, data: job.data, n: job.n, d: job.d, options: job.options });
      results.push(done);
    }
    return await Promise.all(results);
  } finally {
    for (const w of started) w.terminate();
  }
}

/** layoutAll on workers, in the shape of PrepareOptions.layoutRunner (what the CLI passes). */
export const workerLayouts = (jobs: LayoutJob[], onProgress: (job: number, fraction: number) => void): Promise<Layout[]> => layoutAll(jobs, { onProgress });

// The exact route's kernel matrices over workers: each worker holds the side's
// scale-free rows and computes blocks of GRAM_BLOCK rows of K from the diagonal
// on (gram-shard.ts), taken from one queue as workers become free; the main
// thread copies each block into K and mirrors the lower triangle at the end (in
// wasm: mirroring each block in JS while the workers compute measured slower,
// the main thread then competing with them for the cores).
// The entries do not depend on which worker computed them, so K is bit-identical
// to the one-thread K.
import { symmetrizeRows } from '../wasm/gram.js';
import type { WasmArray } from '../wasm/memory.js';
import type { Cooperative } from './cooperative.js';
import { Crew, MAX_DEFAULT_THREADS } from './plan.js';
import { hardwareThreads } from './platform.js';
import type { GramSpec } from './gram-shard.js';
import type { PoolWorker } from './pool.js';

/** Rows per request, a multiple of 32 (gram-shard.ts); 256 rows at n = 11000 are 22 MB of f64. */
const GRAM_BLOCK = 256;
/** Rows mirrored per step at the end (one n² pass, ~150 ms at n = 11000). */
const MIRROR_ROWS = 512;
/**
 * With the default thread count, kernels below this many multiply-adds (n²·d)
 * stay on one thread. Measured on B3 (n = 4000, d = 768 + 512): one thread forms
 * both kernels at ~3.6·10¹⁰ n²·d per second (0.57 s), two warm workers in 0.37 s;
 * starting two workers costs ~0.05–0.1 s, so a side below ~4·10⁹ (~0.1 s) gains nothing.
 */
const MIN_GRAM_WORK = 4e9;

/** Workers for one kernel matrix: 1 means in process. */
async function gramThreads(option: number | undefined, n: number, d: number): Promise<number> {
  const t = option ?? Math.min(MAX_DEFAULT_THREADS, await hardwareThreads());
  if (t <= 1) return 1;
  if (option === undefined && n * n * d < MIN_GRAM_WORK) return 1;
  return Math.min(t, Math.ceil(n / GRAM_BLOCK));
}

/**
 * Fills `out` (n × n f64) with the kernel matrix of the n × d rows `x` on
 * workers and returns how many; 0 (nothing done) when it should run in process:
 * one thread, a small matrix under the default thread count, or no workers here.
 */
export async function parallelGram(
  x: WasmArray<Float32Array>,
  spec: GramSpec,
  out: WasmArray<Float64Array>,
  threads: number | undefined,
  coop: Cooperative,
  rowBase: number,
  rowTotal: number,
): Promise<number> {
  const { n } = spec;
  const T = await gramThreads(threads, n, spec.d);
  if (T < 2) return 0;
  const crew = await Crew.hire(T, coop.signal);
  if (!crew) return 0;
  let clean = false;
  try {
    await Promise.all(
      crew.workers.map((w) => {
        const rows = x.view.slice(0, n * spec.d);
        return w.call({ op: 'gramBegin', spec, x: rows }, [rows.buffer]);
      }),
    );
    let next = 0,
      done = 0;
    const work = async (w: PoolWorker) => {
      while (next < n) {
        crew.check();
        const r0 = next,
          r1 = Math.min(n, r0 + GRAM_BLOCK);
        next = r1;
        const band = await w.call<Float64Array>({ op: 'gramRows', r0, r1 });
        const m = n - r0,
          K = out.view;
        for (let i = r0; i < r1; i++) K.set(band.subarray((i - r0) * m + (i - r0), (i - r0 + 1) * m), i * n + i);
        done += r1 - r0;
        coop.progress('gram', rowBase + done, rowTotal, 'kernel rows');
      }
    };
    await Promise.all(crew.workers.map(work));
    await Promise.all(crew.workers.map((w) => w.call({ op: 'free' })));
    clean = true;
  } catch (e) {
    throw crew.error(e);
  } finally {
    crew.finish(clean);
  }
  for (let r0 = 0; r0 < n; r0 += MIRROR_ROWS) {
    symmetrizeRows(out, n, r0, Math.min(n, r0 + MIRROR_ROWS));
    await coop.tick();
  }
  return crew.workers.length;
}

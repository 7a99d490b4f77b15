// Shared benchmark helpers: medians via benchmark.js, NumPy/SciPy baselines run
// from the same script (one BLAS thread), and the ratio table every suite prints.
import Benchmark from 'benchmark';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Median seconds of `fn` (sync) over benchmark.js samples. */
export function medianSeconds(fn, { minSamples = 5, maxTime = 10 } = {}) {
  const b = new Benchmark({ fn, minSamples, maxTime, initCount: 1, defer: false });
  b.run({ async: false });
  if (b.error) throw b.error;
  const s = [...b.stats.sample].sort((a, c) => a - c);
  return s[Math.floor(s.length / 2)];
}

/** Median seconds of an async `fn` over `runs` runs (for whole pipelines). */
export async function medianSecondsAsync(fn, runs = 3) {
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push((performance.now() - t0) / 1000);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

/**
 * Runs bench/python/<script> with one BLAS thread and returns its JSON output
 * ({ name: medianSeconds, ... }). OPENBLAS_CORETYPE/L2_SIZE are unset for this
 * process alone so current NumPy picks its native kernels.
 */
export function pythonBaseline(script, args = []) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync('python3', [join(HERE, 'python', script), ...args.map(String)], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`baseline ${script} failed:\n${r.stderr}`);
  return JSON.parse(String(r.stdout.trim().split('\n').pop()));
}

/** Prints the ratio table: kernel, size, ours, baseline, ratio, GFLOP/s. */
export function printTable(rows) {
  const head = ['kernel', 'size', 'ours (s)', 'NumPy/SciPy (s)', 'ratio', 'GFLOP/s', 'target'];
  const body = rows.map((r) => [
    r.kernel,
    r.size,
    r.ours.toFixed(4),
    r.base == null ? '-' : r.base.toFixed(4),
    r.base == null ? '-' : (r.ours / r.base).toFixed(2),
    r.flops == null ? '-' : (r.flops / r.ours / 1e9).toFixed(1),
    r.target ?? '',
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(w[i])).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|');
  for (const b of body) console.log(line(b));
}

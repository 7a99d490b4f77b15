// Main-thread stalls and abort latency of compare(), finc() and align(), per
// stage. A 5 ms setInterval probe records every gap between its turns; a gap is
// booked to the stage of the last onProgress event seen when it began ('start'
// before the first event; 'A→B' when an event arrived during the gap). A second
// set of runs aborts each stage when its first event arrives and times the
// rejection. Random Gaussian data (seeded), so nothing is read from disk.
//
//   node bench/stalls.mjs [--runs N] [--only name,name] [--no-abort]
//
// Needs a build (`npm run build`): it imports dist/.
import { init, compare, finc, align } from '../dist/index.js';

const argv = process.argv.slice(2);
const value = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const RUNS = Number(value('--runs', 1));
const ONLY = value('--only', '')?.split(',').filter(Boolean) ?? [];
const ABORT = !argv.includes('--no-abort');
await init();

/** rows × cols standard normal f32 (mulberry32 + Box–Muller), seeded. */
function gaussian(rows, cols, seed) {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u())),
      th = 2 * Math.PI * u();
    data[i] = r * Math.cos(th);
    if (i + 1 < data.length) data[i + 1] = r * Math.sin(th);
  }
  return { data, rows, cols };
}

const big = [gaussian(20000, 384, 1), gaussian(20000, 384, 2)];
const mid = [gaussian(4000, 384, 3), gaussian(4000, 384, 4)];
const fincCov = [gaussian(10000, 384, 5), gaussian(10000, 384, 6)];
const fincEx = [gaussian(1000, 384, 7), gaussian(1000, 384, 8)];
const al = [gaussian(6000, 128, 9), gaussian(6000, 128, 10)];

/** @type {[string, () => any[]][]} */
const cases = [];
for (const threads of [1, 2, 'worker']) {
  const t = threads === 'worker' ? { worker: true, threads: 1 } : { threads };
  const tl = threads === 'worker' ? 'worker' : `t${threads}`;
  for (const sigma of ['auto', 8]) {
    cases.push([`compare cov σ=${sigma} ${tl}`, () => [compare, big, { kernel: { type: 'gaussian', sigma }, method: 'covariance', topK: 5, ...t }]]);
    cases.push([`compare exact σ=${sigma} ${tl}`, () => [compare, mid, { kernel: { type: 'gaussian', sigma }, method: 'exact', topK: 5, ...t }]]);
  }
  cases.push([`finc cov ${tl}`, () => [finc, fincCov, { kernel: { type: 'gaussian', sigma: 'auto', rffDim: 1500 }, method: 'covariance', topK: 5, ...t }]]);
  cases.push([`finc exact ${tl}`, () => [finc, fincEx, { kernel: { type: 'gaussian', sigma: 'auto' }, method: 'exact', topK: 5, ...t }]]);
}
cases.push(['align 6000×128 b4000', () => [align, al, { batch: 4000, epochs: 2 }]]);

/** One run: the longest gap per stage (ms), the stages in order, and the wall time. */
async function stalls(fn, [X, Y], opts) {
  let stage = 'start',
    last = performance.now(),
    lastStage = stage;
  const worst = new Map();
  const book = (now) => {
    const key = lastStage === stage ? stage : `${lastStage}→${stage}`;
    worst.set(key, Math.max(worst.get(key) ?? 0, now - last));
    last = now;
    lastStage = stage;
  };
  const probe = setInterval(() => book(performance.now()), 5);
  const order = [];
  const t0 = performance.now();
  await fn(X, Y, {
    ...opts,
    onProgress: (e) => {
      if (e.stage !== stage) order.push(e.stage);
      stage = e.stage;
    },
  });
  book(performance.now());
  clearInterval(probe);
  return { worst, order, wall: performance.now() - t0 };
}

/** Abort when `target` is first seen; ms from abort() to the rejection (or null if the stage never came). */
async function abortLatency(fn, [X, Y], opts, target) {
  const ac = new AbortController();
  let at = 0;
  const p = fn(X, Y, {
    ...opts,
    signal: ac.signal,
    onProgress: (e) => {
      if (e.stage === target && !at) {
        at = performance.now();
        ac.abort();
      }
    },
  });
  // 'start': abort on the first probe turn after the call began
  if (target === 'start')
    setTimeout(() => {
      if (!at) {
        at = performance.now();
        ac.abort();
      }
    }, 0);
  try {
    await p;
    return null;
  } catch (/** @type {any} */ e) {
    if (e.name !== 'AbortError') throw e;
    return performance.now() - at;
  }
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
for (const [name, make] of cases) {
  if (ONLY.length && !ONLY.some((o) => name.includes(o))) continue;
  const [fn, data, opts] = make();
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await stalls(fn, data, opts));
  const keys = [...new Set(runs.flatMap((r) => [...r.worst.keys()]))];
  const parts = keys.map((k) => `${k} ${median(runs.map((r) => r.worst.get(k) ?? 0)).toFixed(0)}`);
  const maxAll = median(runs.map((r) => Math.max(...r.worst.values())));
  console.log(`${name}: wall ${(median(runs.map((r) => r.wall)) / 1000).toFixed(2)} s, longest stall ${maxAll.toFixed(0)} ms | ${parts.join(', ')}`);
  if (ABORT) {
    const lat = [];
    for (const s of ['start', ...runs[0].order]) {
      const ms = await abortLatency(fn, data, opts, s);
      lat.push(`${s} ${ms === null ? 'not seen' : ms.toFixed(0)}`);
    }
    console.log(`  abort latency (ms): ${lat.join(', ')}`);
  }
}
process.exit(0);

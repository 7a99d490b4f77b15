// B1 at threads 1 and 2: n = 10,000, dx = 768, dy = 512, Gaussian RFF
// m = 1000 per side (D = 4000), top 10, covariance route, data in memory.
// Runs interleave (1, 2, 1, 2, ...) so machine load hits both alike; prints the
// median of each stage and the speedups. Usage: node bench/threads.mjs [runs=3]
import { compare, terminateWorkers } from '../dist/index.js';
import { mulberry32 } from '../tests/shared/rng.mjs';

const runs = Number(process.argv[2] ?? 3);
function gaussian(n, seed) {
  // seeded Box–Muller, f32; 1 − r() lies in (0, 1], so the log is finite
  const r = mulberry32(seed),
    u = () => 1 - r();
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u())),
      th = 2 * Math.PI * u();
    out[i] = r * Math.cos(th);
    if (i + 1 < n) out[i + 1] = r * Math.sin(th);
  }
  return out;
}
const n = 10_000,
  dx = 768,
  dy = 512;
const X = { data: gaussian(n * dx, 1), rows: n, cols: dx },
  Y = { data: gaussian(n * dy, 2), rows: n, cols: dy };
/** @type {import('../src/index.js').CompareOptions} */
const opts = { kernel: { type: 'gaussian', sigma: 'auto', rffDim: 1000 }, topK: 10, method: 'covariance' };
const times = { 1: [], 2: [] };
await compare(X, Y, { ...opts, threads: 2 }); // warm-up: starts the workers once (reused afterwards)
for (let i = 0; i < runs; i++) {
  for (const t of [1, 2]) {
    const r = await compare(X, Y, { ...opts, threads: t });
    times[t].push(r.timings);
    console.log(
      `run ${i + 1} threads ${t} (${r.threads ?? 1} used): ` +
        Object.entries(r.timings)
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join(', '),
    );
  }
}
const med = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log('\nmedians (s)    threads 1   threads 2   speedup');
for (const k of ['accumulate', 'solve', 'scores', 'total']) {
  const a = med(times[1].map((t) => t[k] ?? 0)),
    b = med(times[2].map((t) => t[k] ?? 0));
  console.log(`${k.padEnd(14)} ${a.toFixed(2).padStart(9)}   ${b.toFixed(2).padStart(9)}   ${(a / b).toFixed(2)}×`);
}
terminateWorkers();

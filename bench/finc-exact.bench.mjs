// FINC's exact route (pooled kernel matrix: pivoted Cholesky + Lanczos) at the sizes
// `method: 'exact'` accepts: nx + ny = 1000 (the auto limit) and 4000 (the most).
// Run after `npm run build`: node bench/finc-exact.bench.mjs
import { init, finc } from '../dist/index.js';
import { randomF32 } from '../tests/shared/rng.mjs';

await init();
for (const n of [500, 2000]) {
  const d = 768;
  const X = { data: randomF32(n * d, 1), rows: n, cols: d },
    Y = { data: randomF32(n * d, 2), rows: n, cols: d };
  const t0 = performance.now();
  const r = await finc(X, Y, { kernel: { type: 'gaussian', sigma: 10 }, method: 'exact', threads: 1 });
  const stages = Object.entries(r.timings)
    .map(([k, v]) => `${k} ${(v ?? 0).toFixed(2)}`)
    .join(', ');
  console.log(`nx + ny = ${2 * n}, d = ${d}: ${((performance.now() - t0) / 1000).toFixed(2)} s (${stages})`);
}

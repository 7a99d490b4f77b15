// Dense syev vs thick-restart Lanczos for the k largest and k smallest pairs of a
// Λ-like n × n matrix (rank-40 indefinite plus noise), the data behind the cost
// model of src/solve/dense.ts (denseIsCheaper) and docs/design.md "Dense or Lanczos".
// Each (n, k) runs `reps` times per solver, interleaved; the minimum is reported.
// Usage: node --import tsx bench/eigen-crossover.bench.mjs [reps=2] [n:k,k,...] ...
import { init } from '../src/index.js';
import { f64 } from '../src/wasm/memory.js';
import { extremeEigs } from '../src/solve/eigen.js';
import { denseIsCheaper } from '../src/solve/dense.js';
import { mulberry32 } from '../tests/shared/rng.mjs';

await init();
const reps = Number(process.argv[2] ?? 2);
const plans = (process.argv.length > 3 ? process.argv.slice(3) : ['600:60,150,200', '1000:100,250,330,450', '1400:140,350,470,650']).map((s) => {
  const [n, ks] = s.split(':');
  return { n: Number(n), ks: ks.split(',').map(Number) };
});
const rows = [];
for (const { n, ks } of plans) {
  const r = mulberry32(n),
    B = Float64Array.from({ length: n * 40 }, () => r() * 2 - 1);
  const A = f64(n * n);
  const a = A.view;
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let t = 0;
      for (let c = 0; c < 40; c++) t += B[i * 40 + c] * B[j * 40 + c] * (c < 20 ? 1 : -0.7);
      t = (t + 1e-3 * (r() * 2 - 1)) / n;
      a[i * n + j] = t;
      a[j * n + i] = t;
    }
  for (const k of ks) {
    const best = { dense: Infinity, lanczos: Infinity };
    let passes = 0;
    for (let i = 0; i < reps; i++)
      for (const solver of /** @type {const} */ (['dense', 'lanczos'])) {
        const t0 = performance.now();
        const res = extremeEigs({ kind: 'dense', A, n }, k, { seed: 1, solver });
        best[solver] = Math.min(best[solver], performance.now() - t0);
        if (solver === 'lanczos') passes = res.restarts + 1;
      }
    console.error(`n = ${n}, k = ${k}: syev ${best.dense.toFixed(0)} ms, Lanczos ${best.lanczos.toFixed(0)} ms`);
    rows.push([n, k, (k / n).toFixed(2), best.dense.toFixed(0), best.lanczos.toFixed(0), passes, denseIsCheaper(n, k) ? 'syev' : 'Lanczos']);
  }
  A.free();
}
const head = ['n', 'k', 'k/n', 'syev ms', 'Lanczos ms', 'Lanczos passes', 'model picks'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
for (const r of [head, ...rows]) console.log(`| ${r.map((c, i) => String(c).padEnd(w[i])).join(' | ')} |`);

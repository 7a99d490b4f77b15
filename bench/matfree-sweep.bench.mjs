// The covariance route's two solvers side by side (docs/performance.md "Matrix-free
// solve"): for n × D cells (Gaussian RFF on 768 + 512 input columns, m = D/4 per
// side, top 10 per side, one thread, in memory) the seconds of compare() with
// solver 'syrk' and with 'matrix-free' (σ fixed, so no σ estimation; the RFF-error
// sample is excluded by reporting the stages up to the scores), and what
// `solver: 'auto'` picks there and why. Runs are interleaved; with --reps > 1 the
// median is reported. Cells whose features exceed the 512 MiB cache run SYRK only.
// Usage: node --import tsx bench/matfree-sweep.bench.mjs [--reps 1] [--cells 2000x1280,10000x4000,...] [--threads 1]
import { init, compare } from '../src/index.js';
import { chooseSolver, matrixFreeMisfit } from '../src/methods/routes/solver-choice.js';
import { randomF32 } from '../tests/shared/rng.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const REPS = Number(arg('--reps', 1));
const THREADS = Number(arg('--threads', 1));
const CELLS = arg('--cells', ['2000', '10000', '50000'].flatMap((n) => ['1280', '4000', '8000'].map((d) => `${n}x${d}`)).join(','))
  .split(',')
  .map((c) => c.split('x').map(Number));
const DX = 768,
  DY = 512,
  TOP_K = 10;

await init();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** The route's own stages (features, accumulate or solve, scores), without the RFF-error sample. */
const routeSeconds = (t) => ['read', 'features', 'accumulate', 'solve', 'scores'].reduce((s, k) => s + (t[k] ?? 0), 0);

const rows = [];
for (const [n, D] of CELLS) {
  const m = D / 4;
  const X = { data: randomF32(n * DX, 1), rows: n, cols: DX },
    Y = { data: randomF32(n * DY, 2), rows: n, cols: DY };
  // a planted structure, so the spectrum has the separated ends real data have
  for (let i = 0; i < n; i++) for (let c = 0; c < 8; c++) if (i % 11 === c) X.data[i * DX + c] += 4;
  /** @type {(solver: 'syrk' | 'matrix-free') => import('../src/types/index.js').CompareOptions} */
  const options = (solver) => ({
    kernelX: { type: 'gaussian', sigma: 12, rffDim: m },
    kernelY: { type: 'gaussian', sigma: 10, rffDim: m },
    method: 'covariance',
    topK: TOP_K,
    threads: THREADS,
    solver,
  });
  const fits = matrixFreeMisfit(n, D / 2, D / 2, 1, TOP_K) === null;
  /** @type {('syrk' | 'matrix-free')[]} */
  const solvers = fits ? ['syrk', 'matrix-free'] : ['syrk'];
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(solvers.map((s) => [s, []]));
  /** @type {Record<string, Float64Array>} */
  const eig = {};
  for (let rep = 0; rep < REPS; rep++) {
    for (let i = 0; i < solvers.length; i++) {
      const s = solvers[(i + rep) % solvers.length];
      const r = await compare(X, Y, options(s));
      samples[s].push(routeSeconds(r.timings));
      eig[s] = r.eigenvalues;
      console.error(`  n = ${n}, D = ${D}, ${s}: ${routeSeconds(r.timings).toFixed(2)} s`);
    }
  }
  // n ≤ D: compare's covariance route takes the n × n feature Gram (f64 sums) unless matrix-free is forced,
  // so the 'syrk' column is that route there, and auto's choice
  const gram = n <= D;
  const auto = gram
    ? { solver: /** @type {const} */ ('syrk'), reason: 'n ≤ D: the n × n feature Gram' }
    : chooseSolver('auto', { n, dx: D / 2, dy: D / 2, eta: 1, topK: TOP_K }, THREADS);
  const t = Object.fromEntries(solvers.map((s) => [s, median(samples[s])]));
  const faster = fits && t['matrix-free'] < t.syrk ? 'matrix-free' : 'syrk';
  let agree = null;
  if (fits) {
    const a = eig.syrk,
      b = eig['matrix-free'];
    const norm = Math.max(...Array.from(a, Math.abs));
    agree = a.length === b.length ? Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]))) / norm : NaN;
  }
  const row = {
    n,
    D,
    route: gram ? 'feature Gram' : 'SYRK',
    syrk: +t.syrk.toFixed(2),
    matrixFree: fits ? +t['matrix-free'].toFixed(2) : null,
    auto: auto.solver,
    autoOverFastest: +(t[auto.solver] / t[faster]).toFixed(2),
    eigenvalueDiff: agree,
    reason: auto.reason,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.log('\n| n | D | SYRK or feature Gram (s) | matrix-free (s) | auto picks | auto / fastest |');
console.log('|---:|---:|---:|---:|:---|---:|');
for (const r of rows)
  console.log(
    `| ${r.n} | ${r.D} | ${r.syrk} (${r.route}) | ${r.matrixFree ?? '— (does not fit)'} | ${r.auto === 'syrk' ? r.route : r.auto} | ${r.autoOverFastest} |`,
  );

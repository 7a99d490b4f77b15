// Where B1's time goes at one thread with the matrix-free solver, the metrics split by part:
// compare(X, Y) on B1's data (n = 10,000, 768 + 512, Gaussian RFF 1000 per side, σ 40 / 32,
// top 10, as bench/run.mjs), wall and CPU seconds per stage, cut at the first progress event of
// each stage or metrics label (so a stage's time runs to the next one's first event).
//
//   node bench/metrics-b1.mjs [DIST] [REPS]     (DIST default dist/, REPS default 3)
// Data: bench/run.mjs writes it into $SPEC_BENCH_CACHE (default <tmpdir>/spec-embed-bench).
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
const dist = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')),
  reps = Number(process.argv[3] ?? 3);
const dir = join(process.env.SPEC_BENCH_CACHE ?? join(tmpdir(), 'spec-embed-bench'), 'B1-n10000-768x512-s1');
const { init, compare } = await import(pathToFileURL(join(dist, 'index.js')).href);
const { parseNpy } = await import(pathToFileURL(join(dist, 'io.js')).href);
const load = (f) => parseNpy(new Uint8Array(readFileSync(join(dir, f))), f);
const X = load('X.npy'),
  Y = load('Y.npy');
await init();
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const all = [];
for (let rep = 0; rep < reps; rep++) {
  const segs = [];
  const onProgress = (e) => {
    const key = e.label ?? e.stage;
    if (!segs.length || segs[segs.length - 1].key !== key) segs.push({ key, w: performance.now(), c: cpu() });
  };
  const w0 = performance.now(),
    c0 = cpu();
  const r = await compare(X, Y, {
    kernelX: { type: 'gaussian', sigma: 40, rffDim: 1000 },
    kernelY: { type: 'gaussian', sigma: 32, rffDim: 1000 },
    topK: 10,
    method: 'covariance',
    solver: 'matrix-free',
    threads: 1,
    onProgress,
  });
  segs.push({ key: 'end', w: performance.now(), c: cpu() });
  const out = {};
  for (let i = 0; i + 1 < segs.length; i++) {
    const k = segs[i].key;
    out[k] ??= { wall: 0, cpu: 0 };
    out[k].wall += (segs[i + 1].w - segs[i].w) / 1000;
    out[k].cpu += segs[i + 1].c - segs[i].c;
  }
  const m = r.metrics;
  const row = {
    total: (performance.now() - w0) / 1000,
    cpu: cpu() - c0,
    metricsTiming: r.timings.metrics,
    segs: out,
    ckaLinear: m.ckaLinear,
    ckaKernel: m.ckaKernel,
    mutualKnn: m.mutualKnn,
  };
  all.push(row);
  console.log(JSON.stringify(row, (_k, v) => (typeof v === 'number' ? +v.toFixed(4) : v)));
}
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};
const keys = Object.keys(all[0].segs);
console.log('median of', reps, ': total', med(all.map((r) => r.total)).toFixed(3), 'timings.metrics', med(all.map((r) => r.metricsTiming)).toFixed(3));
for (const k of keys)
  console.log(`  ${k}: wall ${med(all.map((r) => r.segs[k]?.wall ?? 0)).toFixed(3)} cpu ${med(all.map((r) => r.segs[k]?.cpu ?? 0)).toFixed(3)}`);

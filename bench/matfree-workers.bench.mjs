// compare's matrix-free operator on workers against in process (docs/design.md,
// "Matrix-free solve", the cost model's `message` and `applyThreadEfficiency`):
// 1. the messages of one application on workers (every worker's A_wᵀx partial,
//    their sum demoted to f32, every worker's rows of y, as
//    src/runtime/matfree-driver.ts makes them) with linear features of 2 + 2
//    columns, so the arithmetic is negligible: median, p10 and mean ms of --reps;
// 2. with --data DIR (X.npy, Y.npy; Gaussian RFF, --sigmas 40,32, --rff 1000 per
//    side, B1's settings): one application on the real features in process
//    (the 'gram' kind's lzApply) and on the workers, medians of 30.
// Usage: node --import tsx bench/matfree-workers.bench.mjs [--threads 2] [--n 10000] [--reps 400] [--data DIR]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { init, terminateWorkers } from '../src/index.js';
import { parseNpy } from '../src/io/index.js';
import { Crew, splitRows } from '../src/runtime/plan.js';
import { resolveKernel } from '../src/features/kernel.js';
import { FeatureMap } from '../src/features/feature-map.js';
import { Scope } from '../src/wasm/memory.js';
import { gramScratchLength, lzApply, lzBindGram } from '../src/wasm/lanczos.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const T = Number(arg('--threads', 2)),
  reps = Number(arg('--reps', 400)),
  data = arg('--data', null);
const [sx, sy] = arg('--sigmas', '40,32').split(',').map(Number),
  rff = Number(arg('--rff', 1000));
const median = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];

/** Workers holding the features of X and Y's rows (split as the driver splits them), and one application on them. */
async function onWorkers(X, Y, kx, ky) {
  const n = X.rows;
  const crew = await Crew.hire(T);
  if (!crew) throw new Error('no workers in this runtime');
  const ws = crew.workers,
    ranges = splitRows(n, ws.length);
  const base = { kernelX: kx, kernelY: ky, seed: 0, dx: X.cols, dy: Y.cols, eta: 1, names: ['X', 'Y'], n };
  await Promise.all(ws.map((w, i) => w.call({ op: 'mfBegin', spec: { ...base, row0: ranges[i][0], rows: ranges[i][1] - ranges[i][0] } })));
  await Promise.all(
    ws.map((w, i) => {
      const [a, b] = ranges[i];
      return w.call({ op: 'mfAdd', row0: a, rows: b - a, x: X.data.slice(a * X.cols, b * X.cols), y: Y.data.slice(a * Y.cols, b * Y.cols) });
    }),
  );
  const apply = async (x) => {
    const parts = await Promise.all(
      ws.map((w, i) => {
        const xs = x.slice(ranges[i][0], ranges[i][1]);
        return w.call({ op: 'mfT', x: xs }, [xs.buffer]);
      }),
    );
    const t = new Float64Array(parts[0].length);
    for (const p of parts) for (let c = 0; c < t.length; c++) t[c] += p[c];
    const t32 = Float32Array.from(t);
    const ys = await Promise.all(ws.map((w) => w.call({ op: 'mfN', t: t32 })));
    const y = new Float64Array(n);
    ys.forEach((v, i) => y.set(v, ranges[i][0]));
    return y;
  };
  const done = async () => {
    await Promise.all(ws.map((w) => w.call({ op: 'free' })));
    crew.finish(true);
  };
  return { apply, done };
}

/** Milliseconds of each of `count` runs of `f` after `warm` unmeasured ones. */
async function times(f, count, warm) {
  const ms = [];
  for (let i = 0; i < warm + count; i++) {
    const t0 = performance.now();
    await f();
    if (i >= warm) ms.push(performance.now() - t0);
  }
  return ms;
}

await init();
if (!data) {
  const n = Number(arg('--n', 10000));
  const lin = resolveKernel('linear', 'X');
  const mat = () => ({ data: new Float32Array(n * 2).fill(1), rows: n, cols: 2 });
  const w = await onWorkers(mat(), mat(), lin, lin);
  const x = new Float64Array(n).fill(0.01);
  const ms = (await times(() => w.apply(x), reps, 50)).sort((a, b) => a - b);
  await w.done();
  const mean = ms.reduce((a, b) => a + b, 0) / reps;
  console.log(
    `${T} workers, n = ${n}: one application's messages ${ms[reps >> 1].toFixed(3)} ms median, ${ms[Math.floor(reps / 10)].toFixed(3)} ms p10, ${mean.toFixed(3)} ms mean`,
  );
} else {
  const load = (f) => parseNpy(new Uint8Array(readFileSync(join(data, f))), f);
  const X = load('X.npy'),
    Y = load('Y.npy'),
    n = X.rows;
  const kx = resolveKernel({ type: 'gaussian', sigma: sx, rffDim: rff }, 'X'),
    ky = resolveKernel({ type: 'gaussian', sigma: sy, rffDim: rff }, 'Y');
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const sc = new Scope();
  const maps = [new FeatureMap(kx, X.cols, 0, 'X'), new FeatureMap(ky, Y.cols, 0, 'Y')];
  try {
    const blocks = [X, Y].map((M, i) => {
      const rows = sc.f32(n * M.cols).set(M.data),
        A = sc.f32(n * maps[i].D);
      maps[i].apply(rows, n, A, 0, i ? 'Y' : 'X');
      return { A, rows: n, cols: maps[i].D, weight: (i ? -1 : 1) / n };
    });
    const scratch = sc.f64(gramScratchLength(blocks)),
      xv = sc.f64(n).set(x),
      yv = sc.f64(n);
    lzBindGram('n', n, blocks, scratch);
    const one = median(await times(() => lzApply(xv, yv), 30, 5));
    const w = await onWorkers(X, Y, kx, ky);
    const many = median(await times(() => w.apply(x), 30, 5));
    await w.done();
    console.log(
      `n = ${n}, D = ${blocks[0].cols} + ${blocks[1].cols}: one application ${one.toFixed(2)} ms in process, ${many.toFixed(2)} ms on ${T} workers (messages included): ${(one / many).toFixed(2)}×`,
    );
  } finally {
    sc.free();
    for (const m of maps) m.free();
  }
}
terminateWorkers();

// The message cost of compare's matrix-free operator on workers (docs/design.md,
// "Matrix-free solve", the cost model's `message`): the two round trips of one
// application (every worker's A_wᵀx partial, their sum demoted to f32, every
// worker's rows of y), as src/runtime/matfree-driver.ts makes them, with linear
// features of 2 + 2 columns so the arithmetic is negligible. Prints the median,
// p10 and mean milliseconds of --reps applications after 50 warm-up ones.
// Usage: node --import tsx bench/matfree-messages.bench.mjs [--threads 2] [--n 10000] [--reps 400]
import { init, terminateWorkers } from '../src/index.js';
import { Crew, splitRows } from '../src/runtime/plan.js';
import { resolveKernel } from '../src/features/kernel.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return Number(i > 0 ? process.argv[i + 1] : dflt);
};
const T = arg('--threads', 2),
  n = arg('--n', 10000),
  reps = arg('--reps', 400);

await init();
const crew = await Crew.hire(T);
if (!crew) throw new Error('no workers in this runtime');
const ws = crew.workers,
  ranges = splitRows(n, ws.length);
const lin = resolveKernel('linear', 'X');
const base = { kernelX: lin, kernelY: lin, seed: 0, dx: 2, dy: 2, eta: 1, names: ['X', 'Y'], n };
await Promise.all(ws.map((w, i) => w.call({ op: 'mfBegin', spec: { ...base, row0: ranges[i][0], rows: ranges[i][1] - ranges[i][0] } })));
await Promise.all(
  ws.map((w, i) => {
    const rows = ranges[i][1] - ranges[i][0];
    return w.call({ op: 'mfAdd', row0: ranges[i][0], rows, x: new Float32Array(rows * 2).fill(1), y: new Float32Array(rows * 2).fill(1) });
  }),
);
const x = new Float64Array(n).fill(0.01);
async function apply() {
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
}
for (let i = 0; i < 50; i++) await apply();
const ms = [];
for (let i = 0; i < reps; i++) {
  const t0 = performance.now();
  await apply();
  ms.push(performance.now() - t0);
}
ms.sort((a, b) => a - b);
const mean = ms.reduce((a, b) => a + b, 0) / reps;
console.log(
  `${T} workers, n = ${n}: one application's messages ${ms[reps >> 1].toFixed(3)} ms median, ${ms[Math.floor(reps / 10)].toFixed(3)} ms p10, ${mean.toFixed(3)} ms mean`,
);
await Promise.all(ws.map((w) => w.call({ op: 'free' })));
crew.finish(true);
terminateWorkers();

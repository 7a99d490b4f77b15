// Cost of cooperative yielding: compare() on both routes (in-memory random data,
// seeded), median of `runs`, plus the largest gap between progress events and
// between event-loop turns. Usage: node bench/cooperative.bench.mjs [runs]
import { init, compare } from '../dist/index.js';
import { mulberry32 } from '../tests/shared/rng.mjs';

const runs = Number(process.argv[2] ?? 3);
await init();

function data(n, d, seed) {
  const r = mulberry32(seed),
    rnd = () => r() - 0.5;
  const out = new Float32Array(n * d);
  for (let i = 0; i < out.length; i++) out[i] = rnd() + ((i / d) % 7 === 0 ? 1 : 0);
  return { data: out, rows: n, cols: d };
}

async function measure(name, X, Y, opts) {
  const times = [];
  let gapEvents = 0,
    gapLoop = 0;
  for (let i = 0; i < runs; i++) {
    let lastEv = performance.now(),
      lastTurn = performance.now();
    const timer = setInterval(() => {
      const t = performance.now();
      gapLoop = Math.max(gapLoop, t - lastTurn);
      lastTurn = t;
    }, 5);
    const t0 = performance.now();
    const r = await compare(X, Y, {
      ...opts,
      onProgress: () => {
        const t = performance.now();
        gapEvents = Math.max(gapEvents, t - lastEv);
        lastEv = t;
      },
    });
    times.push((performance.now() - t0) / 1000);
    clearInterval(timer);
    gapLoop = Math.max(gapLoop, performance.now() - lastTurn);
    gapEvents = Math.max(gapEvents, performance.now() - lastEv);
    if (i === 0) console.error(name, 'timings', JSON.stringify(r.timings), 'λ1', r.eigenvalues[0]);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name}: median ${times[Math.floor(times.length / 2)].toFixed(3)} s (runs ${times.map((t) => t.toFixed(3)).join(', ')}), max gap: events ${gapEvents.toFixed(0)} ms, event loop ${gapLoop.toFixed(0)} ms`,
  );
}

const X = data(10000, 768, 1),
  Y = data(10000, 512, 2);
await measure('covariance RFF n=10k 768/512 D=4000', X, Y, {
  kernelX: { type: 'gaussian', sigma: 11, rffDim: 1000 },
  kernelY: { type: 'gaussian', sigma: 9, rffDim: 1000 },
  method: 'covariance',
});
const X4 = { data: X.data.subarray(0, 4000 * 768), rows: 4000, cols: 768 },
  Y4 = { data: Y.data.subarray(0, 4000 * 512), rows: 4000, cols: 512 };
await measure('exact Gaussian n=4000 768/512', X4, Y4, { kernelX: { type: 'gaussian', sigma: 11 }, kernelY: { type: 'gaussian', sigma: 9 }, method: 'exact' });
await measure('covariance cosine n=10k 768/512', X, Y, { method: 'covariance' });

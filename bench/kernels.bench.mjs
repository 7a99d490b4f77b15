// Kernel benchmarks vs one-thread NumPy/SciPy in the same run:
//   SYRK 4096 × 2048 (vs scipy.linalg.blas.ssyrk), RFF features 4096 × 768 → m = 1000
//   (vs float32 matmul + cos/sin), SGEMM 4096 × 768 × 1000, exact Gaussian Gram
//   n = 4000, d = 768. Run after `npm run build`: node bench/kernels.bench.mjs
// Run with node --import tsx: the kernels are internal, imported from src/.
import { init } from '../src/wasm/loader.js';
import * as memory from '../src/wasm/memory.js';
import * as syrk from '../src/wasm/syrk.js';
import * as gemm from '../src/wasm/gemm.js';
import * as features from '../src/wasm/features.js';
import * as rng from '../src/wasm/rng.js';
import * as gram from '../src/wasm/gram.js';
import { medianSeconds, pythonBaseline, printTable } from './lib.mjs';
import { mulberry32 } from '../tests/shared/rng.mjs';

await init();

function fillRandom(buf, seed, scale = 1) {
  const v = buf.view;
  const r = mulberry32(seed);
  for (let i = 0; i < v.length; i++) v[i] = (r() * 2 - 1) * scale;
  return buf;
}

const quick = process.argv.includes('--quick');
const opts = { minSamples: quick ? 2 : 5, maxTime: quick ? 2 : 8 };
const base = quick ? {} : pythonBaseline('kernels_baseline.py');
const rows = [];

{
  const n = 4096,
    D = 2048;
  const P = fillRandom(memory.f32(n * D), 1);
  const C = memory.f64(D * D);
  C.view.fill(0);
  const t = medianSeconds(() => syrk.syrkAccumulate(P, n, D, C, 1), opts);
  rows.push({ kernel: 'SYRK ΨᵀΨ (upper, f64 flush)', size: `${n}×${D}`, ours: t, base: base.syrk, flops: n * D * D, target: '≤ 3× ssyrk' });
  P.free();
  C.free();
}
{
  const n = 4096,
    d = 768,
    m = 1000;
  const X = fillRandom(memory.f32(n * d), 2);
  const W = rng.gaussianOmega(d, m, 8, 1);
  const T = memory.f32(n * m);
  const t = medianSeconds(() => gemm.sgemm(n, m, d, X, d, W, m, T, m, 0), opts);
  rows.push({ kernel: 'SGEMM X·ω', size: `${n}×${d}×${m}`, ours: t, base: base.sgemm, flops: 2 * n * d * m });
  const F = memory.f32(n * 2 * m);
  const t2 = medianSeconds(() => features.featuresRff(X, n, d, W, m, F, 0), opts);
  rows.push({ kernel: 'RFF features (sgemm + sin/cos)', size: `${n}×${d} → 2·${m}`, ours: t2, base: base.rff, flops: 2 * n * d * m });
  X.free();
  W.free();
  T.free();
  F.free();
}
{
  const n = 4000,
    d = 768;
  const X = fillRandom(memory.f32(n * d), 3);
  const K = memory.f64(n * n);
  const t = medianSeconds(() => gram.gram(X, n, d, 'gaussian', 30, K, 1 / n), { ...opts, minSamples: quick ? 1 : 3 });
  rows.push({ kernel: 'Gram gaussian (exact, f64 out)', size: `n=${n} d=${d}`, ours: t, base: base.gram, flops: n * n * d });
  X.free();
  K.free();
}
printTable(rows);

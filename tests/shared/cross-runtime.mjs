// The computations every runtime (Node, Deno, Chromium) must reproduce bit for
// bit. Each result is reported as hex of its IEEE bytes, so equality is exact.
// Later issues append cases here; the three suites pick them up automatically.
import { randomF32 } from './rng.mjs';
import { kernelCases } from './cross-runtime-kernels.mjs';
import { eigenCases } from './cross-runtime-eigen.mjs';

function hex(typed) {
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export async function crossRuntimeResults(lib, internal) {
  await lib.init();
  const { memory, blas1 } = internal;
  const out = {};
  for (const n of [0, 1, 3, 4, 7, 8, 15, 16, 17, 1023, 1024, 1025]) {
    const x = memory.f32(n + 1).set(randomF32(n + 1, 11 + n));
    const y = memory.f32(n + 1).set(randomF32(n + 1, 97 + n));
    // offset 1 exercises unaligned SIMD loads
    out[`sdot:${n}`] = hex(new Float32Array([blas1.sdot(n, x, y, 1, 1)]));
    blas1.saxpy(n, 0.37, x, y, 1, 1);
    out[`saxpy:${n}`] = hex(y.toArray());
    x.free();
    y.free();
  }
  Object.assign(out, await kernelCases(lib, internal));
  Object.assign(out, await eigenCases(lib, internal));
  Object.assign(out, await compareCases(lib));
  return out;
}

/** Whole compare() runs on both routes: eigenvalues, SPEC-diff and top samples must match bit for bit. */
async function compareCases(lib) {
  const out = {};
  const n = 300;
  const X = { data: randomF32(n * 12, 1), rows: n, cols: 12 };
  const Y = { data: randomF32(n * 9, 2), rows: n, cols: 9 };
  const runs = {
    'compare:exact:gaussian-auto': { kernel: { type: 'gaussian', sigma: 'auto' }, method: 'exact', topK: 5 },
    'compare:covariance:rff': { kernelX: { type: 'gaussian', sigma: 'auto', rffDim: 64 }, kernelY: 'cosine', method: 'covariance', topK: 5, seed: 3 },
    'compare:covariance:linear-eta': { kernel: 'linear', eta: 0.5, method: 'covariance', topK: 4 },
  };
  for (const [name, opts] of Object.entries(runs)) {
    const r = await lib.compare(X, Y, { ...opts, samplesPerMode: 5, returnScores: true });
    out[`${name}:eigenvalues`] = hex(Float64Array.from(r.modes.map((m) => m.eigenvalue)));
    out[`${name}:specDiff`] = hex(new Float64Array([r.specDiff.xNotY, r.specDiff.yNotX, r.specDiff.norm, r.kernelX.sigma ?? 0]));
    out[`${name}:top`] = JSON.stringify(r.modes.map((m) => m.top.map((t) => t.index)));
    out[`${name}:scores`] = hex(Float64Array.from(r.modes.flatMap((m) => Array.from(m.scores))));
  }
  return out;
}

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
  Object.assign(out, await fincCases(lib));
  Object.assign(out, await alignCases(lib));
  return out;
}

/** finc() on both routes: eigenvalues, shares, top samples, scores, both ends and the frequencies. */
async function fincCases(lib) {
  const out = {};
  const X = { data: randomF32(240 * 10, 5), rows: 240, cols: 10 };
  const Y = { data: randomF32(180 * 10, 6), rows: 180, cols: 10 };
  const runs = {
    'finc:exact:gaussian-auto': { kernel: { type: 'gaussian', sigma: 'auto' }, method: 'exact', topK: 3 },
    'finc:covariance:rff': { kernel: { type: 'gaussian', sigma: 'auto', rffDim: 48 }, method: 'covariance', topK: 3, seed: 4 },
    'finc:covariance:cosine-eta': { kernel: 'cosine', eta: 1.5, method: 'covariance', topK: 3 },
    'finc:covariance:matrix-free': { kernel: { type: 'gaussian', sigma: 'auto', rffDim: 48 }, method: 'covariance', solver: 'matrix-free', topK: 3, seed: 4 },
  };
  for (const [name, opts] of Object.entries(runs)) {
    const r = await lib.finc(X, Y, { ...opts, samplesPerMode: 5, returnScores: true });
    out[`${name}:eigenvalues`] = hex(Float64Array.from(r.modes.map((m) => m.eigenvalue)));
    out[`${name}:shares`] = hex(Float64Array.from(r.modes.flatMap((m) => [m.shareX, m.shareY])));
    out[`${name}:specDiff`] = hex(new Float64Array([r.specDiff.xNotY, r.specDiff.yNotX, r.specDiff.norm, r.kernel.sigma ?? 0]));
    out[`${name}:top`] = JSON.stringify(r.modes.map((m) => m.top.map((t) => t.index)));
    out[`${name}:scores`] = hex(Float64Array.from(r.modes.flatMap((m) => Array.from(m.scores ?? []))));
    out[`${name}:ends`] = JSON.stringify(r.modes.map((m) => [m.bottom.map((t) => t.index), m.kind, m.countTop, m.countBottom, m.freqEnd]));
    out[`${name}:masses`] = hex(Float64Array.from(r.modes.flatMap((m) => [m.massTop, m.massBottom, m.cutTop, m.cutBottom, m.freqX, m.freqY])));
  }
  return out;
}

/** SPEC-align: the loss and its gradient, and one epoch of training (W after the step). */
async function alignCases(lib) {
  const out = {};
  const n = 120;
  const X = { data: randomF32(n * 8, 7), rows: n, cols: 8 };
  const Y = { data: randomF32(n * 6, 8), rows: n, cols: 6 };
  for (const kernel of ['cosine', { type: 'gaussian', sigma: 'auto' }]) {
    const name = typeof kernel === 'string' ? kernel : kernel.type;
    const g = await lib.specDiffLoss(X, Y, { kernel });
    out[`specDiffLoss:${name}:value`] = hex(new Float64Array([g.value]));
    out[`specDiffLoss:${name}:gradY`] = hex(g.gradY);
  }
  const r = await lib.align(X, Y, { epochs: 1, patience: 5, seed: 2, topK: 2 });
  // one step is taken whatever early stopping keeps, so compare the trained map via the loss curve too
  out['align:1-epoch:loss'] = hex(Float64Array.from([...r.loss.train, ...r.loss.holdout]));
  out['align:1-epoch:W'] = hex(r.W);
  out['align:1-epoch:specDiffAfter'] = hex(new Float64Array([r.specDiffAfter.xNotY, r.specDiffAfter.yNotX, r.specDiffAfter.norm]));
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
    'compare:covariance:matrix-free': {
      kernelX: { type: 'gaussian', sigma: 'auto', rffDim: 64 },
      kernelY: 'cosine',
      method: 'covariance',
      solver: 'matrix-free',
      topK: 5,
      seed: 3,
    },
  };
  for (const [name, opts] of Object.entries(runs)) {
    const r = await lib.compare(X, Y, { ...opts, samplesPerMode: 5, returnScores: true });
    out[`${name}:eigenvalues`] = hex(Float64Array.from(r.modes.map((m) => m.eigenvalue)));
    out[`${name}:specDiff`] = hex(new Float64Array([r.specDiff.xNotY, r.specDiff.yNotX, r.specDiff.norm, r.kernelX.sigma ?? 0]));
    out[`${name}:top`] = JSON.stringify(r.modes.map((m) => m.top.map((t) => t.index)));
    out[`${name}:scores`] = hex(Float64Array.from(r.modes.flatMap((m) => Array.from(m.scores))));
    out[`${name}:ends`] = JSON.stringify(r.modes.map((m) => [m.bottom.map((t) => t.index), m.kind, m.countTop, m.countBottom]));
    out[`${name}:masses`] = hex(Float64Array.from(r.modes.flatMap((m) => [m.massTop, m.massBottom, m.cutTop, m.cutBottom])));
  }
  return out;
}

// Kernel computations every runtime (Node, Deno, Chromium) must reproduce bit for
// bit: RNG streams, sgemm, SYRK/AᵀB, the feature maps (RFF uses wasm sin/cos),
// exact Gram matrices and pairwise distances. Results are hex of the IEEE bytes
// (short results) or a length-tagged double FNV-1a digest of them (long ones).
// Runtime-agnostic: no Node/Deno APIs.
import { randomF32 } from './rng.mjs';

function bytesOf(typed) {
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

function hexOrDigest(typed) {
  const b = bytesOf(typed);
  if (b.length <= 256) {
    let s = '';
    for (const x of b) s += x.toString(16).padStart(2, '0');
    return s;
  }
  let h1 = 0x811c9dc5,
    h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < b.length; i++) {
    h1 = Math.imul(h1 ^ b[i], 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ b[b.length - 1 - i], 0x01000193) >>> 0;
  }
  return `${b.length}:${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

export async function kernelCases(lib, internal) {
  await lib.init();
  const { memory, rng, gemm, syrk, features, gram } = internal;
  const out = {};

  for (const seed of [0, 1, 123456789, 2 ** 40 + 3]) {
    const w = rng.gaussianOmega(7, 33, 0.7, seed);
    out[`omega:${seed}`] = hexOrDigest(w.toArray());
    w.free();
    out[`sampleIndices:${seed}`] = hexOrDigest(rng.sampleIndices(5000, 37, seed));
  }

  for (const [m, n, k] of [
    [1, 1, 1],
    [5, 9, 3],
    [17, 33, 19],
    [70, 41, 300],
  ]) {
    const A = memory.f32(m * k).set(randomF32(m * k, m + 1));
    const B = memory.f32(k * n).set(randomF32(k * n, n + 2));
    const C = memory.f32(m * n).set(randomF32(m * n, k + 3));
    gemm.sgemm(m, n, k, A, k, B, n, C, n, 0.5);
    out[`sgemm:${m}x${n}x${k}`] = hexOrDigest(C.toArray());
    A.free();
    B.free();
    C.free();
  }

  for (const [rows, D] of [
    [1, 1],
    [7, 13],
    [300, 41],
  ]) {
    const P = memory.f32(rows * D).set(randomF32(rows * D, rows * 7 + D));
    const C = memory.f64(D * D);
    C.view.fill(0);
    syrk.syrkAccumulate(P, rows, D, C, 1 / rows);
    syrk.symmetrize(C, D);
    out[`syrk:${rows}x${D}`] = hexOrDigest(C.toArray());
    const T = memory.f64(D * 5);
    T.view.fill(0);
    syrk.gemmTNAccumulate(P, D, P, Math.min(5, D), T, rows, 0.25, 0, D, 0, D);
    out[`gemmTN:${rows}x${D}`] = hexOrDigest(T.toArray());
    P.free();
    C.free();
    T.free();
  }

  {
    const rows = 11,
      d = 19,
      m = 65;
    const X = memory.f32(rows * d).set(randomF32(rows * d, 99));
    const W = rng.gaussianOmega(d, m, 0.9, 5);
    const F = memory.f32(rows * 2 * m);
    features.featuresRff(X, rows, d, W, m, F, 0);
    out['features:rff'] = hexOrDigest(F.toArray());
    const G = memory.f32(rows * d);
    features.featuresCosine(X, rows, d, G, 0);
    out['features:cosine'] = hexOrDigest(G.toArray());
    const t = memory.f32(1003).set(randomF32(1003, 4).map((v) => v * 5000));
    const s = memory.f32(1003);
    features.sincos(t, 1003, 1, t, s);
    out['sincos'] = hexOrDigest(t.toArray()) + '|' + hexOrDigest(s.toArray());
    X.free();
    W.free();
    F.free();
    G.free();
    t.free();
    s.free();
  }

  {
    const n = 29,
      d = 300;
    const X = memory.f32(n * d).set(randomF32(n * d, 1234));
    const K = memory.f64(n * n);
    for (const kind of ['linear', 'cosine', 'gaussian']) {
      gram.gram(X, n, d, kind, 3.3, K, 1 / n);
      out[`gram:${kind}`] = hexOrDigest(K.toArray());
    }
    out['pairwiseDistances'] = hexOrDigest(gram.pairwiseDistances(X, n, d));
    X.free();
    K.free();
  }
  return out;
}

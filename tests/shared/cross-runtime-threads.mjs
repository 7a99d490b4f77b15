// compare() and finc() with threads: 2 (the rows split over two workers; compare
// on both covariance solvers, SYRK and matrix-free): every
// runtime must reproduce Node's numbers exactly. Kept apart from cross-runtime.mjs
// so each suite opts in (and can shut its workers down afterwards).
import { randomF32 } from './rng.mjs';

function hex(typed) {
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export async function threadCases(lib) {
  await lib.init();
  const out = {};
  const n = 2600;
  const X = { data: randomF32(n * 12, 31), rows: n, cols: 12 };
  const Y = { data: randomF32(n * 9, 32), rows: n, cols: 9 };
  const c = await lib.compare(X, Y, {
    kernelX: { type: 'gaussian', sigma: 'auto', rffDim: 32 },
    kernelY: 'cosine',
    method: 'covariance',
    topK: 3,
    samplesPerMode: 5,
    returnScores: true,
    threads: 2,
  });
  if (c.threads !== 2) throw new Error(`compare ran on ${c.threads ?? 1} thread(s), expected 2 workers`);
  out['threads:compare:eigenvalues'] = hex(Float64Array.from(c.modes.map((m) => m.eigenvalue)));
  out['threads:compare:top'] = JSON.stringify(c.modes.map((m) => m.top.map((t) => t.index)));
  out['threads:compare:scores'] = hex(Float64Array.from(c.modes.flatMap((m) => Array.from(m.scores))));
  // the matrix-free solver with its operator applied on the two workers (one Lanczos step per application)
  const mf = await lib.compare(X, Y, {
    kernelX: { type: 'gaussian', sigma: 'auto', rffDim: 32 },
    kernelY: 'cosine',
    method: 'covariance',
    solver: 'matrix-free',
    topK: 3,
    samplesPerMode: 5,
    returnScores: true,
    threads: 2,
  });
  if (mf.threads !== 2 || mf.solver !== 'matrix-free')
    throw new Error(`matrix-free compare ran on ${mf.threads ?? 1} thread(s) (${mf.solver}), expected 2 workers`);
  out['threads:compare-matrix-free:eigenvalues'] = hex(Float64Array.from(mf.modes.map((m) => m.eigenvalue)));
  out['threads:compare-matrix-free:top'] = JSON.stringify(mf.modes.map((m) => m.top.map((t) => t.index)));
  out['threads:compare-matrix-free:scores'] = hex(Float64Array.from(mf.modes.flatMap((m) => Array.from(m.scores))));
  const Z = { data: randomF32(2100 * 12, 33), rows: 2100, cols: 12 };
  const f = await lib.finc(X, Z, {
    kernel: { type: 'gaussian', sigma: 'auto', rffDim: 24 },
    method: 'covariance',
    topK: 3,
    samplesPerMode: 5,
    returnScores: true,
    threads: 2,
  });
  if (f.threads !== 2) throw new Error(`finc ran on ${f.threads ?? 1} thread(s), expected 2 workers`);
  out['threads:finc:eigenvalues'] = hex(Float64Array.from(f.modes.flatMap((m) => [m.eigenvalue, m.shareX, m.shareY])));
  out['threads:finc:top'] = JSON.stringify(f.modes.map((m) => m.top.map((t) => t.index)));
  out['threads:finc:scores'] = hex(Float64Array.from(f.modes.flatMap((m) => Array.from(m.scores ?? []))));
  return out;
}

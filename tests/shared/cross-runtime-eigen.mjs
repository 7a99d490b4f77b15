// Eigen computations every runtime (Node, Deno, Chromium) must
// reproduce bit for bit: { caseName: hex of the IEEE bytes }. Inputs are built
// with mulberry32 and only + and * in JS (exactly rounded everywhere).
import { mulberry32, randomSymmetric as randSym } from './rng.mjs';

function hex(typed) {
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function covariance(nS, D, seed) {
  const r = mulberry32(seed);
  const psi = new Float64Array(nS * D);
  for (let i = 0; i < psi.length; i++) psi[i] = r() * 2 - 1;
  const c = new Float64Array(D * D);
  for (let t = 0; t < nS; t++)
    for (let i = 0; i < D; i++) {
      const p = psi[t * D + i];
      for (let j = 0; j < D; j++) c[i * D + j] += p * psi[t * D + j];
    }
  for (let i = 0; i < c.length; i++) c[i] = c[i] / nS;
  return c;
}

function flat(res) {
  const n = res.vectors[0].length;
  const out = new Float64Array(res.values.length * (n + 2));
  out.set(res.values, 0);
  out.set(res.residuals, res.values.length);
  res.vectors.forEach((v, i) => out.set(v, 2 * res.values.length + i * n));
  return out;
}

export async function eigenCases(lib, internal) {
  await lib.init();
  const { memory, eigen, dense, covarianceEigs } = internal;
  const out = {};
  {
    const n = 37,
      A = memory.f64(n * n).set(randSym(n, 37));
    const { values, vectors } = dense.syev(A, n);
    out['syev:37'] = hex(new Float64Array([...values, ...vectors]));
    A.free();
  }
  {
    // no Math.sin/cos here: their last bits differ between engines
    const r = mulberry32(19);
    const d = Float64Array.from({ length: 19 }, () => r() * 2 - 1),
      e = Float64Array.from({ length: 18 }, () => r() * 2 - 1);
    const { values, vectors } = dense.steqr(d, e);
    out['steqr:19'] = hex(new Float64Array([...values, ...vectors]));
  }
  {
    const n = 130,
      A = memory.f64(n * n).set(randSym(n, 130));
    out['extremeEigs:dense:130:k3'] = hex(flat(eigen.extremeEigs({ kind: 'dense', A, n }, 3, { basisSize: 16 })));
    A.free();
  }
  {
    const D = 90,
      C = memory.f64(D * D).set(covariance(60, D, 2));
    // the covariance route's solver: pivoted Cholesky, then Lanczos on R S Rᵀ
    out['covarianceEigs:90:k4'] = hex(flat(covarianceEigs.covarianceEigs(C, D, 50, 4, 1)));
    C.free();
  }
  return out;
}

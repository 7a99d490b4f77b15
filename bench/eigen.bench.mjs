// Eigensolver benchmark against SciPy (one BLAS thread): the covariance route's
// solve at D = 4000 (RFF of 10,000 clustered vectors, built by
// bench/python/eigen_baseline.py and read back from .npy: pivoted Cholesky, then
// Lanczos on R S Rᵀ), the upper-triangle symv, and the exact route's dense solve
// at n = 4000.
// Usage: node bench/eigen.bench.mjs [M=1000] [N=10000] [NDENSE=4000]   (npm run build first)
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Run with node --import tsx: the kernels are internal, imported from src/.
import { init, wasm } from '../src/wasm/loader.js';
import * as memory from '../src/wasm/memory.js';
import * as eigen from '../src/solve/eigen.js';
import * as covarianceEigs from '../src/solve/covariance-eigs.js';
import { medianSeconds, medianSecondsAsync, pythonBaseline, printTable } from './lib.mjs';

const [M = 1000, N = 10000, ND = 4000] = process.argv.slice(2).map(Number);

/** Minimal .npy reader (little-endian f64, C order). */
function readNpy(path) {
  const buf = readFileSync(path);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const off = (major === 1 ? 10 : 12) + hlen;
  const header = buf.toString('latin1', major === 1 ? 10 : 12, off);
  if (!header.includes("'<f8'") || header.includes("'fortran_order': True")) throw new Error(`unsupported npy: ${header}`);
  const shape = String(header.match(/'shape': \(([^)]*)\)/)?.[1])
    .split(',')
    .filter((s) => s.trim())
    .map(Number);
  const data = new Float64Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + buf.length));
  return { shape, data };
}

await init();
const dir = mkdtempSync(join(tmpdir(), 'spec-embed-eigen-'));
try {
  console.error(`running SciPy baselines (M=${M}, n=${N}, dense n=${ND}) ...`);
  const base = pythonBaseline('eigen_baseline.py', [dir, M, N, ND]);
  const { D, dx, k } = base;
  const Cnpy = readNpy(join(dir, 'C.npy')).data;
  const Lnpy = readNpy(join(dir, 'L.npy')).data;
  const C = memory.f64(D * D, 'C').set(Cnpy);
  const R = memory.f64(D * D, 'R');
  const x = memory.f64(D).set(Float64Array.from({ length: D }, (_, i) => (i % 7) - 3));
  const y = memory.f64(D);
  const rows = [];
  const maxDiff = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  const sortedVals = (r) => Array.from(r.values).sort((p, q) => p - q);

  rows.push({
    kernel: 'dsymvUpper (C·x)',
    size: `D=${D}`,
    ours: medianSeconds(() => wasm().dsymvUpper(D, C.ptr, x.ptr, y.ptr)),
    base: base.symv,
    flops: 2 * D * D,
    target: 'numpy C@x',
  });

  /** @type {any} */
  let covRes;
  /** @type {any} */
  let denseRes;
  const tCov = await medianSecondsAsync(() => {
    R.view.set(Cnpy);
    covRes = covarianceEigs.covarianceEigs(R, D, dx, k, 1);
  }, 3);
  rows.push({
    kernel: `covarianceEigs top${k}+bottom${k} (pstrf + rsr)`,
    size: `D=${D}`,
    ours: tCov,
    base: base.cholesky + base.eigsh_rjr,
    target: 'cholesky + eigsh(RJRᵀ, BE)',
  });
  rows.push({
    kernel: `covarianceEigs top${k}+bottom${k} (pstrf + rsr)`,
    size: `D=${D}`,
    ours: tCov,
    base: base.eigh_subset_x2,
    target: '≤0.5× two eigh(subset_by_index)',
  });

  C.free();
  R.free();
  const L = memory.f64(ND * ND, 'L').set(Lnpy);
  const tDense = await medianSecondsAsync(() => {
    denseRes = eigen.extremeEigs({ kind: 'dense', A: L, n: ND }, k);
  }, 3);
  rows.push({ kernel: `extremeEigs dense top${k}+bottom${k}`, size: `n=${ND}`, ours: tDense, base: base.eigsh_dense, target: 'eigsh(dense Λ, BE)' });
  L.free();
  x.free();
  y.free();

  printTable(rows);
  const scale = Math.max(...base.eigsh_values.map(Math.abs));
  console.log(
    `\ncovarianceEigs: rank ${covRes.rank}, ${covRes.matvecs} Θ-applications, ${covRes.restarts} restarts, converged=${covRes.converged}, max|λ − eigsh| / ‖Θ‖ = ${(maxDiff(sortedVals(covRes), base.eigsh_values) / scale).toExponential(2)}`,
  );
  console.log(`eigsh: ${base.eigsh_rjr_matvecs} RJRᵀ applications (operator), ${base.eigsh_dense_matvecs} (dense exact route)`);
  console.log(
    `       max|λ(eigsh) − λ(eigh subset)| / ‖Θ‖ = ${(
      maxDiff(
        base.eigsh_values,
        [...base.eigh_values].sort((p, q) => p - q),
      ) / scale
    ).toExponential(2)}`,
  );
  const dscale = Math.max(...base.eigsh_dense_values.map(Math.abs));
  console.log(
    `dense: ${denseRes.matvecs} matvecs, ${denseRes.restarts} restarts, converged=${denseRes.converged}, max|λ − eigsh| / ‖Λ‖ = ${(maxDiff(sortedVals(denseRes), base.eigsh_dense_values) / dscale).toExponential(2)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

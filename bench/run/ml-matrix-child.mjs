// The B1 pipeline as a JavaScript user would write it with ml-matrix (f64
// Matrix ops + its EVD), no wasm: Gaussian RFF features of both sides,
// C = ΨᵀΨ/n, C = L·Lᵀ (Cholesky), the symmetric S = Lᵀ·J·L (same eigenvalues
// as J·C), a full symmetric EVD, and the scores of the top/bottom k modes.
// argv[2]: JSON { dist, dir, m, sigmaX, sigmaY, k }. Stage times go to stderr as
// they finish (so a timed-out run shows how far it got); one JSON line to stdout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Matrix, CholeskyDecomposition, EigenvalueDecomposition } from 'ml-matrix';
import { mulberry32 } from '../../tests/shared/rng.mjs';

const { dist, dir, m, sigmaX, sigmaY, k } = JSON.parse(process.argv[2]);
const { parseNpy } = await import(pathToFileURL(join(dist, 'io.js')).href);
const load = (f) => parseNpy(new Uint8Array(readFileSync(join(dir, f))), f);
const toMatrix = (a) => Matrix.from1DArray(a.rows, a.cols, Array.from(a.data));
const X = toMatrix(load('X.npy')),
  Y = toMatrix(load('Y.npy'));
const n = X.rows;

// Seeded normal draws (mulberry32 + Box–Muller): the map is random but reproducible.
const uniform = mulberry32(12345);
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

const t0 = performance.now();
const stage = (name) => process.stderr.write(`${name} ${((performance.now() - t0) / 1000).toFixed(2)}\n`);

function rff(A, sigma) {
  const W = new Matrix(A.columns, m);
  for (let i = 0; i < A.columns; i++) for (let j = 0; j < m; j++) W.set(i, j, normal() / sigma);
  const P = A.mmul(W);
  const s = 1 / Math.sqrt(m);
  const F = new Matrix(A.rows, 2 * m);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < m; j++) {
      F.set(i, j, Math.cos(P.get(i, j)) * s);
      F.set(i, m + j, Math.sin(P.get(i, j)) * s);
    }
  }
  return F;
}
const FX = rff(X, sigmaX);
const FY = rff(Y, sigmaY);
const Psi = new Matrix(n, 4 * m);
Psi.setSubMatrix(FX, 0, 0);
Psi.setSubMatrix(FY, 0, 2 * m);
stage('features');
const D = Psi.columns;
const C = Psi.transpose().mmul(Psi).div(n);
stage('covariance');
let tr = 0;
for (let i = 0; i < D; i++) tr += C.get(i, i);
for (let i = 0; i < D; i++) C.set(i, i, C.get(i, i) + (1e-10 * tr) / D);
const L = new CholeskyDecomposition(C).lowerTriangularMatrix;
stage('cholesky');
const JL = L.clone();
for (let i = 2 * m; i < D; i++) JL.mulRow(i, -1);
const S = L.transpose().mmul(JL);
const evd = new EigenvalueDecomposition(S, { assumeSymmetric: true });
stage('evd');
const values = evd.realEigenvalues; // ascending
const order = values.map((_v, i) => i).sort((a, b) => values[b] - values[a]);
const chosen = [...order.slice(0, k), ...order.slice(-k)];
const Wsel = new Matrix(D, chosen.length);
chosen.forEach((c, j) => Wsel.setColumn(j, evd.eigenvectorMatrix.getColumn(c)));
const U = Psi.mmul(JL.mmul(Wsel)).div(Math.sqrt(n));
stage('scores');
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, lmax: values[order[0]], lmin: values[order[D - 1]], scoreRows: U.rows })}\n`);

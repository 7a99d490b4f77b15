// FINC's exact route (small sets): the pooled kernel matrix, no random features.
//
// With pooled rows p (X then Y), W = diag(1/nx on X, −η/ny on Y), a = √|w| and
// J = sign(W): CX − ηCY = ΦᵀWΦ, whose non-zero eigenvalues are those of
// J·G with G = A K A (A = diag(a)) — the covariance route's problem J·C with G in
// the place of C and nx in the place of dx. covarianceEigs solves it as there: a
// pivoted Cholesky of G to its numerical rank, then Lanczos on R S Rᵀ, so a
// singular G (duplicates, rank-deficient data) is fine and the cost is n³/3 plus
// Lanczos, not two dense eigendecompositions. Its vectors z (J·G·z = λz,
// zᵀGz = 1) give the unit mode v = ΦᵀAz, whose scores are φ(p_i)ᵀv = (K A z)_i =
// (G z)_i / a_i; when η = 0, Y's rows have a = 0 and their scores come from the
// kernel: φ(y_j)ᵀv = Σ_{i∈X} k(y_j, x_i)·a_i·z_i.
import { dsymvUpper, expNegScaledAt } from '../../wasm/finc.js';
import { Scope, f64, type WasmArray } from '../../wasm/memory.js';
import { gramRowF64 } from '../../wasm/gram.js';
import type { Matrix } from '../../types/index.js';
import type { FincMode } from '../../types/finc.js';
import { featureDim, type Kernel } from '../../features/kernel.js';
import { covarianceEigsSteps } from '../../solve/covariance-eigs.js';
import { TopSamples, selectModes, signOf, specDiffOf } from '../../score/modes.js';
import { drive, lap, type Cooperative } from '../../runtime/cooperative.js';
import { fincMode } from '../../score/finc-modes.js';
import type { FincOutcome } from '../../features/job.js';
import type { FincMetricsSink } from '../../significance/finc-metrics.js';

const U64 = 2 ** -53;
/**
 * Noise floor of the exact route: |μ| ≤ EXACT_NOISE_C·√(n·u64)·(tr CX + η·tr CY).
 * Why a square root: when X and Y share samples, JG is (nearly) defective — for
 * X = Y it is nilpotent — so a rounding error E in G (f64 kernel, syev's backward
 * error ~ n·u64·‖G‖) moves its zero eigenvalues by ~√(‖E‖·‖G‖), in ± pairs.
 * c = 1 is that generic bound. Measured on identical sets in different row orders
 * (n = 400–1200; Gaussian, cosine, linear; offsets 0–30): |μ| ≤ 1.2e-8·√(n·u64)·trace,
 * because duplicated rows give bit-identical kernel rows; the bound covers near-
 * duplicates too. At n = 2000 it is 1.5e-7·trace, like the covariance route's floor.
 */
const EXACT_NOISE_C = 1;

export interface ExactInput {
  X: Matrix;
  Y: Matrix;
  kernel: Kernel;
  eta: number;
  topK: number;
  samplesPerMode: number;
  returnScores: boolean;
  /** Seeds the Lanczos start vectors. */
  seed: number;
}

/** The noise floor the exact route uses for n pooled rows and trace tr CX + η·tr CY. */
export function exactNoiseFloor(n: number, trace: number): number {
  return EXACT_NOISE_C * Math.sqrt(n * U64) * trace;
}

/** FINC's exact route over the two whole sets (values already checked). */
export async function fincExactRoute(inp: ExactInput, coop: Cooperative, timings: Record<string, number>, sink?: FincMetricsSink): Promise<FincOutcome> {
  let t = performance.now();
  const { X, Y, kernel, eta } = inp;
  const nx = X.rows,
    ny = Y.rows,
    n = nx + Y.rows,
    d = X.cols;
  const a = new Float64Array(n); // √|w_i|
  for (let i = 0; i < n; i++) a[i] = i < nx ? Math.sqrt(1 / nx) : Math.sqrt(eta / ny);
  const sc = new Scope();
  try {
    const G = sc.f64(n * n, `pooled kernel matrix (${n} × ${n})`);
    // The factorisation overwrites G; the scores need G·z: a copy in wasm memory.
    const Gz = sc.f64(n * n, `pooled kernel matrix copy (${n} × ${n})`);
    const KYX = await pooledGram(X, Y, kernel, a, G, eta === 0, coop, sink);
    const g = G.view;
    let trace = 0;
    for (let i = 0; i < n; i++) trace += g[i * n + i];
    Gz.view.set(g);
    t = lap(timings, 'gram', t);
    await coop.tick();
    // The k largest and k smallest whatever their signs (as SpecSums.solveSteps does):
    // a sign-split search can miss negative eigenvalues far below the positive ones.
    const res = await solve(G, n, nx, inp.topK, inp.seed, coop);
    t = lap(timings, 'solve', t);
    const floor = exactNoiseFloor(n, trace);
    const values = res.values;
    // 0 is an eigenvalue of CX − ηCY whenever its rank is below the feature dimension (always for the Gaussian).
    const zeroIn = kernel.type === 'gaussian' || res.rank < featureDim(kernel, d);
    let lmax = zeroIn ? 0 : -Infinity,
      lmin = zeroIn ? 0 : Infinity;
    for (const v of values) {
      if (v === 0) continue; // padding: fewer eigenpairs than asked for
      lmax = Math.max(lmax, v);
      lmin = Math.min(lmin, v);
    }
    if (lmax === -Infinity) lmax = lmin = 0;
    // values = [k largest, k smallest]: the lists share pairs when the rank is below 2k.
    const k = inp.topK;
    const sel = selectModes(values, k, floor, k);
    const hi = values.subarray(0, k),
      lo = values.subarray(k);
    const dropped = hi.filter((v) => v > 0 && v <= floor).length + lo.filter((v) => v < 0 && v >= -floor).length;
    const modes: FincMode[] = [];
    let rx = 0,
      ry = 0;
    for (const c of sel) {
      await coop.tick();
      const { sx, sy } = modeScores(Gz, n, nx, a, res.vectors[c.column], KYX);
      // both sets' scores: the cut rule pools them, the frequencies count each
      const tx = new TopSamples(1, inp.samplesPerMode, nx, inp.returnScores && c.side === 'x');
      const ty = new TopSamples(1, inp.samplesPerMode, ny, inp.returnScores && c.side === 'y');
      tx.addRows(sx, nx, 0);
      ty.addRows(sy, ny, 0);
      const sign = signOf((c.side === 'x' ? tx : ty).sums()[0]);
      const [fx] = tx.finish([sign]),
        [fy] = ty.finish([sign]);
      modes.push(fincMode(c.side, c.side === 'x' ? ++rx : ++ry, c.value, c.side === 'x' ? fx : fy, [fx.hist, fy.hist], eta, meanSquare(sx), meanSquare(sy)));
    }
    lap(timings, 'scores', t);
    return { modes, specDiff: specDiffOf(lmax, lmin, floor), noiseDropped: dropped };
  } finally {
    sc.free();
  }
}

/** Extreme eigenpairs of J·G (J = +1 on X's rows, −1 on Y's), yielding between steps. */
async function solve(G: WasmArray<Float64Array>, n: number, nx: number, k: number, seed: number, coop: Cooperative) {
  return drive(covarianceEigsSteps(G, n, nx, k, seed, false), coop, 'solve');
}

/** One mode's scores on X's and Y's rows from z (J·G·z = λz, zᵀGz = 1). */
function modeScores(
  G: WasmArray<Float64Array>,
  n: number,
  nx: number,
  a: Float64Array,
  z: Float64Array,
  KYX: Float64Array | null,
): { sx: Float64Array; sy: Float64Array } {
  const ny = n - nx;
  const sx = new Float64Array(nx),
    sy = new Float64Array(ny);
  const sc = new Scope();
  try {
    const zw = sc.f64(n, 'mode vector').set(z),
      yw = sc.f64(n, 'G·z');
    dsymvUpper(n, G, zw, yw);
    const y = yw.view;
    for (let i = 0; i < nx; i++) sx[i] = y[i] / a[i];
    // with η = 0, Y's rows of G are 0: their scores come from KYX below
    if (!KYX) for (let j = 0; j < ny; j++) sy[j] = y[nx + j] / a[nx + j];
  } finally {
    sc.free();
  }
  if (KYX) {
    for (let j = 0; j < ny; j++) {
      let s = 0;
      const row = j * nx;
      for (let i = 0; i < nx; i++) s += KYX[row + i] * a[i] * z[i];
      sy[j] = s;
    }
  }
  return { sx, sy };
}

const meanSquare = (v: Float64Array) => v.reduce((s, x) => s + x * x, 0) / v.length;

/**
 * G = |W|^½ K |W|^½ in full f64 (the wasm Gram sums f32 products, whose error
 * the square-root sensitivity above would amplify to ~1e-5), into the wasm
 * buffer G. Gaussian distances come from coordinate differences (no
 * cancellation). Returns the unscaled Y × X block when η = 0 (Y's scores need it).
 */
async function pooledGram(
  X: Matrix,
  Y: Matrix,
  kernel: Kernel,
  a: Float64Array,
  G: WasmArray<Float64Array>,
  keepYX: boolean,
  coop: Cooperative,
  sink?: FincMetricsSink,
): Promise<Float64Array | null> {
  const nx = X.rows,
    n = nx + Y.rows,
    d = X.cols;
  const P = f64(n * d, `pooled rows (${n} × ${d})`);
  try {
    const p = P.view;
    p.set(X.data, 0);
    p.set(Y.data, nx * d);
    if (kernel.type === 'cosine') {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = i * d; c < (i + 1) * d; c++) s += p[c] * p[c];
        const inv = 1 / Math.sqrt(s);
        for (let c = i * d; c < (i + 1) * d; c++) p[c] *= inv;
      }
    }
    const gamma = kernel.type === 'gaussian' ? 1 / (2 * kernel.sigma * kernel.sigma) : 0;
    const KYX = keepYX ? new Float64Array((n - nx) * nx) : null;
    coop.progress('gram', 0, n);
    await coop.tick(); // an abort seen in that event stops here
    let last = performance.now();
    for (let i = 0; i < n; i++) {
      // Row i from the diagonal on, in wasm: squared distances (Gaussian, from
      // coordinate differences: no cancellation) or dot products, all in f64.
      gramRowF64(P, n, d, i, i, gamma > 0, G, i * n + i);
      // exp in wasm, not Math.exp: engines may differ in its last bit
      if (gamma > 0) expNegScaledAt(G, i * n + i, n - i, gamma);
      const g = G.view; // re-read: memory may have grown while we yielded
      // MMD² (and the permutation test's kernel) read the unscaled row
      sink?.gramRow(i, g.subarray(i * n + i, i * n + n), nx, n);
      for (let j = i; j < n; j++) {
        const s = g[i * n + j];
        if (KYX && i < nx && j >= nx) KYX[(j - nx) * nx + i] = s;
        const v = a[i] * a[j] * s;
        g[i * n + j] = v;
        g[j * n + i] = v;
      }
      if (performance.now() - last > 25) {
        coop.progress('gram', i + 1, n);
        await coop.tick();
        last = performance.now();
      }
    }
    await coop.tick();
    coop.progress('gram', n, n);
    return KYX;
  } finally {
    P.free();
  }
}

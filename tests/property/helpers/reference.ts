// Reference computations for the property tests, in plain f64 JavaScript:
// the explicit n × n Λ = KX − η·KY of compare() and the explicit FINC operator,
// their spectra by the Jacobi routine, and the checks every result must pass.
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import * as rng from '../../../src/wasm/rng.js';
import * as features from '../../../src/wasm/features.js';
import { jacobiEig } from './jacobi.js';

export interface Mat {
  /** Row-major f32 data exactly as passed to the library. */
  data: Float32Array;
  rows: number;
  cols: number;
}

export interface KernelSpec {
  type: 'cosine' | 'linear' | 'gaussian';
  /** The σ the library reported using (Gaussian). */
  sigma?: number;
  /** Random Fourier frequencies m: set when the route used RFF. */
  rffDim?: number;
}

const U32 = 2 ** -24;
const U64 = 2 ** -53;

/** Seed and run count of the property suites: fixed for CI, overridable for exploration. */
export const PROP_SEED = Number(process.env.SPEC_EMBED_PROP_SEED ?? 20250917);
export const PROP_RUNS_SCALE = Number(process.env.SPEC_EMBED_PROP_RUNS_SCALE ?? 1);

/** Rows of m in f64, scaled to unit length (the cosine kernel's feature map), without over/underflow. */
export function unitRows(m: Mat): Float64Array {
  const { rows, cols, data } = m;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let big = 0;
    for (let j = 0; j < cols; j++) big = Math.max(big, Math.abs(data[i * cols + j]));
    let ss = 0;
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j] / big;
      ss += v * v;
    }
    const norm = Math.sqrt(ss);
    for (let j = 0; j < cols; j++) out[i * cols + j] = data[i * cols + j] / big / norm;
  }
  return out;
}

/** Random Fourier features of m from the library's own ω (seeded) and feature kernel, as f64 (n × 2m). */
export async function rffFeatures(m: Mat, sigma: number, rffDim: number, seed: number): Promise<Float64Array> {
  await init();
  const omega = rng.gaussianOmega(m.cols, rffDim, sigma, seed);
  const x = memory.f32(m.rows * m.cols);
  const out = memory.f32(m.rows * 2 * rffDim);
  try {
    x.view.set(m.data);
    features.featuresRff(x, m.rows, m.cols, omega, rffDim, out);
    return Float64Array.from(out.view);
  } finally {
    omega.free();
    x.free();
    out.free();
  }
}

/** Explicit feature rows φ(x) (n × D, f64) for the kernels with a finite feature map. */
export async function featureRows(m: Mat, k: KernelSpec, seed: number): Promise<{ phi: Float64Array; D: number }> {
  if (k.type === 'cosine') return { phi: unitRows(m), D: m.cols };
  if (k.type === 'linear') return { phi: Float64Array.from(m.data), D: m.cols };
  if (!k.rffDim) throw new Error('the exact Gaussian kernel has no finite feature map');
  return { phi: await rffFeatures(m, k.sigma!, k.rffDim, seed), D: 2 * k.rffDim };
}

/** The n × n kernel matrix K (not divided by n) in f64: exact Gaussian when no rffDim, else Φ Φᵀ. */
export async function kernelMatrix(m: Mat, k: KernelSpec, seed: number): Promise<Float64Array> {
  const n = m.rows;
  const K = new Float64Array(n * n);
  if (k.type === 'gaussian' && !k.rffDim) {
    const d = m.cols,
      x = m.data,
      g = 1 / (2 * k.sigma! * k.sigma!);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) {
          const t = (x[i * d + c] - x[j * d + c]) * Math.sqrt(g);
          s += t * t;
        }
        K[i * n + j] = K[j * n + i] = Math.exp(-s);
      }
    }
    return K;
  }
  const { phi, D } = await featureRows(m, k, seed);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let c = 0; c < D; c++) s += phi[i * D + c] * phi[j * D + c];
      K[i * n + j] = K[j * n + i] = s;
    }
  }
  return K;
}

export interface Spectrum {
  /** All eigenvalues, ascending. */
  values: Float64Array;
  /** The matrix whose spectrum this is (for residual checks), and its size. */
  A?: Float64Array;
  n?: number;
  /** Spectral norm max |λ|. */
  norm: number;
  /** trace of the two positive parts (tr KX + η·tr KY, or tr CX + η·tr CY): the scale of the noise floor. */
  trace: number;
  /** λmax and λmin of the whole operator (0 included when it is in the spectrum). */
  lmax: number;
  lmin: number;
}

/** Spectrum of compare()'s Λ = (1/n)(KX − η·KY). */
export async function compareSpectrum(X: Mat, Y: Mat, kx: KernelSpec, ky: KernelSpec, eta: number, seed: number): Promise<Spectrum> {
  const n = X.rows;
  const KX = await kernelMatrix(X, kx, seed),
    KY = await kernelMatrix(Y, ky, seed);
  const A = new Float64Array(n * n);
  let trace = 0;
  for (let i = 0; i < n * n; i++) A[i] = (KX[i] - eta * KY[i]) / n;
  for (let i = 0; i < n; i++) trace += (KX[i * n + i] + eta * KY[i * n + i]) / n;
  const { values } = jacobiEig(A, n);
  return { values, A, n, norm: Math.max(Math.abs(values[0]), Math.abs(values[n - 1])), trace, lmax: values[n - 1], lmin: values[0] };
}

/**
 * Spectrum of FINC's CX − η·CY. With a finite feature map it is formed
 * explicitly (D × D). For the exact Gaussian, its non-zero eigenvalues are those
 * of J·G (G = A K A, A = diag(√|w|) over the pooled rows, J = sign w), which
 * are those of the symmetric G^½ J G^½; 0 is always in its spectrum then.
 */
export async function fincSpectrum(X: Mat, Y: Mat, k: KernelSpec, eta: number, seed: number): Promise<Spectrum> {
  const nx = X.rows,
    ny = Y.rows;
  if (k.type !== 'gaussian' || k.rffDim) {
    const fx = await featureRows(X, k, seed),
      fy = await featureRows(Y, k, seed);
    const D = fx.D;
    const M = new Float64Array(D * D);
    for (let a = 0; a < D; a++) {
      for (let b = a; b < D; b++) {
        let sx = 0,
          sy = 0;
        for (let i = 0; i < nx; i++) sx += fx.phi[i * D + a] * fx.phi[i * D + b];
        for (let i = 0; i < ny; i++) sy += fy.phi[i * D + a] * fy.phi[i * D + b];
        M[a * D + b] = M[b * D + a] = sx / nx - (eta * sy) / ny;
      }
    }
    let trace = 0;
    for (let a = 0; a < D; a++) {
      let sx = 0,
        sy = 0;
      for (let i = 0; i < nx; i++) sx += fx.phi[i * D + a] ** 2;
      for (let i = 0; i < ny; i++) sy += fy.phi[i * D + a] ** 2;
      trace += sx / nx + (eta * sy) / ny;
    }
    const { values } = jacobiEig(M, D);
    return { values, A: M, n: D, norm: Math.max(Math.abs(values[0]), Math.abs(values[D - 1])), trace, lmax: values[D - 1], lmin: values[0] };
  }
  const n = nx + ny,
    d = X.cols;
  const P: Mat = { data: new Float32Array(n * d), rows: n, cols: d };
  P.data.set(X.data, 0);
  P.data.set(Y.data, nx * d);
  const K = await kernelMatrix(P, k, seed);
  const a = Float64Array.from({ length: n }, (_, i) => Math.sqrt(i < nx ? 1 / nx : eta / ny));
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) G[i * n + j] = a[i] * a[j] * K[i * n + j];
  const g = jacobiEig(G, n, true);
  // G^½ = Q diag(√max(s, 0)) Qᵀ (tiny negative s are rounding of a PSD matrix).
  const Q = g.vectors!,
    r = Float64Array.from(g.values, (s) => Math.sqrt(Math.max(s, 0)));
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += Q[i * n + c] * r[c] * Q[j * n + c];
      H[i * n + j] = H[j * n + i] = s;
    }
  const T = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += H[i * n + c] * (c < nx ? 1 : -1) * H[c * n + j];
      T[i * n + j] = T[j * n + i] = s;
    }
  const { values } = jacobiEig(T, n);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += G[i * n + i];
  const norm = Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
  return { values, norm, trace, lmax: Math.max(0, values[n - 1]), lmin: Math.min(0, values[0]) };
}

/** The noise floors the routes document (docs/design.md; src/methods/finc.ts, src/methods/routes/finc-exact.ts). */
export const floors = {
  /** compare(), both routes: 16·u32·(tr KX + η·tr KY). */
  compare: (trace: number) => 16 * U32 * trace,
  /** finc() covariance route: 4·u32·(tr CX + η·tr CY). */
  fincCovariance: (trace: number) => 4 * U32 * trace,
  /** finc() exact route: √(n·u64)·(tr CX + η·tr CY), n = nx + ny. */
  fincExact: (n: number, trace: number) => Math.sqrt(n * U64) * trace,
};

interface ModeLike {
  rank: number;
  side: 'x' | 'y';
  eigenvalue: number;
  top: { index: number; score: number }[];
  scores?: Float64Array;
}

interface ResultLike {
  eigenvalues: Float64Array;
  modes: ModeLike[];
  specDiff: { xNotY: number; yNotX: number; norm: number };
  noiseDropped: number;
}

/**
 * What every result must satisfy against the reference spectrum:
 *  - each side's eigenvalues are the reference's largest (side x) / most negative
 *    (side y), in docs/design.md §3 order, within `tol`;
 *  - every reference eigenvalue clearly above the floor is reported (up to topK);
 *  - no reported eigenvalue is within the floor; at most `maxModes` modes;
 *  - ranks 1.. per side, modes listed x first then y, `eigenvalues` mirrors the modes;
 *  - specDiff equals the reference's λmax, −λmin, max |λ|.
 */
export function checkSpectrum(res: ResultLike, ref: Spectrum, o: { topK: number; floor: number; tol: number; maxModes: number; label: string }): void {
  const { topK, floor, tol, label } = o;
  const ctx = (s: string) =>
    `${label}: ${s}\n reported ${JSON.stringify(res.modes.map((m) => [m.side, m.eigenvalue]))}\n reference ${JSON.stringify(Array.from(ref.values))}\n floor ${floor} tol ${tol}`;
  const xs = res.modes.filter((m) => m.side === 'x'),
    ys = res.modes.filter((m) => m.side === 'y');
  // Order: side x first, then side y.
  assert.deepEqual(
    res.modes.map((m) => m.side),
    [...xs.map(() => 'x'), ...ys.map(() => 'y')],
    ctx('modes must list side x before side y'),
  );
  assert.deepEqual(
    Array.from(res.eigenvalues),
    res.modes.map((m) => m.eigenvalue),
    ctx('eigenvalues must mirror the modes'),
  );
  assert.ok(res.modes.length <= o.maxModes, ctx(`${res.modes.length} modes, more than the ${o.maxModes} eigenpairs that exist`));
  assert.ok(xs.length <= topK && ys.length <= topK, ctx(`more than topK = ${topK} modes on a side`));
  const desc = Array.from(ref.values).reverse(),
    asc = Array.from(ref.values);
  for (const [got, side, refList] of [
    [xs, 'x', desc],
    [ys, 'y', asc],
  ] as const) {
    got.forEach((m, i) => {
      assert.equal(m.rank, i + 1, ctx(`side ${side} rank`));
      assert.ok(side === 'x' ? m.eigenvalue > 0 : m.eigenvalue < 0, ctx(`side ${side} mode ${i + 1} has eigenvalue ${m.eigenvalue} of the wrong sign`));
      assert.ok(Math.abs(m.eigenvalue) > floor, ctx(`side ${side} mode ${i + 1}: |λ| = ${Math.abs(m.eigenvalue)} is within the noise floor ${floor}`));
      if (i > 0) assert.ok(side === 'x' ? m.eigenvalue <= got[i - 1].eigenvalue : m.eigenvalue >= got[i - 1].eigenvalue, ctx(`side ${side} is not ordered`));
      assert.ok(Math.abs(m.eigenvalue - refList[i]) <= tol, ctx(`side ${side} mode ${i + 1}: λ = ${m.eigenvalue}, reference ${refList[i]}`));
    });
    const clear = refList.filter((v) => (side === 'x' ? v : -v) > floor + tol).length;
    assert.ok(
      got.length >= Math.min(topK, clear),
      ctx(`side ${side}: ${got.length} modes, but the reference has ${clear} eigenvalues clearly above the floor`),
    );
  }
  // SPEC-diff is an eigenvalue too, but one inside the noise floor may read as 0.
  const sdTol = Math.max(tol, floor);
  assert.ok(Math.abs(res.specDiff.xNotY - ref.lmax) <= sdTol, ctx(`xNotY ${res.specDiff.xNotY} vs λmax ${ref.lmax}`));
  assert.ok(Math.abs(res.specDiff.yNotX + ref.lmin) <= sdTol, ctx(`yNotX ${res.specDiff.yNotX} vs −λmin ${-ref.lmin}`));
  assert.ok(Math.abs(res.specDiff.norm - ref.norm) <= sdTol, ctx(`norm ${res.specDiff.norm} vs ${ref.norm}`));
  assert.ok(Number.isInteger(res.noiseDropped) && res.noiseDropped >= 0, ctx('noiseDropped must be a count'));
}

/**
 * compare() modes with `returnScores`: each u is a unit eigenvector of the
 * reference Λ (residual ‖Λu − λu‖ small), sum(u) ≥ 0, the vectors of distinct
 * modes are orthogonal (no eigenpair reported twice), and `top` lists the
 * largest scores.
 */
export function checkVectors(
  res: ResultLike,
  ref: Spectrum,
  o: { resTol: number; samplesPerMode: number; label: string; skipBelow?: number; normTol?: number },
): void {
  const n = ref.n!,
    A = ref.A!;
  const us = res.modes.map((m) => m.scores!);
  res.modes.forEach((m, k) => {
    if (Math.abs(m.eigenvalue) <= (o.skipBelow ?? 0)) return;
    const u = us[k];
    assert.ok(u && u.length === n, `${o.label}: mode ${k} has no scores of length ${n}`);
    let nn = 0,
      sum = 0;
    for (let i = 0; i < n; i++) {
      nn += u[i] * u[i];
      sum += u[i];
    }
    assert.ok(Math.abs(Math.sqrt(nn) - 1) < (o.normTol ?? 1e-3), `${o.label}: mode ${m.side}${m.rank} scores have norm ${Math.sqrt(nn)}`);
    assert.ok(sum >= -1e-6, `${o.label}: mode ${m.side}${m.rank} sum(u) = ${sum} < 0`);
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * u[j];
      r2 += (s - m.eigenvalue * u[i]) ** 2;
    }
    assert.ok(Math.sqrt(r2) <= o.resTol, `${o.label}: mode ${m.side}${m.rank} (λ = ${m.eigenvalue}) residual ‖Λu − λu‖ = ${Math.sqrt(r2)} > ${o.resTol}`);
    for (let l = 0; l < k; l++) {
      if (Math.abs(res.modes[l].eigenvalue) <= (o.skipBelow ?? 0)) continue;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += u[i] * us[l][i];
      assert.ok(Math.abs(dot) < 1e-2, `${o.label}: modes ${k} and ${l} are the same eigenvector (uᵀv = ${dot})`);
    }
    // top: the samplesPerMode largest scores, descending.
    const want = Math.min(o.samplesPerMode, n);
    assert.equal(m.top.length, want, `${o.label}: mode ${m.side}${m.rank} lists ${m.top.length} top samples, expected ${want}`);
    const sorted = Array.from(u).sort((a, b) => b - a);
    m.top.forEach((t, j) => {
      assert.equal(t.score, u[t.index], `${o.label}: top score is not the sample's score`);
      assert.equal(t.score, sorted[j], `${o.label}: top[${j}] is not the ${j + 1}-th largest score`);
    });
  });
}

/**
 * fc.assert, but a failure reports the shrunk counterexample *and* the
 * assertion it breaks (replayed), with the seed and path to reproduce it.
 */
export async function assertProperty<T>(arb: import('fast-check').Arbitrary<T>, run: (c: T) => Promise<void>, numRuns: number): Promise<void> {
  const fc = (await import('fast-check')).default;
  const out = await fc.check(fc.asyncProperty(arb, run), { seed: PROP_SEED, numRuns });
  if (!out.failed) return;
  const c = out.counterexample![0];
  const where = `counterexample (seed ${out.seed}, path "${out.counterexamplePath}"): ${JSON.stringify(c)}`;
  try {
    await run(c);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    err.message = `${where}\n${err.message}`;
    throw err;
  }
  throw new Error(`${where}\n${fc.defaultReportMessage(out)}`);
}

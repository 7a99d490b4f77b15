// compare() property case: the recipe of one random run and its checks.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compare, InputError } from '../../../src/index.js';
import {
  recipeArb,
  rowsArb,
  buildMatrix,
  hasZeroRow,
  allRowsEqual,
  relativeMedianDistance,
  linearSafe,
  kernelTypeArb,
  etaArb,
  type MatrixRecipe,
} from './arbitraries.js';
import { compareSpectrum, checkSpectrum, checkVectors, floors, type KernelSpec, type Mat } from './reference.js';

export interface Case {
  n: number;
  x: MatrixRecipe;
  /** Y is a fresh matrix, or X itself (Λ = (1 − η)KX when the kernels agree). */
  y: MatrixRecipe | 'same-as-x';
  kx: 'cosine' | 'linear' | 'gaussian';
  ky: 'cosine' | 'linear' | 'gaussian';
  /** σ = 'auto', or an explicit factor times the data's scale. */
  sigmaX: 'auto' | number;
  sigmaY: 'auto' | number;
  rffDim: number;
  eta: number;
  topK: number;
  samplesPerMode: number;
  method: 'exact' | 'covariance';
  seed: number;
}

export const caseArb: fc.Arbitrary<Case> = fc.record({
  n: rowsArb(300),
  x: recipeArb(64),
  y: fc.oneof({ weight: 5, arbitrary: recipeArb(64) }, { weight: 1, arbitrary: fc.constant('same-as-x' as const) }),
  kx: kernelTypeArb,
  ky: kernelTypeArb,
  sigmaX: fc.oneof(fc.constant('auto' as const), fc.double({ min: 0.3, max: 30, noNaN: true })),
  sigmaY: fc.oneof(fc.constant('auto' as const), fc.double({ min: 0.3, max: 30, noNaN: true })),
  rffDim: fc.integer({ min: 1, max: 40 }),
  eta: etaArb,
  topK: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 400 })),
  samplesPerMode: fc.integer({ min: 1, max: 30 }),
  method: fc.constantFrom('exact' as const, 'covariance' as const),
  seed: fc.integer({ min: 0, max: 1000 }),
});

function kernelOption(type: Case['kx'], sigma: 'auto' | number, m: Mat, rc: MatrixRecipe, rffDim: number) {
  if (type !== 'gaussian') return type;
  // σ = auto of a single row is 1 whatever the scale, and RFF of |ωᵀx| ≳ 1e12 are
  // garbage (known-bugs.test.ts, todo): give one row a σ of its own scale.
  if (m.rows === 1 && sigma === 'auto') sigma = 1;
  return { type, sigma: sigma === 'auto' ? ('auto' as const) : sigma * 10 ** rc.exp10 * Math.sqrt(rc.d), rffDim };
}

/** The errors a case may legitimately raise (and nothing else). */
function expectedRefusal(e: unknown, c: Case, X: Mat, Y: Mat): boolean {
  if (!(e instanceof InputError)) return false;
  const msg = e.message;
  if (/all zeros/.test(msg)) return (c.kx === 'cosine' && hasZeroRow(X)) || (c.ky === 'cosine' && hasZeroRow(Y));
  // σ = auto is the median pairwise distance: 0 once most pairs are duplicates (the
  // message's "all identical" overstates that; see known-bugs.test.ts).
  const noSpread = (m: Mat) => allRowsEqual(m) || relativeMedianDistance(m) < 1e-6;
  if (/sigma = auto is 0/.test(msg))
    return (c.kx === 'gaussian' && c.sigmaX === 'auto' && noSpread(X)) || (c.ky === 'gaussian' && c.sigmaY === 'auto' && noSpread(Y));
  return false;
}

/** Covariance-route (n > D) eigenvalue error allowed, in noise floors: f32 block sums of ≤ 256 rows err by up to ~√256–256/2 u. */
export const COVARIANCE_SLACK = 64;
/** Exact-route eigenvalue error allowed, in noise floors (known bugs K6, K8). */
export const EXACT_SLACK = 4;
/**
 * The same route reports round-off of C as modes up to ~35 floors (known-bugs.test.ts K4a–K4e,
 * todo): their vectors are noise, so the vector checks start above this many floors.
 */
export const GHOST_FLOORS = 128;

const featureDim = (k: Case['kx'], d: number, m: number) => (k === 'gaussian' ? 2 * m : d);

/** `strict`: the bar for every route, 1e-6·‖Λ‖ and no slack (known-bugs.test.ts). */
export async function runCompareCase(c: Case, strict = false): Promise<void> {
  const same = c.y === 'same-as-x';
  const xr = c.kx === 'linear' || (same && c.ky === 'linear') ? linearSafe(c.x) : c.x;
  const yr = same ? xr : c.ky === 'linear' ? linearSafe(c.y as MatrixRecipe) : (c.y as MatrixRecipe);
  const X = buildMatrix(xr, c.n);
  const Y = same ? X : buildMatrix(yr, c.n);
  const opts = {
    kernelX: kernelOption(c.kx, c.sigmaX, X, xr, c.rffDim) as any,
    kernelY: kernelOption(c.ky, c.sigmaY, Y, yr, c.rffDim) as any,
    eta: c.eta,
    topK: c.topK,
    samplesPerMode: c.samplesPerMode,
    method: c.method,
    seed: c.seed,
    returnScores: true,
  };
  let res;
  try {
    res = await compare(X, Y, opts);
  } catch (e) {
    if (expectedRefusal(e, c, X, Y)) return;
    throw e;
  }
  assert.equal(res.method, c.method);
  const spec = (k: typeof res.kernelX): KernelSpec => ({ type: k.type, sigma: k.sigma, rffDim: k.rffDim });
  if (c.method === 'covariance' && c.kx === 'gaussian') assert.equal(res.kernelX.rffDim, c.rffDim);
  const ref = await compareSpectrum(X, Y, spec(res.kernelX), spec(res.kernelY), c.eta, c.seed);
  const floor = floors.compare(ref.trace);
  // The covariance route proper (n > D) sums C from f32 products, so its error is
  // a few u·trace, not 1e-6·‖Λ‖ (known-bugs.test.ts holds the strict version as todo).
  const D = featureDim(c.kx, X.cols, c.rffDim) + featureDim(c.ky, Y.cols, c.rffDim);
  const f32Sums = !strict && c.method === 'covariance' && c.n > D;
  // The exact route's f32 Gram products (Gaussian distances by the norm expansion)
  // err by a few floors (known-bugs.test.ts K6, K8: 1.2e-6 and 2.6e-6·‖Λ‖).
  const tol = 1e-6 * ref.norm + (strict ? 0 : f32Sums ? COVARIANCE_SLACK : EXACT_SLACK) * floor;
  const label = `compare ${c.method} ${c.kx}/${c.ky} n=${c.n} dx=${X.cols} dy=${Y.cols} η=${c.eta}`;
  checkSpectrum(res, ref, { topK: c.topK, floor, tol, maxModes: c.n, label });
  // Covariance features are f32 even when summed in f64: Λ is perturbed by a few u·trace, a
  // quarter floor, which bounds an eigenvector's residual when ‖Λ‖ is far below the traces.
  const featureSlack = c.method === 'covariance' ? floor / 4 : 0;
  checkVectors(res, ref, {
    resTol: f32Sums ? 2e-4 * ref.norm + 16 * floor : 1e-4 * Math.max(ref.norm, floor) + featureSlack,
    samplesPerMode: c.samplesPerMode,
    label,
    skipBelow: f32Sums ? GHOST_FLOORS * floor : 0,
    normTol: f32Sums ? 1e-2 : 1e-3,
  });
  // (f32 route: a mode deep in a cluster of 16 had ‖u‖ = 0.9985 — seed 12 — its residual still small.)
}

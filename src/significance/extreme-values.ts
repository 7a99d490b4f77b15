// The extreme eigenvalues (no vectors) of a symmetric D × D operator given only as
// v ↦ A·v, by plain Lanczos with full reorthogonalisation and a fixed seeded start
// vector: m steps, then the Ritz values of the m × m tridiagonal (steqr). Used by
// FINC's permutation test, whose operator Φᵀ·diag(w)·Φ changes with every
// permutation and is never formed. The start vector and m are fixed, so the
// values are a deterministic function of the operator — what a permutation test
// needs for its null to be exchangeable with the observed value.
import { steqr } from '../solve/dense.js';
import { seededRandom } from '../runtime/prng.js';

/** Lanczos steps for k values at each end: enough for the extremes to settle. */
export function lanczosSteps(D: number, k: number): number {
  return Math.min(D, Math.max(2 * k + 40, 60));
}

/**
 * The Ritz values of m Lanczos steps on `apply` (sorted ascending), as
 * resumable steps (one per matvec). Stops early when the Krylov space is
 * exhausted (the values are then exact).
 */
export function* ritzValues(apply: (v: Float64Array, out: Float64Array) => void, D: number, m: number, seed: number): Generator<void, Float64Array> {
  const rand = seededRandom(seed);
  const Q: Float64Array[] = [];
  const alpha: number[] = [],
    beta: number[] = [];
  let q = Float64Array.from({ length: D }, () => rand() - 0.5);
  normalise(q);
  const w = new Float64Array(D);
  for (let j = 0; j < m; j++) {
    Q.push(q);
    apply(q, w);
    const a = dot(w, q);
    alpha.push(a);
    // full reorthogonalisation (twice is enough)
    for (let pass = 0; pass < 2; pass++) {
      for (const u of Q) {
        const c = dot(w, u);
        for (let i = 0; i < D; i++) w[i] -= c * u[i];
      }
    }
    const b = Math.sqrt(dot(w, w));
    if (j === m - 1 || !(b > 1e-12 * Math.max(1, Math.abs(a)))) break;
    beta.push(b);
    q = Float64Array.from(w, (x) => x / b);
    yield;
  }
  const d = Float64Array.from(alpha),
    e = Float64Array.from(beta.slice(0, d.length - 1));
  return steqr(d, e).values.slice().sort();
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normalise(v: Float64Array): void {
  const s = Math.sqrt(dot(v, v));
  for (let i = 0; i < v.length; i++) v[i] /= s;
}

// The extreme eigenvalues (no vectors) of symmetric D × D operators given only as
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
 * The Ritz values of m Lanczos steps (sorted ascending) on each of P operators
 * at once, in lockstep, as resumable steps (one per block matvec): `apply`
 * maps the P current vectors to their operators' products (one GEMM pair for
 * all of them). Each run is exactly what it would be alone: its own start
 * vector (the same for all), its own coefficients; a run whose Krylov space is
 * exhausted stops (its values are then exact) while the others go on.
 */
export function* ritzValuesBatch(
  apply: (vs: Float64Array[], outs: Float64Array[]) => void,
  P: number,
  D: number,
  m: number,
  seed: number,
): Generator<void, Float64Array[]> {
  const rand = seededRandom(seed);
  const start = Float64Array.from({ length: D }, () => rand() - 0.5);
  normalise(start);
  const runs = Array.from({ length: P }, () => ({ Q: [start] as Float64Array[], alpha: [] as number[], beta: [] as number[], live: true }));
  const outs = Array.from({ length: P }, () => new Float64Array(D));
  for (let j = 0; j < m && runs.some((r) => r.live); j++) {
    apply(
      runs.map((r) => r.Q[r.Q.length - 1]),
      outs,
    );
    runs.forEach((r, b) => {
      if (!r.live) return;
      const w = outs[b],
        q = r.Q[r.Q.length - 1];
      const a = dot(w, q);
      r.alpha.push(a);
      // full reorthogonalisation (twice is enough)
      for (let pass = 0; pass < 2; pass++) {
        for (const u of r.Q) {
          const c = dot(w, u);
          for (let i = 0; i < D; i++) w[i] -= c * u[i];
        }
      }
      const beta = Math.sqrt(dot(w, w));
      if (j === m - 1 || !(beta > 1e-12 * Math.max(1, Math.abs(a)))) {
        r.live = false;
        return;
      }
      r.beta.push(beta);
      r.Q.push(Float64Array.from(w, (x) => x / beta));
    });
    yield;
  }
  return runs.map((r) =>
    steqr(Float64Array.from(r.alpha), Float64Array.from(r.beta.slice(0, r.alpha.length - 1)))
      .values.slice()
      .sort(),
  );
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

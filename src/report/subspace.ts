// The rows' coordinates in their top principal subspace, approximately: a
// seeded randomised range finder (Halko, Martinsson & Tropp 2011) with one
// power iteration, in float64. UMAP's neighbour search then works in p
// columns instead of d; distances there are those of the centred rows projected
// on the subspace, whatever basis of it comes out (so no SVD is needed).
import { seededRandom } from './random.js';

/** Power iterations: each applies AᵀA once more, sharpening the leading directions. */
const POWER_STEPS = 1;

/**
 * n × p row-major coordinates of the centred n × d rows `data` in an
 * orthonormal basis of (approximately) their top-p principal subspace.
 * p ≥ d returns the centred rows unchanged (as n × d).
 */
export function principalSubspace(data: ArrayLike<number>, n: number, d: number, p: number, seed = 0): Float64Array {
  const A = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(n, 1);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) A[i * d + j] = data[i * d + j] - mean[j];
  if (p >= d) return A;
  const rand = seededRandom(seed);
  // G: d × p row-major, a random start (uniform entries are as good a start as Gaussian ones here).
  let G: Float64Array = Float64Array.from({ length: d * p }, () => rand() - 0.5);
  orthonormalColumns(G, d, p);
  for (let s = 0; s < POWER_STEPS; s++) {
    G = timesTransposed(A, n, d, times(A, n, d, G, p), p);
    orthonormalColumns(G, d, p);
  }
  return times(A, n, d, G, p);
}

/** A (n × d) · G (d × p), row-major. */
function times(A: Float64Array, n: number, d: number, G: Float64Array, p: number): Float64Array {
  const Y = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const yo = i * p;
    for (let j = 0; j < d; j++) {
      const a = A[i * d + j];
      if (a === 0) continue;
      const go = j * p;
      for (let c = 0; c < p; c++) Y[yo + c] += a * G[go + c];
    }
  }
  return Y;
}

/** Aᵀ (d × n) · Y (n × p), row-major. */
function timesTransposed(A: Float64Array, n: number, d: number, Y: Float64Array, p: number): Float64Array {
  const G = new Float64Array(d * p);
  for (let i = 0; i < n; i++) {
    const yo = i * p;
    for (let j = 0; j < d; j++) {
      const a = A[i * d + j];
      if (a === 0) continue;
      const go = j * p;
      for (let c = 0; c < p; c++) G[go + c] += a * Y[yo + c];
    }
  }
  return G;
}

/**
 * Gram–Schmidt, twice, on the p columns of a d × p row-major matrix; a column
 * left with only round-off of its length (the rows span fewer than p
 * directions) is zeroed rather than normalised into a spurious direction.
 */
function orthonormalColumns(G: Float64Array, d: number, p: number): void {
  for (let a = 0; a < p; a++) {
    let before = 0;
    for (let j = 0; j < d; j++) before += G[j * p + a] ** 2;
    for (let pass = 0; pass < 2; pass++) {
      for (let b = 0; b < a; b++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += G[j * p + a] * G[j * p + b];
        for (let j = 0; j < d; j++) G[j * p + a] -= dot * G[j * p + b];
      }
    }
    let nrm = 0;
    for (let j = 0; j < d; j++) nrm += G[j * p + a] ** 2;
    const keep = nrm > 0 && nrm > 1e-24 * before;
    const inv = keep ? 1 / Math.sqrt(nrm) : 0;
    for (let j = 0; j < d; j++) G[j * p + a] *= inv;
  }
}

// A small, deliberately plain reference eigensolver for the property tests: the
// cyclic Jacobi method for a symmetric matrix (Golub & Van Loan, "Matrix
// Computations", §8.5), in f64 JavaScript. It shares no code with the library's
// wasm eigensolvers, so the property tests check those against an independent
// computation. O(n³) per sweep and ~6–10 sweeps: fine for n ≤ 300.

export interface JacobiResult {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Column j (row-major n × n: vectors[i * n + j]) is the unit eigenvector of values[j], when asked for. */
  vectors?: Float64Array;
}

/**
 * Eigen-decomposition of the symmetric n × n row-major matrix `a` (not modified).
 * Rotations zero each off-diagonal pair (p, q) in turn until the off-diagonal
 * Frobenius norm is below 1e-16 of the whole matrix's (or entries underflow).
 */
export function jacobiEig(a: ArrayLike<number>, n: number, wantVectors = false): JacobiResult {
  const A = Float64Array.from(a as ArrayLike<number>);
  // Symmetrise exactly (the reference matrices are symmetric up to rounding).
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const m = 0.5 * (A[i * n + j] + A[j * n + i]);
      A[i * n + j] = m;
      A[j * n + i] = m;
    }
  const V = wantVectors ? new Float64Array(n * n) : null;
  if (V) for (let i = 0; i < n; i++) V[i * n + i] = 1;
  // Scale to a largest entry of 1 so that no square under- or overflows, and undo at the end.
  let big = 0;
  for (let i = 0; i < n * n; i++) big = Math.max(big, Math.abs(A[i]));
  const scale = big > 0 ? big : 1;
  for (let i = 0; i < n * n; i++) A[i] /= scale;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += A[i] * A[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += 2 * A[p * n + q] * A[p * n + q];
    if (off <= 1e-32 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (apq === 0) continue;
        const app = A[p * n + p],
          aqq = A[q * n + q];
        // Symmetric Schur decomposition of the 2 × 2 block: t = tan θ, the smaller root.
        const tau = (aqq - app) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t),
          s = t * c;
        // A ← Jᵀ A J with J the rotation in the (p, q) plane.
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p],
            akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k],
            aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        if (V) {
          for (let k = 0; k < n; k++) {
            const vkp = V[k * n + p],
              vkq = V[k * n + q];
            V[k * n + p] = c * vkp - s * vkq;
            V[k * n + q] = s * vkp + c * vkq;
          }
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[i * n + i] - A[j * n + j]);
  const values = Float64Array.from(order, (i) => A[i * n + i] * scale);
  if (!V) return { values };
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = V[k * n + src];
  });
  return { values, vectors };
}

// Principal components by hand, for the report's 2-D fallback layout (tiny
// data sets, or when UMAP is not wanted): the rows centred and projected on the
// top-k eigenvectors of their covariance, computed by block power iteration
// with Rayleigh–Ritz (orthonormal Gram–Schmidt each step) in float64.

/**
 * Projects the n × d row-major `data` on its top `k` principal axes.
 * Returns n × k row-major coordinates. Sign convention (so results are
 * comparable with NumPy): each axis points so that its entry of largest
 * absolute value is positive. Rank-deficient data give zero columns.
 */
export function pca(data: ArrayLike<number>, n: number, d: number, k = 2): Float64Array {
  const out = new Float64Array(n * k);
  if (n === 0 || d === 0) return out;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const A = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) A[i * d + j] = data[i * d + j] - mean[j];
  const axes = topAxes(A, n, d, k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const v = axes[c];
      let s = 0;
      for (let j = 0; j < d; j++) s += A[i * d + j] * v[j];
      out[i * k + c] = s;
    }
  }
  return out;
}

/** y = Aᵀ(A v) without forming the covariance (cheap when n·d is small, exact in f64). */
function covTimes(A: Float64Array, n: number, d: number, v: Float64Array): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) s += A[o + j] * v[j];
    if (s !== 0) for (let j = 0; j < d; j++) y[j] += s * A[o + j];
  }
  return y;
}

// Two Gram–Schmidt passes ("twice is enough"), and a vector left with no more than round-off of
// its length is dropped (zeroed): normalising that round-off would add an axis that is not
// orthogonal to the others whenever the data's rank is below the block size.
function orthonormalize(V: Float64Array[]): void {
  for (let a = 0; a < V.length; a++) {
    let before = 0;
    for (let j = 0; j < V[a].length; j++) before += V[a][j] * V[a][j];
    for (let pass = 0; pass < 2; pass++) {
      for (let b = 0; b < a; b++) {
        let dot = 0;
        for (let j = 0; j < V[a].length; j++) dot += V[a][j] * V[b][j];
        for (let j = 0; j < V[a].length; j++) V[a][j] -= dot * V[b][j];
      }
    }
    let nrm = 0;
    for (let j = 0; j < V[a].length; j++) nrm += V[a][j] * V[a][j];
    if (nrm > 0 && nrm > 1e-24 * before) {
      nrm = Math.sqrt(nrm);
      for (let j = 0; j < V[a].length; j++) V[a][j] /= nrm;
    } else V[a].fill(0);
  }
}

/** Top-k eigenvectors of AᵀA: subspace iteration on k + 4 vectors, then Rayleigh–Ritz on the block. */
function topAxes(A: Float64Array, n: number, d: number, k: number): Float64Array[] {
  const p = Math.min(d, k + 4);
  // A deterministic, generic start (no RNG needed): v_c[j] = sin((j+1)(c+1)·φ).
  let V: Float64Array[] = Array.from({ length: p }, (_, c) => Float64Array.from({ length: d }, (_, j) => Math.sin((j + 1) * (c + 1) * 0.7548776662466927 + c)));
  orthonormalize(V);
  let prev = new Float64Array(p);
  for (let it = 0; it < 1000; it++) {
    const W = V.map((v) => covTimes(A, n, d, v));
    const ritz = W.map((w, c) => w.reduce((s, x, j) => s + x * V[c][j], 0));
    orthonormalize(W);
    V = W;
    let change = 0;
    for (let c = 0; c < k; c++) change = Math.max(change, Math.abs(ritz[c] - prev[c]) / Math.max(Math.abs(ritz[0]), 1e-300));
    prev = Float64Array.from(ritz);
    if (it > 5 && change < 1e-15) break;
  }
  // Rayleigh–Ritz: eigenvectors of the small p × p matrix VᵀAᵀAV order the block exactly.
  const W = V.map((v) => covTimes(A, n, d, v));
  const H = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) H[a * p + b] = V[a].reduce((s, x, j) => s + x * W[b][j], 0);
  const { vectors } = jacobiEigen(H, p);
  const axes: Float64Array[] = [];
  for (let c = 0; c < Math.min(k, p); c++) {
    const v = new Float64Array(d);
    for (let b = 0; b < p; b++) for (let j = 0; j < d; j++) v[j] += vectors[b * p + c] * V[b][j];
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(v[j]) > Math.abs(big)) big = v[j];
    if (big < 0) for (let j = 0; j < d; j++) v[j] = -v[j];
    axes.push(v);
  }
  while (axes.length < k) axes.push(new Float64Array(d));
  return axes;
}

/** Cyclic Jacobi for a small symmetric matrix; eigenvalues descending, eigenvectors in columns. */
function jacobiEigen(H: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(H);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += a[i * p + j] ** 2;
    if (off < 1e-30 * (a.reduce((s, x) => s + x * x, 0) || 1)) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = a[i * p + j];
        if (Math.abs(aij) < 1e-300) continue;
        const theta = (a[j * p + j] - a[i * p + i]) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let r = 0; r < p; r++) {
          const ari = a[r * p + i],
            arj = a[r * p + j];
          a[r * p + i] = c * ari - s * arj;
          a[r * p + j] = s * ari + c * arj;
        }
        for (let r = 0; r < p; r++) {
          const air = a[i * p + r],
            ajr = a[j * p + r];
          a[i * p + r] = c * air - s * ajr;
          a[j * p + r] = s * air + c * ajr;
        }
        for (let r = 0; r < p; r++) {
          const vri = v[r * p + i],
            vrj = v[r * p + j];
          v[r * p + i] = c * vri - s * vrj;
          v[r * p + j] = s * vri + c * vrj;
        }
      }
    }
  }
  const order = Array.from({ length: p }, (_, i) => i).sort((x, y) => a[y * p + y] - a[x * p + x]);
  const values = Float64Array.from(order, (i) => a[i * p + i]);
  const vectors = new Float64Array(p * p);
  order.forEach((src, dst) => {
    for (let r = 0; r < p; r++) vectors[r * p + dst] = v[r * p + src];
  });
  return { values, vectors };
}

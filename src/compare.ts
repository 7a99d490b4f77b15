// STUB (cli branch only): a small pure-JS stand-in for the real compare, so the
// CLI can be developed before the kernels land. Dense exact route for small n,
// implicit feature-map operator for the covariance route, Lanczos with full
// reorthogonalisation and a Jacobi eigen-solve of the tridiagonal matrix.
import { InputError } from './errors.js';
import type {
  CompareOptions, KernelInfo, KernelOption, KernelType, MatrixLike, Mode, ProgressEvent, SpecResult,
} from './types.js';

interface Dense { data: Float64Array; rows: number; cols: number }

function toDense(m: MatrixLike, name: string): Dense {
  let d: Dense;
  if (Array.isArray(m)) {
    const rows = m.length, cols = rows ? m[0].length : 0;
    const data = new Float64Array(rows * cols);
    m.forEach((r, i) => {
      if (r.length !== cols) throw new InputError(`row ${i} has ${r.length} values, expected ${cols}`, name);
      for (let j = 0; j < cols; j++) data[i * cols + j] = r[j];
    });
    d = { data, rows, cols };
  } else {
    d = { data: Float64Array.from(m.data), rows: m.rows, cols: m.cols };
  }
  if (d.rows < 2) throw new InputError(`needs at least 2 rows, got ${d.rows}`, name);
  for (let i = 0; i < d.data.length; i++) {
    if (!Number.isFinite(d.data[i])) throw new InputError(`non-finite value at row ${Math.floor(i / d.cols)}`, name);
  }
  return d;
}

function rng(seed: number) {
  let s = (seed >>> 0) + 0x9e3779b9;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return { u, normal };
}

function resolveKernel(k: KernelOption | undefined): { type: KernelType; sigma?: number | 'auto'; rffDim?: number } {
  if (!k) return { type: 'cosine' };
  if (typeof k === 'string') return { type: k };
  return { ...k };
}

function autoSigma(x: Dense, seed: number): number {
  const r = rng(seed + 17);
  const idx = Array.from({ length: x.rows }, (_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) { const j = Math.floor(r.u() * (i + 1)); [idx[i], idx[j]] = [idx[j], idx[i]]; }
  const s = idx.slice(0, Math.min(1000, x.rows));
  const d: number[] = [];
  for (let a = 0; a < s.length; a++) for (let b = a + 1; b < s.length; b++) {
    let acc = 0;
    const oa = s[a] * x.cols, ob = s[b] * x.cols;
    for (let j = 0; j < x.cols; j++) { const t = x.data[oa + j] - x.data[ob + j]; acc += t * t; }
    d.push(Math.sqrt(acc));
  }
  d.sort((p, q) => p - q);
  const med = d[Math.floor(d.length / 2)];
  return med > 0 ? med : 1;
}

function normalizeRows(x: Dense, name: string): Dense {
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < x.rows; i++) {
    let n2 = 0;
    for (let j = 0; j < x.cols; j++) n2 += x.data[i * x.cols + j] ** 2;
    if (n2 === 0) throw new InputError(`row ${i} is zero, which the cosine kernel cannot normalise`, name);
    const inv = 1 / Math.sqrt(n2);
    for (let j = 0; j < x.cols; j++) out[i * x.cols + j] = x.data[i * x.cols + j] * inv;
  }
  return { data: out, rows: x.rows, cols: x.cols };
}

function rff(x: Dense, sigma: number, m: number, seed: number): Dense {
  const r = rng(seed);
  const w = new Float64Array(m * x.cols);
  for (let i = 0; i < w.length; i++) w[i] = r.normal() / sigma;
  const D = 2 * m, out = new Float64Array(x.rows * D), sc = 1 / Math.sqrt(m);
  for (let i = 0; i < x.rows; i++) {
    const xo = i * x.cols;
    for (let k = 0; k < m; k++) {
      let t = 0;
      const wo = k * x.cols;
      for (let j = 0; j < x.cols; j++) t += w[wo + j] * x.data[xo + j];
      out[i * D + k] = sc * Math.cos(t);
      out[i * D + m + k] = sc * Math.sin(t);
    }
  }
  return { data: out, rows: x.rows, cols: D };
}

function gram(x: Dense, type: KernelType, sigma: number): Float64Array {
  const n = x.rows, d = x.cols, K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    let v = 0;
    if (type === 'gaussian') {
      for (let k = 0; k < d; k++) { const t = x.data[i * d + k] - x.data[j * d + k]; v += t * t; }
      v = Math.exp(-v / (2 * sigma * sigma));
    } else {
      for (let k = 0; k < d; k++) v += x.data[i * d + k] * x.data[j * d + k];
    }
    K[i * n + j] = K[j * n + i] = v / n;
  }
  return K;
}

function jacobiEigen(A: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A), v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += a[p * k + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) {
      const apq = a[p * k + q];
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let r = 0; r < k; r++) {
        const arp = a[r * k + p], arq = a[r * k + q];
        a[r * k + p] = c * arp - s * arq; a[r * k + q] = s * arp + c * arq;
      }
      for (let r = 0; r < k; r++) {
        const apr = a[p * k + r], aqr = a[q * k + r];
        a[p * k + r] = c * apr - s * aqr; a[q * k + r] = s * apr + c * aqr;
      }
      for (let r = 0; r < k; r++) {
        const vrp = v[r * k + p], vrq = v[r * k + q];
        v[r * k + p] = c * vrp - s * vrq; v[r * k + q] = s * vrp + c * vrq;
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = a[i * k + i];
  return { values, vectors: v };
}

export async function compare(X: MatrixLike, Y: MatrixLike, options: CompareOptions = {}): Promise<SpecResult> {
  const t0 = performance.now();
  const progress = (e: ProgressEvent) => options.onProgress?.(e);
  const x = toDense(X, 'X'), y = toDense(Y, 'Y');
  if (x.rows !== y.rows) throw new InputError(`X has ${x.rows} rows but Y has ${y.rows} rows`);
  const n = x.rows;
  const eta = options.eta ?? 1;
  if (!(eta >= 0)) throw new InputError(`eta must be ≥ 0, got ${eta}`);
  const topK = options.topK ?? 10, spm = options.samplesPerMode ?? 20, seed = options.seed ?? 0;
  const kx = resolveKernel(options.kernelX ?? options.kernel), ky = resolveKernel(options.kernelY ?? options.kernel);
  let method: 'exact' | 'covariance';
  let methodReason: string;
  if (options.method === 'exact' || options.method === 'covariance') {
    method = options.method; methodReason = `requested with --method ${method}`;
  } else if (n <= 2000) {
    method = 'exact'; methodReason = `n = ${n} ≤ 2000: exact kernel matrices are cheap`;
  } else {
    method = 'covariance'; methodReason = `n = ${n} > 2000: covariance route is linear in n`;
  }

  const prep = (d: Dense, k: ReturnType<typeof resolveKernel>, name: string, s: number) => {
    const info: KernelInfo = { type: k.type };
    let feat: Dense = d;
    if (k.type === 'cosine') feat = normalizeRows(d, name);
    if (k.type === 'gaussian') {
      const sigma = k.sigma === undefined || k.sigma === 'auto' ? autoSigma(d, s) : k.sigma;
      if (!(sigma > 0)) throw new InputError(`sigma must be > 0, got ${sigma}`, name);
      info.sigma = sigma;
      if (method === 'covariance') {
        const m = k.rffDim ?? 1000;
        info.rffDim = m;
        feat = rff(d, sigma, m, s);
      }
    }
    return { info, feat };
  };
  progress({ stage: 'features', done: 0, total: 2 });
  const px = prep(x, kx, 'X', seed), py = prep(y, ky, 'Y', seed + 1);
  progress({ stage: 'features', done: 2, total: 2 });
  const t1 = performance.now();

  let apply: (u: Float64Array, out: Float64Array) => void;
  if (method === 'exact') {
    progress({ stage: 'gram', done: 0, total: 1 });
    const KX = gram(px.feat, kx.type, px.info.sigma ?? 1), KY = gram(py.feat, ky.type, py.info.sigma ?? 1);
    for (let i = 0; i < KX.length; i++) KX[i] -= eta * KY[i];
    progress({ stage: 'gram', done: 1, total: 1 });
    apply = (u, out) => {
      for (let i = 0; i < n; i++) { let s = 0; const o = i * n; for (let j = 0; j < n; j++) s += KX[o + j] * u[j]; out[i] = s; }
    };
  } else {
    const fx = px.feat, fy = py.feat;
    const tx = new Float64Array(fx.cols), ty = new Float64Array(fy.cols);
    const mul = (f: Dense, t: Float64Array, u: Float64Array, out: Float64Array, w: number) => {
      t.fill(0);
      for (let i = 0; i < n; i++) { const ui = u[i], o = i * f.cols; for (let j = 0; j < f.cols; j++) t[j] += f.data[o + j] * ui; }
      for (let i = 0; i < n; i++) { let s = 0; const o = i * f.cols; for (let j = 0; j < f.cols; j++) s += f.data[o + j] * t[j]; out[i] += w * s / n; }
    };
    apply = (u, out) => { out.fill(0); mul(fx, tx, u, out, 1); mul(fy, ty, u, out, -eta); };
  }

  // Lanczos with full reorthogonalisation.
  const steps = Math.min(n, Math.max(4 * topK + 40, 80));
  const r = rng(seed + 99);
  const Q: Float64Array[] = [];
  const alpha: number[] = [], beta: number[] = [];
  let q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = r.normal();
  let nq = Math.hypot(...q); for (let i = 0; i < n; i++) q[i] /= nq;
  const w = new Float64Array(n);
  for (let k = 0; k < steps; k++) {
    Q.push(q);
    apply(q, w);
    for (let pass = 0; pass < 2; pass++) {
      for (const qq of Q) { let d = 0; for (let i = 0; i < n; i++) d += qq[i] * w[i]; for (let i = 0; i < n; i++) w[i] -= d * qq[i]; if (pass === 0 && qq === q) alpha.push(d); else if (qq === q) alpha[k] += d; }
    }
    let b = 0; for (let i = 0; i < n; i++) b += w[i] * w[i]; b = Math.sqrt(b);
    progress({ stage: 'solve', done: k + 1, total: steps });
    if (k === steps - 1 || b < 1e-12) break;
    beta.push(b);
    q = new Float64Array(n); for (let i = 0; i < n; i++) q[i] = w[i] / b;
    if (options.signal?.aborted) throw new Error('aborted');
    if (k % 8 === 7) await new Promise((res) => setTimeout(res, 0));
  }
  const m = Q.length;
  const T = new Float64Array(m * m);
  for (let i = 0; i < m; i++) { T[i * m + i] = alpha[i]; if (i + 1 < m) T[i * m + i + 1] = T[(i + 1) * m + i] = beta[i]; }
  const { values, vectors } = jacobiEigen(T, m);
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  const t2 = performance.now();
  const scale = Math.max(...order.map((i) => Math.abs(values[i])), 1e-300);
  const pos = order.filter((i) => values[i] > 1e-9 * scale).slice(0, topK);
  const neg = order.slice().reverse().filter((i) => values[i] < -1e-9 * scale).slice(0, topK);
  const modes: Mode[] = [];
  const mk = (idx: number, side: 'x' | 'y', rank: number) => {
    const u = new Float64Array(n);
    for (let k = 0; k < m; k++) { const c = vectors[k * m + idx]; const qk = Q[k]; for (let i = 0; i < n; i++) u[i] += c * qk[i]; }
    let s = 0, nn = 0; for (let i = 0; i < n; i++) { s += u[i]; nn += u[i] * u[i]; }
    const sg = (s >= 0 ? 1 : -1) / Math.sqrt(nn);
    for (let i = 0; i < n; i++) u[i] *= sg;
    const top = Array.from({ length: n }, (_, i) => i).sort((a, b) => u[b] - u[a] || a - b).slice(0, Math.min(spm, n))
      .map((i) => ({ index: i, score: u[i] }));
    const mode: Mode = { rank, side, eigenvalue: values[idx], top };
    if (options.returnScores) mode.scores = u;
    modes.push(mode);
  };
  pos.forEach((i, k) => mk(i, 'x', k + 1));
  neg.forEach((i, k) => mk(i, 'y', k + 1));
  progress({ stage: 'scores', done: 1, total: 1 });
  const t3 = performance.now();
  const lmax = values[order[0]], lmin = values[order[m - 1]];
  const xNotY = Math.max(lmax, 0), yNotX = Math.max(-lmin, 0);
  return {
    n, method, methodReason, eta, kernelX: px.info, kernelY: py.info,
    eigenvalues: Float64Array.from(modes.map((md) => md.eigenvalue)),
    modes, specDiff: { xNotY, yNotX, norm: Math.max(xNotY, yNotX) }, jitter: 0,
    timings: { features: (t1 - t0) / 1000, solve: (t2 - t1) / 1000, scores: (t3 - t2) / 1000 },
  };
}

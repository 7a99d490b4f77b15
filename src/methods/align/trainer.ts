// Training the map: Adam on mini-batches (each solved exactly: batch × batch
// kernels and their top eigenpair), the held-out loss after every epoch, and
// early stopping on it.
import { f32, f64, type WasmArray, type WasmView } from '../../wasm/memory.js';
import { sgemm } from '../../wasm/gemm.js';
import { gemmTNAccumulate } from '../../wasm/syrk.js';
import type { Matrix, ProgressEvent } from '../../types/index.js';
import { checkFiniteLoss, overflowError, throwIfAborted } from '../../validate/checks.js';
import type { AlignSettings } from '../../validate/align-options.js';
import type { Kernel } from '../../features/kernel.js';
import type { AlignObjective } from '../../types/align.js';
import { Cooperative, drive, type Step } from '../../runtime/cooperative.js';
import { gather, transposeInto } from './map.js';
import { kernelX, lambdaAndGradSteps } from './loss.js';

type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;

/** Default mini-batch size: 2000 × 2000 f64 kernels are 32 MB each and one exact step stays well under a second. */
export const DEFAULT_BATCH = 2000;
/** The per-epoch held-out loss is evaluated on a seeded subset of at most this many held-out samples. */
export const HOLDOUT_LOSS_MAX = 2500;

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function check(signal?: AbortSignal): void {
  throwIfAborted(signal);
}

/** Fisher–Yates with the seeded generator `next` (identical in every runtime). */
export function shuffle(a: Int32Array, next: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/**
 * The training state: parameters, Adam moments and the wasm work buffers of
 * one batch size. Internal (exported for tests and the benchmark).
 */
export class AlignTrainer {
  readonly dx: number;
  readonly dy: number;
  /** Parameters: W (dim × dy) then bias (dim), f64 master copy. */
  readonly theta: Float64Array;
  readonly W0: Float64Array;
  // Adam's moments and the gradient are dim × dy each: made on first use, so a
  // trainer that only evaluates (the held-out loss) never holds them.
  private m: Float64Array | null = null;
  private v: Float64Array | null = null;
  private grad: Float64Array | null = null;
  private t = 0;
  private bufs: { b: number; KX: F64; M: F64; Xb: F32; Yb: F32; Z: F32; Wt: F32; G?: F32; GW?: F64 } | null = null;
  /** Batch rows whose KX is cached (when one batch covers the whole set). */
  private cachedKX: Int32Array | null = null;

  /**
   * `theta`: evaluate another trainer's parameters in place; `objective`: what each
   * batch's loss is (λmax, or max(λmax, −λmin) for 'norm').
   */
  constructor(
    readonly X: Matrix,
    readonly Y: Matrix,
    readonly k: Kernel,
    readonly dim: number,
    readonly useBias: boolean,
    readonly beta: number,
    W0: Float64Array,
    readonly seed: number,
    theta?: Float64Array,
    readonly objective: AlignObjective = 'x-not-y',
  ) {
    this.dx = X.cols;
    this.dy = Y.cols;
    this.W0 = W0;
    const P = dim * this.dy + (useBias ? dim : 0);
    // `theta`: evaluate another trainer's parameters in place instead of a copy of them.
    if (theta && theta.length !== P) throw new RangeError(`spec-embed: AlignTrainer: theta has ${theta.length} values, not ${P}`);
    this.theta = theta ?? new Float64Array(P);
    if (!theta) this.theta.set(W0);
  }

  /** Work buffers for batches of up to b samples (smaller batches use their front); the gradient's only with `grad`. */
  private ensure(b: number, grad = false) {
    if (this.bufs && this.bufs.b >= b && (!grad || this.bufs.GW)) return this.bufs;
    b = Math.max(b, this.bufs?.b ?? 0);
    this.release();
    const { dim, dx, dy } = this;
    const made: WasmArray<WasmView>[] = [];
    const mk = <T extends WasmArray<WasmView>>(a: T): T => {
      made.push(a);
      return a;
    };
    try {
      this.bufs = {
        b,
        KX: mk(f64(b * b, `kernel matrix (${b} × ${b})`)),
        M: mk(f64(b * b, `kernel matrix (${b} × ${b})`)),
        Xb: mk(f32(b * dx, 'X batch')),
        Yb: mk(f32(b * dy, 'Y batch')),
        Z: mk(f32(b * dim, 'ψ(Y) batch')),
        Wt: mk(f32(dy * dim, 'Wᵀ')),
        ...(grad ? { G: mk(f32(b * dim, '∂λ/∂Z')), GW: mk(f64(dim * dy, '∂λ/∂W')) } : {}),
      };
    } catch (e) {
      for (const a of made) a.free();
      this.bufs = null;
      throw e;
    }
    return this.bufs;
  }

  release(): void {
    if (!this.bufs) return;
    const { KX, M, Xb, Yb, Z, Wt, G, GW } = this.bufs;
    for (const a of [KX, M, Xb, Yb, Z, Wt, G, GW]) a?.free();
    this.bufs = null;
    this.cachedKX = null;
  }

  /** ‖W − W0‖²_F. */
  penalty(): number {
    const { theta, W0 } = this;
    let s = 0;
    for (let i = 0; i < W0.length; i++) {
      const d = theta[i] - W0[i];
      s += d * d;
    }
    return s;
  }

  /** Z = Y_b Wᵀ (+ b) for the rows idx[start..start+b) (Yb gathered). */
  private mapBatch(idx: Int32Array, start: number, b: number): void {
    const B = this.ensure(b);
    const { dim, dy, theta } = this;
    gather(this.Y, idx, start, b, B.Yb);
    transposeInto(theta, dim, dy, B.Wt);
    sgemm(b, dim, dy, B.Yb, dy, B.Wt, dim, B.Z, dim, 0);
    if (this.useBias) {
      const z = B.Z.view,
        off = dim * dy;
      for (let i = 0; i < b; i++) for (let j = 0; j < dim; j++) z[i * dim + j] += theta[off + j];
    }
  }

  private *kx(idx: Int32Array, start: number, b: number): Generator<Step, void> {
    const B = this.ensure(b);
    const key = idx.subarray(start, start + b);
    if (this.cachedKX && this.cachedKX.length === b && this.cachedKX.every((v, i) => v === key[i])) return;
    this.cachedKX = null; // an aborted pass leaves KX half-written
    yield* kernelX(this.X, idx, start, b, this.k, B.KX);
    this.cachedKX = Int32Array.from(key);
  }

  /**
   * L = λmax + β‖W − W0‖² (objective 'norm': max(λmax, −λmin) + β‖W − W0‖²) on the
   * rows idx[start..start+b) and, when asked, ∂L/∂θ (W then bias). `lambda` is the
   * objective's value without the penalty. Yields to the event loop between the heavy phases.
   */
  async lossAndGrad(
    idx: Int32Array,
    start: number,
    b: number,
    wantGrad: boolean,
    signal?: AbortSignal,
  ): Promise<{ loss: number; lambda: number; grad?: Float64Array }> {
    this.ensure(b, wantGrad);
    // The batch kernels and the eigensolve take ~0.1 s each at b = 4000: in steps of ≤ ~STEP_MS.
    const coop = new Cooperative(signal);
    await drive(this.kx(idx, start, b), coop, 'align');
    await tick();
    check(signal);
    this.mapBatch(idx, start, b);
    const B = this.bufs!;
    const r = await drive(
      lambdaAndGradSteps(
        B.KX,
        B.M,
        B.Z,
        b,
        this.dim,
        this.seed,
        wantGrad,
        (i) => `row ${idx[start + i] + 1} (1-based) of Y·Wᵀ${this.useBias ? ' + b' : ''}`,
        this.objective,
      ),
      coop,
      'align',
    );
    const loss = r.value + this.beta * this.penalty();
    checkFiniteLoss(loss, 'the align loss');
    if (!wantGrad) return { loss, lambda: r.value };
    await tick();
    check(signal);
    const { dim, dy, theta, W0, beta } = this;
    // ∂λ/∂W = (∂λ/∂Z)ᵀ Y_b (gemmTN, f64 out); ∂λ/∂b = Σᵢ ∂λ/∂Zᵢ.
    const G = B.G!,
      GW = B.GW!;
    G.view.set(r.gradZ!);
    GW.view.fill(0);
    gemmTNAccumulate(G, dim, B.Yb, dy, GW, b);
    const grad = (this.grad ??= new Float64Array(theta.length));
    if (this.useBias) grad.fill(0, dim * dy);
    const gw = GW.view;
    for (let i = 0; i < dim * dy; i++) grad[i] = gw[i] + 2 * beta * (theta[i] - W0[i]);
    if (this.useBias) {
      const gz = r.gradZ!,
        off = dim * dy;
      for (let i = 0; i < b; i++) for (let j = 0; j < dim; j++) grad[off + j] += gz[i * dim + j];
    }
    return { loss, lambda: r.value, grad };
  }

  /** One Adam step with learning rate lr. */
  adam(grad: Float64Array, lr: number): void {
    const b1 = 0.9,
      b2 = 0.999,
      eps = 1e-8;
    this.t++;
    const c1 = 1 / (1 - b1 ** this.t),
      c2 = 1 / (1 - b2 ** this.t);
    const { theta } = this;
    const m = (this.m ??= new Float64Array(theta.length)),
      v = (this.v ??= new Float64Array(theta.length));
    for (let i = 0; i < theta.length; i++) {
      const g = grad[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      theta[i] -= (lr * m[i] * c1) / (Math.sqrt(v[i] * c2) + eps);
    }
  }

  /**
   * One epoch over `train` (shuffled in place with `next`) in balanced batches
   * of at most `batch`. `lrAt(step)` gives the learning rate of each global step.
   */
  async epoch(
    train: Int32Array,
    batch: number,
    next: () => number,
    lrAt: (t: number) => number,
    onBatch?: (done: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<number> {
    if (train.length > batch) shuffle(train, next);
    const starts = batchStarts(train.length, batch);
    let sum = 0;
    for (let j = 0; j < starts.length; j++) {
      const s = starts[j],
        e = j + 1 < starts.length ? starts[j + 1] : train.length;
      const r = await this.lossAndGrad(train, s, e - s, true, signal);
      this.adam(r.grad!, lrAt(this.t));
      sum += r.loss;
      onBatch?.(j + 1, starts.length);
      await tick();
      check(signal);
    }
    return sum / starts.length;
  }
}

/** Batch start offsets: ⌈n / batch⌉ batches of balanced sizes (each ≤ batch, sizes differ by ≤ 1). */
export function batchStarts(n: number, batch: number): number[] {
  const count = Math.max(1, Math.ceil(n / batch));
  return Array.from({ length: count }, (_, i) => Math.floor((i * n) / count));
}

/** What a training run gives back: the best map (by held-out loss) and the loss curves. */
export interface Fit {
  best: { epoch: number; loss: number; theta: Float64Array };
  loss: { train: number[]; holdout: number[] };
  epochsRun: number;
}

/**
 * Trains from W0 on the rows `train` with Adam on batches of `batch`
 * (cosine-decayed lr), evaluating the held-out loss on `holdEval` after every
 * epoch and stopping after `patience` epochs without a better one. `next`
 * continues the generator that drew the split; `lap` books time by stage.
 */
export async function fit(
  mx: Matrix,
  my: Matrix,
  k: Kernel,
  st: AlignSettings,
  W0: Float64Array,
  train: Int32Array,
  holdEval: Int32Array,
  batch: number,
  next: () => number,
  lap: (key: string) => void,
  onProgress?: (e: ProgressEvent) => void,
  signal?: AbortSignal,
): Promise<Fit> {
  const nTrain = train.length;
  const trainer = new AlignTrainer(mx, my, k, st.dim, st.bias, st.beta, W0, st.seed, undefined, st.objective);
  const evalTrainer = new AlignTrainer(mx, my, k, st.dim, st.bias, st.beta, W0, st.seed, trainer.theta, st.objective);
  const loss = { train: [] as number[], holdout: [] as number[] };
  // One buffer for the best map, overwritten in place (a dim × dy copy per better epoch was garbage).
  const best = { epoch: 0, loss: Infinity, theta: trainer.theta.slice() };
  let epochsRun = 0;
  try {
    const evalHold = async () => {
      const r = await evalTrainer.lossAndGrad(holdEval, 0, holdEval.length, false, signal);
      return r.loss;
    };
    const h0 = await evalHold();
    loss.holdout.push(h0);
    best.loss = h0;
    lap('holdout');
    onProgress?.({ stage: 'align', done: 0, total: st.epochs });
    const steps = st.epochs * batchStarts(nTrain, batch).length;
    const lrAt = (s: number) => st.lr * 0.5 * (1 + Math.cos((Math.PI * Math.min(s, steps)) / steps));
    let since = 0;
    for (let e = 1; e <= st.epochs; e++) {
      const tr = await trainer.epoch(
        train,
        batch,
        next,
        lrAt,
        (d, tot) => {
          if (tot > 1 && d < tot) onProgress?.({ stage: 'align', done: e - 1 + d / tot, total: st.epochs });
        },
        signal,
      );
      lap('train');
      loss.train.push(tr);
      const h = await evalHold();
      lap('holdout');
      loss.holdout.push(h);
      epochsRun = e;
      onProgress?.({ stage: 'align', done: e, total: st.epochs });
      if (h < best.loss) {
        best.epoch = e;
        best.loss = h;
        best.theta.set(trainer.theta);
        since = 0;
      } else if (++since >= st.patience) break;
    }
  } catch (e) {
    throw overflowError(e);
  } finally {
    trainer.release();
    evalTrainer.release();
  }
  return { best, loss, epochsRun };
}

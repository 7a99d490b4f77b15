// SPEC-align (docs/design.md §1): learn ψ(y) = W·y (+ b) so that the cosine kernel of
// ψ(Y) groups the samples as X's kernel does, by minimising
//   L(W) = λmax(KX − K_ψ(Y)) + β‖W − W0‖²_F      (objective 'x-not-y', the paper's)
//   L(W) = max(λmax, −λmin) + β‖W − W0‖²_F        (objective 'norm')
// with Adam on mini-batches (trainer.ts; the loss and its gradient: loss.ts; the
// map and W0: map.ts), then compare() on a held-out split before and after, and
// what changed in both directions (changes.ts).
import { seededRandom } from '../../runtime/prng.js';
import { init } from '../../wasm/loader.js';
import type { KernelOption, MatrixLike, Mode } from '../../types/index.js';
import type { AlignOptions, AlignResult, ModeRef } from '../../types/align.js';
import { toMatrix, checkSameRows, checkNonZeroRows, throwIfAborted } from '../../validate/checks.js';
import { alignSettings, checkAlignOptions, checkAlignSize, holdoutSplit } from '../../validate/align-options.js';
import { matrixSource } from '../../validate/source.js';
import { resolveKernel, sigmaAutoSteps, kernelInfo } from '../../features/kernel.js';
import { Cooperative, drive } from '../../runtime/cooperative.js';
import { checkOutputBudget } from '../../score/modes.js';
import { compare } from '../compare.js';
import { applyMap, initialMap, subset } from './map.js';
import { DEFAULT_BATCH, fit, HOLDOUT_LOSS_MAX, shuffle } from './trainer.js';
import { changeWarnings, specDiffChanges } from './changes.js';

export type { AlignObjective, AlignOptions, AlignResult, ModeRef, SpecDiffChange, SpecDiffChanges } from '../../types/align.js';
export { applyMap } from './map.js';
export { specDiffLoss } from './loss.js';
export { changeWarnings, RISE_LIMIT, specDiffChange, specDiffChanges } from './changes.js';

/** Σ (a·b)² over the modes of `among` at least half as strong as `m` (|λ|): the share of m's unit vector in their span. */
function capturedBy(m: Mode, among: Mode[]): number {
  let captured = 0;
  for (const o of among) {
    if (!(Math.abs(o.eigenvalue) >= Math.abs(m.eigenvalue) / 2)) continue;
    const a = o.scores!,
      b = m.scores!;
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    captured += s * s;
  }
  return captured;
}

/** Modes of `after` with no counterpart in `before` (see AlignResult.createdModes). */
function created(before: Mode[], after: Mode[]): ModeRef[] {
  // As removed(), the other way round and on both sides: a mode counts when it is ≥ 10% of
  // the strongest |λ| of its side before or after (weaker ones sit near the noise), and is
  // new when less than half of its vector lies in the span of the same side's modes before
  // at least half as strong.
  const out: ModeRef[] = [];
  for (const side of ['x', 'y'] as const) {
    const bs = before.filter((m) => m.side === side),
      as = after.filter((m) => m.side === side);
    const strongest = Math.max(0, ...[...bs, ...as].map((m) => Math.abs(m.eigenvalue)));
    for (const ma of as) {
      if (Math.abs(ma.eigenvalue) < 0.1 * strongest) continue;
      if (capturedBy(ma, bs) < 0.5) out.push({ side, rank: ma.rank });
    }
  }
  return out;
}

/** Side-x modes of `before` that the alignment removed (see AlignResult.removedModes). */
function removed(before: Mode[], after: Mode[]): number[] {
  // A side-x mode counts when it is a real cluster mismatch (≥ 10% of the strongest one;
  // weaker ones sit near the noise and reshuffle under any change). It is kept when at
  // least half of its vector lies in the span of after-modes at least half as strong
  // (a mode may split in two), and removed otherwise.
  const out: number[] = [];
  const bx = before.filter((m) => m.side === 'x');
  const ax = after.filter((m) => m.side === 'x');
  const strongest = bx.length ? bx[0].eigenvalue : 0;
  for (const mb of bx) {
    if (mb.eigenvalue < 0.1 * strongest) continue;
    if (capturedBy(mb, ax) < 0.5) out.push(mb.rank);
  }
  return out;
}

/** Modes with top indices mapped from held-out positions to indices into X/Y, scores dropped. */
function globalModes(modes: Mode[], hold: Int32Array): Mode[] {
  return modes.map((m) => ({ rank: m.rank, side: m.side, eigenvalue: m.eigenvalue, top: m.top.map((t) => ({ index: hold[t.index], score: t.score })) }));
}

/**
 * Learns ψ(y) = W·y (+ b) so that the cosine kernel of ψ(Y) groups the samples
 * as X's kernel does (SPEC-align), and reports SPEC-diff and the modes on a
 * held-out split before and after.
 */
export async function align(X: MatrixLike, Y: MatrixLike, options: AlignOptions = {}): Promise<AlignResult> {
  return alignNamed(X, Y, options, { x: 'X', y: 'Y' });
}

/** `align` with the names messages give X and Y (the CLI passes its files' names). */
export async function alignNamed(X: MatrixLike, Y: MatrixLike, options: AlignOptions, names: { x: string; y: string }): Promise<AlignResult> {
  await init();
  const T0 = performance.now();
  const timings: Record<string, number> = {};
  let t = T0;
  const lap = (key: string) => {
    const now = performance.now();
    timings[key] = (timings[key] ?? 0) + (now - t) / 1000;
    t = now;
  };
  checkAlignOptions(options);
  const mx = toMatrix(X, names.x),
    my = toMatrix(Y, names.y);
  checkSameRows({ rows: mx.rows, name: names.x }, { rows: my.rows, name: names.y });
  const st = alignSettings(options, mx.cols, my.cols);
  checkAlignSize(mx.cols, my.cols, st.dim, st.bias);
  const { signal, onProgress } = options;
  // σ = 'auto' (~0.2 s for a 1000-row sample at d = 384) in steps, as stage 'sigma'.
  const k0 = resolveKernel(options.kernel, 'X', () => NaN, 'kernel');
  const k = Number.isNaN(k0.sigma)
    ? { ...k0, sigma: await drive(sigmaAutoSteps([matrixSource(mx, names.x)], st.seed, names.x), new Cooperative(signal, onProgress), 'sigma') }
    : k0;
  if (k.type === 'cosine') checkNonZeroRows(mx, names.x);
  checkNonZeroRows(my, names.y);
  const n = mx.rows;
  const { nTrain, nHoldout } = holdoutSplit(st.holdout, n);
  const batch = Math.min(st.batch ?? DEFAULT_BATCH, nTrain);
  // The before/after comparisons run after training: refuse their output up front.
  checkOutputBudget(st.topK, st.samplesPerMode, nHoldout, [nHoldout, nHoldout]);
  throwIfAborted(signal);

  // Seeded split; train/hold indices ascending.
  const next = seededRandom(st.seed);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  shuffle(perm, next);
  const hold = perm.slice(0, nHoldout).sort();
  const train = perm.slice(nHoldout).sort();
  // The held-out loss set: all of the held-out split up to HOLDOUT_LOSS_MAX samples.
  const holdEval =
    hold.length <= HOLDOUT_LOSS_MAX
      ? hold
      : (() => {
          const h = hold.slice();
          shuffle(h, seededRandom(st.seed + 1));
          return h.slice(0, HOLDOUT_LOSS_MAX).sort();
        })();

  const W0 = initialMap(subset(mx, train), subset(my, train), st.dim);
  lap('init');
  const { best, loss, epochsRun } = await fit(mx, my, k, st, W0, train, holdEval, batch, next, lap, onProgress, signal);

  const W = Float32Array.from(best.theta.subarray(0, st.dim * my.cols));
  const bias = st.bias ? Float32Array.from(best.theta.subarray(st.dim * my.cols)) : undefined;
  // Before/after on the held-out split, by compare().
  throwIfAborted(signal);
  const Xh = subset(mx, hold),
    Yh = subset(my, hold);
  const kernelOpt: KernelOption = k.type === 'gaussian' ? { type: 'gaussian', sigma: k.sigma } : k.type;
  const copts = { kernelX: kernelOpt, kernelY: 'cosine' as const, topK: st.topK, samplesPerMode: st.samplesPerMode, seed: st.seed, returnScores: true, signal };
  const before = await compare(Xh, Yh, copts);
  const after = await compare(Xh, applyMap(W, Yh, { dim: st.dim, bias }), copts);
  lap('compare');
  timings.total = (performance.now() - T0) / 1000;
  const change = specDiffChanges(before.specDiff, after.specDiff);
  return {
    task: 'align',
    n,
    nTrain,
    nHoldout,
    dim: st.dim,
    dy: my.cols,
    W,
    ...(bias ? { bias } : {}),
    kernelX: kernelInfo(k, 'exact'),
    objective: st.objective,
    epochs: epochsRun,
    bestEpoch: best.epoch,
    loss,
    specDiffBefore: before.specDiff,
    specDiffAfter: after.specDiff,
    modesBefore: globalModes(before.modes, hold),
    modesAfter: globalModes(after.modes, hold),
    removedModes: removed(before.modes, after.modes),
    timings,
    specDiffChange: change,
    warnings: changeWarnings(change),
    createdModes: created(before.modes, after.modes),
  };
}

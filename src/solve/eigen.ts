// extremeEigs (internal): the k largest and k smallest eigenpairs of a
// symmetric operator, dense (the exact route's Λ) or Θ = R S Rᵀ from a pivoted
// Cholesky factor (the covariance route). This file checks the operator and
// options, binds the operator in wasm and picks the route: syev of the whole
// operator where it is small or the cost model expects it cheaper (dense.ts),
// thick-restart Lanczos with locking otherwise (lanczos.ts).
import { lzBind, lzBindExternal, lzBindGram, OP_KIND } from '../wasm/lanczos.js';
import type { Step } from '../runtime/cooperative.js';
import { drain } from '../runtime/cooperative.js';
import { assemble, NO_PAIRS, type EigOperator, type ExtremeEigOptions, type ExtremeEigResult, type Shape } from './eig-result.js';
import { denseFallback, denseIsCheaper, rsrDense } from './dense.js';
import { lanczosSteps, type Settings } from './lanczos.js';

export type { EigOperator, ExtremeEigOptions, ExtremeEigResult } from './eig-result.js';

/**
 * The k largest (descending) and the k smallest (ascending) eigenpairs of a
 * symmetric operator, by thick-restart Lanczos (Wu–Simon) with full
 * reorthogonalisation, keeping the Ritz vectors at both ends of the spectrum
 * at every restart. On breakdown (invariant subspace) a fresh seeded vector is
 * orthogonalised against the basis; if nothing is left (the dimension is
 * exhausted) the decomposition is exact and the missing slots are padded
 * (value 0, zero vector, residual 0). Dimension ≤ 2k+40 with 'dense': direct
 * syev instead.
 */
export function extremeEigs(op: EigOperator, k: number, opts: ExtremeEigOptions = {}): ExtremeEigResult {
  return drain(extremeEigsSteps(op, k, opts));
}

/**
 * extremeEigs as a resumable computation: it yields between slices of Lanczos
 * steps (each ~20 ms, lanczos.ts) with progress in restarts, so a caller can yield to the
 * event loop, report progress, or stop it (`return()` frees its buffers).
 * Identical results to extremeEigs: the slicing does not change the arithmetic.
 */
export function* extremeEigsSteps(op: EigOperator, k: number, opts: ExtremeEigOptions = {}): Generator<Step, ExtremeEigResult> {
  const shape = operatorShape(op);
  const set = settings(op, k, opts);
  if (shape.n === 0) return assemble(k, shape.wide, NO_PAIRS, NO_PAIRS, { matvecs: 0, converged: true, restarts: 0 });
  const bind = binder(op, shape);
  bind();
  const model = opts.solver === 'dense' || (opts.solver !== 'lanczos' && denseIsCheaper(shape.n, k));
  if (op.kind === 'dense' && (shape.n <= Math.max(2 * k + 40, opts.denseUpTo ?? 0) || model)) return denseFallback(op.A, shape.n, k, set.signSplit);
  if (op.kind === 'rsr' && model) return rsrDense(op, shape, k, set.signSplit);
  return yield* lanczosSteps(op, shape, set, k, bind);
}

function operatorShape(op: EigOperator): Shape {
  if (OP_KIND[op.kind] === undefined) throw new RangeError(`spec-embed: extremeEigs: unknown operator kind ${(op as { kind: unknown }).kind}`);
  const n = op.kind === 'rsr' ? op.r : op.n;
  const wide = op.kind === 'rsr' ? op.D : n;
  if (op.kind === 'external') {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`spec-embed: extremeEigs: invalid operator dimension ${n}`);
    return { n, wide, a: null };
  }
  const a = op.kind === 'dense' ? op.A : op.kind === 'rsr' ? op.R : op.scratch;
  if (op.kind === 'gram') return { n, wide, a };
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(wide) || wide < n || a.length < n * wide)
    throw new RangeError(`spec-embed: extremeEigs: operator buffer too small for dimension ${n}`);
  return { n, wide, a };
}

/** Restarts Lanczos allows when ExtremeEigOptions.maxRestarts is not given (the unit of its progress). */
export const DEFAULT_MAX_RESTARTS = 300;

function settings(op: EigOperator, k: number, opts: ExtremeEigOptions): Settings {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`spec-embed: extremeEigs: k must be a positive integer, got ${k}`);
  const tol = opts.tol ?? 1e-10;
  const maxRestarts = opts.maxRestarts ?? DEFAULT_MAX_RESTARTS;
  const seed = opts.seed ?? 1;
  if (!(tol > 0) || !Number.isFinite(tol)) throw new RangeError(`spec-embed: extremeEigs: tol must be a positive number, got ${tol}`);
  if (!Number.isInteger(maxRestarts) || maxRestarts < 0)
    throw new RangeError(`spec-embed: extremeEigs: maxRestarts must be a non-negative integer, got ${maxRestarts}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`spec-embed: extremeEigs: seed must be an integer, got ${seed}`);
  if (op.kind === 'external' && opts.explicitResiduals)
    throw new RangeError('spec-embed: extremeEigs: explicitResiduals needs an operator applied in process, not an external one');
  if (opts.basisSize !== undefined && (!Number.isInteger(opts.basisSize) || opts.basisSize < 1))
    throw new RangeError(`spec-embed: extremeEigs: basisSize must be a positive integer, got ${opts.basisSize}`);
  return { tol, maxRestarts, seed, basisSize: opts.basisSize, signSplit: opts.signSplit ?? op.kind !== 'dense', explicit: opts.explicitResiduals ?? false };
}

/**
 * Binds the operator in wasm (assembly/lanczos.ts keeps it as module state).
 * Called again after every yield, since another computation may have run in between.
 */
function binder(op: EigOperator, shape: Shape): () => void {
  if (op.kind === 'rsr' && (op.signs.length < shape.wide || op.piv.length < shape.wide))
    throw new RangeError('spec-embed: extremeEigs: rsr signs/pivots shorter than D');
  if (op.kind === 'gram') return () => lzBindGram(op.side, op.n, op.blocks, op.scratch);
  // the dimension only: lanczos.ts binds the result buffer before each step
  if (op.kind === 'external') return () => lzBindExternal(op.n, null);
  const signs = op.kind === 'rsr' ? op.signs : null;
  const kind = op.kind;
  return () => lzBind(kind, shape.n, shape.wide, shape.a!, signs);
}

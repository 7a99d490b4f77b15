// SpecJob / FincJob records built directly (no option parsing), the fixtures'
// rows as f32 matrices, and a Cooperative that counts its ticks, for the route suites.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { Cooperative } from '../../../../src/runtime/cooperative.js';
import { matrixSource } from '../../../../src/validate/source.js';
import { resolveKernel } from '../../../../src/features/kernel.js';
import type { SpecJob, FincJob } from '../../../../src/features/job.js';
import type { KernelOption, Matrix, ProgressEvent, Solver } from '../../../../src/types/index.js';
import { InputError } from '../../../../src/errors.js';
import { jacobiEig } from '../../../property/helpers/jacobi.js';

export const fixture = (area: string, name: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/${area}/${name}.json`, import.meta.url), 'utf8'));

/** Rows of a fixture (nested arrays) as the f32 matrix the library sees. */
export function rowsOf(a: number[][]): Matrix & { data: Float32Array } {
  return { data: Float32Array.from(a.flat()), rows: a.length, cols: a[0].length };
}

export function specJob(
  X: Matrix,
  Y: Matrix,
  o: {
    kx?: KernelOption;
    ky?: KernelOption;
    eta?: number;
    topK?: number;
    samplesPerMode?: number;
    seed?: number;
    returnScores?: boolean;
    threads?: number;
    solver?: Solver;
  } = {},
): SpecJob {
  return {
    eta: o.eta ?? 1,
    topK: o.topK ?? 10,
    seed: o.seed ?? 0,
    samplesPerMode: o.samplesPerMode ?? 5,
    returnScores: o.returnScores ?? false,
    method: 'auto',
    solver: o.solver ?? 'auto',
    threads: o.threads ?? 1,
    inMemory: false,
    sx: matrixSource(X, 'X'),
    sy: matrixSource(Y, 'Y'),
    n: X.rows,
    kx: resolveKernel(o.kx ?? 'cosine', 'X'),
    ky: resolveKernel(o.ky ?? 'cosine', 'Y'),
    sigmaEstimated: false,
  };
}

export function fincJob(
  X: Matrix,
  Y: Matrix,
  o: { kernel?: KernelOption; eta?: number; topK?: number; samplesPerMode?: number; seed?: number; returnScores?: boolean; solver?: Solver } = {},
): FincJob {
  return {
    eta: o.eta ?? 1,
    topK: o.topK ?? 10,
    seed: o.seed ?? 0,
    samplesPerMode: o.samplesPerMode ?? 5,
    returnScores: o.returnScores ?? false,
    method: 'covariance',
    solver: o.solver ?? 'auto',
    threads: 1,
    inMemory: false,
    sx: matrixSource(X, 'X'),
    sy: matrixSource(Y, 'Y'),
    kernel: resolveKernel(o.kernel ?? 'cosine', ''),
    sigmaEstimated: false,
  };
}

/** A Cooperative whose ticks never wait (counted instead) and that records every progress event. */
export class Counting extends Cooperative {
  ticks = 0;
  events: ProgressEvent[] = [];
  constructor(signal?: AbortSignal) {
    super(signal, (e) => this.events.push(e));
  }
  override async tick(): Promise<void> {
    this.ticks++;
    await super.tick();
  }
}

export async function rejectsInput(p: Promise<unknown>, message: string, source?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InputError, `an InputError, got ${String(e)}`);
    assert.equal((e as InputError).message, source === undefined ? message : `${source}: ${message}`);
    return true;
  });
}

/** max |a_i − b_i| */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Fixture modes of one side against the library's (eigenvalue, top indices where the scores are separated, top scores). */
export function checkModes(
  got: { side: string; rank: number; eigenvalue: number; top: { index: number; score: number }[] }[],
  want: any[],
  tol: { value: number; score: number },
): void {
  assert.deepEqual(
    got.map((m) => `${m.side}${m.rank}`),
    want.map((m) => `${m.side}${m.rank}`),
  );
  got.forEach((m, i) => {
    const w = want[i];
    assert.ok(Math.abs(m.eigenvalue - w.eigenvalue) <= tol.value, `${m.side}${m.rank}: λ ${m.eigenvalue} vs ${w.eigenvalue}`);
    assert.equal(m.top.length, w.top.length);
    m.top.forEach((t, j) => {
      assert.ok(Math.abs(t.score - w.topScores[j]) <= tol.score, `${m.side}${m.rank} top ${j}: score ${t.score} vs ${w.topScores[j]}`);
      // indices only where the reference's neighbours are clearly apart (ties may swap)
      const sep = Math.min(j > 0 ? w.topScores[j - 1] - w.topScores[j] : Infinity, j + 1 < w.top.length ? w.topScores[j] - w.topScores[j + 1] : Infinity);
      if (sep > 10 * tol.score) assert.equal(t.index, w.top[j], `${m.side}${m.rank} top ${j}`);
    });
  });
}

/**
 * Eigenvalues (descending, length DX + DY) of J·C with C = (1/n)ΨᵀΨ, Ψ = [FX, √η·FY]
 * (rows in f64): Λ = (1/n)(FX FXᵀ − η·FY FYᵀ) has these plus zeros. Computed as the
 * spectrum of the symmetric C^½ J C^½ by two Jacobi solves, sharing nothing with the library.
 */
export function lambdaByFeatures(FX: Float64Array, DX: number, FY: Float64Array, DY: number, n: number, eta: number): Float64Array {
  const D = DX + DY,
    C = new Float64Array(D * D),
    s = Math.sqrt(eta);
  const psi = (r: number, c: number) => (c < DX ? FX[r * DX + c] : s * FY[r * DY + c - DX]);
  for (let a = 0; a < D; a++)
    for (let b = a; b < D; b++) {
      let t = 0;
      for (let r = 0; r < n; r++) t += psi(r, a) * psi(r, b);
      C[a * D + b] = C[b * D + a] = t / n;
    }
  const { values: w, vectors: V } = jacobiEig(C, D, true);
  const S = new Float64Array(D * D);
  for (let a = 0; a < D; a++)
    for (let b = 0; b < D; b++) {
      let t = 0;
      for (let k = 0; k < D; k++) t += V![a * D + k] * Math.sqrt(Math.max(w[k], 0)) * V![b * D + k];
      S[a * D + b] = t;
    }
  const M = new Float64Array(D * D);
  for (let a = 0; a < D; a++)
    for (let b = 0; b < D; b++) {
      let t = 0;
      for (let k = 0; k < D; k++) t += S[a * D + k] * (k < DX ? 1 : -1) * S[k * D + b];
      M[a * D + b] = t;
    }
  return jacobiEig(M, D).values.reverse();
}

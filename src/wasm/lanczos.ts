// Typed wrappers over the Lanczos kernels (internal; assembly/lanczos.ts). The
// operator is module state in wasm: lzBind must be called again after anything
// else may have run a solve of its own (every yield of a stepped solve).
import { wasm } from './loader.js';
import type { WasmArray, WasmView } from './memory.js';

type F64 = WasmArray<Float64Array>;

/**
 * Kernel codes of the operators: Λ dense (upper triangle read), Θ = R S Rᵀ from the
 * transposed factor, a Gram operator over cached f32 features (matrix-free), or
 * an external one the host applies (its result copied from a bound buffer).
 */
export const OP_KIND = { dense: 0, rsr: 1, gram: 2, external: 4 } as const;
export type OpKind = keyof typeof OP_KIND;

function fits(a: WasmArray<WasmView>, len: number, what: string): void {
  if (!(len <= a.length)) throw new RangeError(`spec-embed: ${what} needs ${len} entries, has ${a.length}`);
}

/** Entries the transposed r × d factor spans: row c (stride d) holds min(c + 1, r) of them. */
const factorSpan = (r: number, d: number): number => (d > 0 ? (d - 1) * d + Math.min(d, r) : 0);

/**
 * Binds the operator: `a` is the n × n matrix (dense) or the D × D buffer of the
 * transposed factor (rsr, `wide` = D, `signs` the ±1 vector of length D).
 */
export function lzBind(kind: Exclude<OpKind, 'gram' | 'external'>, n: number, wide: number, a: F64, signs: F64 | null): void {
  const code = OP_KIND[kind];
  if (code === undefined) throw new RangeError(`spec-embed: unknown Lanczos operator ${kind}`);
  fits(a, kind === 'rsr' ? factorSpan(n, wide) : n * n, 'Lanczos operator');
  if (kind === 'rsr') {
    if (!signs) throw new RangeError('spec-embed: the rsr operator needs its signs');
    fits(signs, wide, 'rsr signs');
  }
  wasm().lzBind(code, n, wide, a.ptr, kind === 'rsr' ? signs!.ptr : 0);
}

/** y = Op x for the bound operator, x at element xOff of `x` (x and y distinct). */
export function lzApply(x: F64, y: F64, xOff = 0): void {
  wasm().lzApply(x.ptr + 8 * xOff, y.ptr);
}

/**
 * A seeded start vector in row `row` of the basis Q (rows of n), orthogonalised
 * against rows 0..row−1; returns the norm left (≈ 0: the space is exhausted and
 * the row is not written). w: n f64 of scratch, h: ≥ row f64.
 */
export function lanczosStart(Q: F64, n: number, row: number, w: F64, h: F64, seed: bigint): number {
  fits(Q, (row + 1) * n, 'Lanczos basis');
  fits(w, n, 'Lanczos scratch');
  fits(h, row, 'Lanczos coefficients');
  return wasm().lanczosStart(Q.ptr, row, w.ptr, h.ptr, seed) as number;
}

/**
 * Lanczos steps j0..j1−1 with full reorthogonalisation, writing T (ldt × ldt) and
 * rows j0+1..j1 of Q. Returns j1, or −(j+1) on breakdown at step j.
 */
export function lanczosRun(Q: F64, n: number, T: F64, ldt: number, j0: number, j1: number, w: F64, h: F64, brkAbs: number, anormIn: number): number {
  if (!(0 <= j0 && j0 <= j1 && j1 < ldt)) throw new RangeError(`spec-embed: Lanczos steps ${j0}..${j1} outside a basis of ${ldt}`);
  fits(Q, (j1 + 1) * n, 'Lanczos basis');
  fits(T, ldt * ldt, 'Lanczos projected matrix');
  fits(w, n, 'Lanczos scratch');
  fits(h, ldt, 'Lanczos coefficients');
  return wasm().lanczosRun(Q.ptr, T.ptr, ldt, j0, j1, w.ptr, h.ptr, brkAbs, anormIn) as number;
}

/** The running ‖Op‖ estimate the last lanczosRun left. */
export function lzNormEstimate(): number {
  return wasm().lzNormEstimate() as number;
}

/** out_r = Σ_{i<m} Y[r·ldy + i]·Q_i for r < l (rows of length n); out must not alias Q. */
export function lzCombineRows(l: number, m: number, n: number, Y: F64, ldy: number, Q: F64, out: F64): void {
  if (l > 0) fits(Y, (l - 1) * ldy + m, 'Ritz coefficients');
  fits(Q, m * n, 'Lanczos basis');
  fits(out, l * n, 'Ritz vectors');
  wasm().lzCombineRows(l, m, n, Y.ptr, ldy, Q.ptr, out.ptr);
}

/** out[c] = s_c·L_cᵀw for c < d: S Rᵀ w in pivoted order (R the transposed r × d factor in `a`, d × d). */
export function lzRsrBack(r: number, d: number, a: F64, signs: F64, w: F64, out: F64, wOff = 0): void {
  fits(a, factorSpan(r, d), 'Cholesky factor');
  fits(signs, d, 'rsr signs');
  fits(w, wOff + r, 'rsr vector');
  fits(out, d, 'rsr output');
  wasm().lzRsrBack(r, d, a.ptr, signs.ptr, w.ptr + 8 * wOff, out.ptr);
}

/** ‖R‖_F² of the transposed r × d factor. */
export function lzRsrFrob2(r: number, d: number, a: F64): number {
  fits(a, factorSpan(r, d), 'Cholesky factor');
  return wasm().lzRsrFrob2(r, d, a.ptr) as number;
}

/** Σ_{j ≥ i} a[i][j]² over the upper triangle of the n × n matrix. */
export function lzFrob2Upper(n: number, a: F64): number {
  fits(a, n * n, 'Lanczos operator');
  return wasm().lzFrob2Upper(n, a.ptr) as number;
}

/** Scales row `row` (n long) of `v` to unit 2-norm, by the f64 kernels ddot and dscal. */
export function unitRow(v: F64, row: number, n: number): void {
  fits(v, (row + 1) * n, 'Ritz vectors');
  const ex = wasm(),
    off = v.ptr + 8 * row * n;
  ex.dscal(n, 1 / Math.sqrt(ex.ddot(n, off, off) as number), off);
}

/** One f32 feature block of a Gram operator: rows × cols row-major, and its weight. */
export interface GramBlock {
  A: WasmArray<Float32Array>;
  rows: number;
  cols: number;
  weight: number;
}

/** f64 entries of scratch a Gram operator over `blocks` needs. */
export const gramScratchLength = (blocks: readonly GramBlock[]): number =>
  2 * Math.max(0, ...blocks.map((b) => b.cols)) + Math.max(0, ...blocks.map((b) => b.rows)) + 2;

/**
 * Binds the Gram operator Σ_b w_b·A_b A_bᵀ (side 'n': dimension = every block's
 * rows) or Σ_b w_b·A_bᵀ A_b (side 'D': dimension = every block's cols), one or two blocks.
 */
export function lzBindGram(side: 'n' | 'D', n: number, blocks: readonly GramBlock[], scratch: F64): void {
  if (blocks.length < 1 || blocks.length > 2) throw new RangeError(`spec-embed: a Gram operator takes 1 or 2 blocks, got ${blocks.length}`);
  for (const b of blocks) {
    fits(b.A, b.rows * b.cols, 'Gram operator block');
    if ((side === 'n' ? b.rows : b.cols) !== n)
      throw new RangeError(`spec-embed: a Gram operator block of ${b.rows} × ${b.cols} does not match dimension ${n}`);
  }
  fits(scratch, gramScratchLength(blocks), 'Gram operator scratch');
  const [b0, b1] = [blocks[0], blocks[1] ?? { A: blocks[0].A, rows: 0, cols: 0, weight: 0 }];
  wasm().lzBindGram(side === 'n' ? 2 : 3, n, b0.A.ptr, b0.rows, b0.cols, b0.weight, b1.A.ptr, b1.rows, b1.cols, b1.weight, scratch.ptr);
}

/** Σ_b |w_b|·‖A_b‖_F² (f64 sums): a bound on the Gram operator's spectral norm. */
export function gramScale(blocks: readonly GramBlock[]): number {
  let s = 0;
  for (const b of blocks) {
    fits(b.A, b.rows * b.cols, 'Gram operator block');
    if (b.weight !== 0) s += Math.abs(b.weight) * (wasm().frob2F32(b.rows, b.cols, b.A.ptr) as number);
  }
  return s;
}

/**
 * Binds the external operator of dimension n: the next lzApply (one lanczosRun
 * step) copies Op·x from `y`, which the host filled; null binds the dimension only.
 */
export function lzBindExternal(n: number, y: F64 | null): void {
  if (y) fits(y, n, 'external operator result');
  wasm().lzBindExternal(n, y ? y.ptr : 0);
}

/** Columns of the n-side Gram blocks together (the length of [A_0ᵀx ; A_1ᵀx]). */
const gramCols = (blocks: readonly GramBlock[]): number => blocks.reduce((s, b) => s + b.cols, 0);

/**
 * t = [A_0ᵀx ; A_1ᵀx] (f64, from zero) over the n-side Gram operator bound by
 * lzBindGram('n', …, blocks): a worker's share of the operator's first pass.
 */
export function lzGramT(blocks: readonly GramBlock[], x: F64, t: F64): void {
  fits(x, blocks[0].rows, 'Gram operator vector');
  fits(t, gramCols(blocks), 'Gram operator partial');
  wasm().lzGramT(x.ptr, t.ptr);
}

/** y = Σ_b w_b·A_b t_b (f64, from zero, block 0 then 1) for t = [t_0 ; t_1] f32, over the bound n-side blocks. */
export function lzGramN(blocks: readonly GramBlock[], t: WasmArray<Float32Array>, y: F64): void {
  fits(t, gramCols(blocks), 'Gram operator coefficients');
  fits(y, blocks[0].rows, 'Gram operator result');
  wasm().lzGramN(t.ptr, y.ptr);
}

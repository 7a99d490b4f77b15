// Cached features for the resampling loops: every row's features are computed once
// (the same maps, hence the same features, as the route's) and kept in wasm memory,
// so a resample costs a weighted SYRK over its rows, never a re-read of the data.
import { InputError } from '../errors.js';
import type { FeatureMap } from '../features/feature-map.js';
import type { Step } from '../runtime/cooperative.js';
import type { RowSource } from '../validate/source.js';
import { formatBytes, MAX_BLOCK_BYTES, type WasmArray, type Scope } from '../wasm/memory.js';
import { PRECISE_MAX_D, syrkAccumulate, syrkAccumulateF64 } from '../wasm/syrk.js';

type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;

/** Rows per feature step and per gathered SYRK block. */
const CHUNK = 256;

/** Refuses buffers one WebAssembly allocation cannot hold, naming the option that asked for them. */
export function checkSignificanceSize(rows: number, D: number): void {
  const bytes = Math.max(4 * rows * D, 8 * D * D);
  if (bytes > MAX_BLOCK_BYTES)
    throw new InputError(
      `significance keeps every row's features (${rows} × ${D} f32) and D × D sums (D = ${D}) in memory: ${formatBytes(bytes)} in one buffer, more than one WebAssembly allocation holds; use fewer random features (rffDim) or a sample of the rows`,
    );
}

/**
 * Writes φ of every row of `src` into columns [colOff, colOff + map.D) of `psi`
 * (row stride `ld`), times `scale`, in steps of CHUNK rows.
 */
export function* featureRowsSteps(src: RowSource, map: FeatureMap, psi: F32, ld: number, colOff: number, scale: number, sc: Scope): Generator<Step, void> {
  const x = sc.f32(CHUNK * src.cols, `${src.name} rows`);
  for (let r0 = 0; r0 < src.rows; r0 += CHUNK) {
    const rows = Math.min(CHUNK, src.rows - r0);
    x.view.set(src.read(r0, rows));
    map.apply(x, rows, psi, r0, src.name, r0 * ld + colOff, ld);
    if (scale !== 1) {
      const v = psi.view;
      for (let i = r0; i < r0 + rows; i++) for (let c = colOff; c < colOff + map.D; c++) v[i * ld + c] *= scale;
    }
    yield { done: r0 + rows, total: src.rows, message: `rows of ${src.name} features` };
  }
}

/**
 * C += scale·Σᵢ wᵢ ψᵢψᵢᵀ (upper triangle) over rows [r0, r0 + w.length) of `psi`: rows of
 * weight 0 are skipped, the others gathered by CHUNK into `block` scaled by √wᵢ (a weighted
 * SYRK is a SYRK of rows scaled by √w). f64 products up to PRECISE_MAX_D, as the route's sums.
 */
export function weightedSyrk(psi: F32, D: number, r0: number, w: ArrayLike<number>, C: F64, scale: number, block: F32): void {
  // The kernels may grow wasm memory, which detaches every view: both are taken again after each flush.
  let src = psi.view,
    dst = block.view;
  let rows = 0;
  const flush = () => {
    if (D <= PRECISE_MAX_D) syrkAccumulateF64(block, rows, D, C, scale);
    else syrkAccumulate(block, rows, D, C, scale);
    rows = 0;
    src = psi.view;
    dst = block.view;
  };
  for (let i = 0; i < w.length; i++) {
    if (w[i] === 0) continue;
    const s = Math.sqrt(w[i]),
      off = (r0 + i) * D;
    for (let c = 0; c < D; c++) dst[rows * D + c] = src[off + c] * s;
    if (++rows === CHUNK) flush();
  }
  if (rows) flush();
}

/** A gather block for weightedSyrk. */
export function syrkBlock(sc: Scope, D: number): F32 {
  return sc.f32(CHUNK * D, 'significance gather block');
}

/** Σ wᵢ. */
export function weightSum(w: ArrayLike<number>, from = 0, to = w.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += w[i];
  return s;
}

// Every row's features held whole in one f32 wasm buffer (n × D), for the
// permutation tests, which revisit all rows once per permutation: the same map
// (kernel, seed, side) as the route's, so the random frequencies are the route's.
import { InputError } from '../errors.js';
import { f32, formatBytes, MAX_BLOCK_BYTES, type WasmArray } from '../wasm/memory.js';
import { FeatureMap } from '../features/feature-map.js';
import type { Kernel } from '../features/kernel.js';
import { featureDim } from '../features/kernel.js';
import type { RowSource } from '../validate/source.js';
import type { Cooperative } from '../runtime/cooperative.js';

type F32 = WasmArray<Float32Array>;

/** Rows featurised per step. */
const STEP_ROWS = 256;

/** Refuses, before allocating, features that cannot be held whole for a permutation test. */
export function checkFeatureRows(rows: number, D: number, what: string): void {
  const bytes = 4 * rows * D;
  if (bytes > MAX_BLOCK_BYTES)
    throw new InputError(
      `permutations need every row's features in memory: ${what} has ${rows} rows × ${D} features = ${formatBytes(bytes)}, more than one WebAssembly allocation holds (${formatBytes(MAX_BLOCK_BYTES)}); use fewer rows or a smaller rffDim`,
    );
}

/**
 * φ of every row of the sources (stacked in order) under `kernel`, as an n × D
 * f32 buffer the caller frees. `side` picks the frequencies as the route does.
 */
export async function featureRows(sources: RowSource[], kernel: Kernel, seed: number, side: string, coop: Cooperative): Promise<F32> {
  const d = sources[0].cols,
    D = featureDim(kernel, d);
  const n = sources.reduce((s, src) => s + src.rows, 0);
  checkFeatureRows(n, D, sources.map((s) => s.name).join(' + '));
  const map = new FeatureMap(kernel, d, seed, side);
  const out = f32(Math.max(1, n * D), `features for permutations (${n} × ${D})`);
  const x = f32(STEP_ROWS * d, 'rows for permutations');
  try {
    let base = 0;
    for (const src of sources) {
      for (let r0 = 0; r0 < src.rows; r0 += STEP_ROWS) {
        const rows = Math.min(STEP_ROWS, src.rows - r0);
        x.view.set(src.read(r0, rows));
        map.apply(x, rows, out, r0, src.name, (base + r0) * D, D);
        await coop.tick();
      }
      base += src.rows;
    }
    return out;
  } catch (e) {
    out.free();
    throw e;
  } finally {
    x.free();
    map.free();
  }
}

/** Subtracts each column's mean (f64) from an n × D f32 buffer, in place. */
export function centreColumns(F: F32, n: number, D: number): void {
  const v = F.view,
    mean = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let j = 0, o = i * D; j < D; j++) mean[j] += v[o + j];
  for (let j = 0; j < D; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0, o = i * D; j < D; j++) v[o + j] -= mean[j];
}

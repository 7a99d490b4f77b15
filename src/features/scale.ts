// Power-of-two scaling: the linear kernel's f32 products of 1e-25 would underflow
// and of 1e25 overflow, and a power of two scales without rounding. The exact
// route scales each side's data (and K back in f64); the covariance route reads
// two linear sides scaled by one c and scales the eigenvalues back by 1/c².
import type { RowSource } from '../validate/source.js';
import { sampleRows } from '../validate/source.js';
import type { SpecJob, SpecOutcome } from './job.js';

/** max(big, max |x|) over a block of values. */
export function maxAbs(data: ArrayLike<number>, big: number): number {
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]);
    if (a > big) big = a;
  }
  return big;
}

/**
 * A power of two that brings values of size `big` near 1: the linear kernel's f32
 * products of 1e-25 would underflow and of 1e25 overflow, and a power of two
 * scales without rounding. 1 inside [2⁻²⁰, 2²⁰] (ordinary data are left alone).
 */
export function powerOfTwoScale(big: number): number {
  if (!(big > 0) || (big >= 2 ** -20 && big <= 2 ** 20)) return 1;
  return 2 ** -Math.round(Math.log2(big));
}

/** The common power-of-two scale of two linear sides, from the seeded sample rows (1: no scaling needed). */
export function linearScale(r: SpecJob): number {
  if (r.kx.type !== 'linear' || r.ky.type !== 'linear') return 1;
  let big = 0;
  for (const src of [r.sx, r.sy]) big = maxAbs(sampleRows([src], r.seed).data, big);
  return powerOfTwoScale(big);
}

/** A source whose rows read times c (exact for a power of two), as f32 like every source's consumer expects. */
export function scaledSource(s: RowSource, c: number): RowSource {
  return {
    ...s,
    read: (start, count) => {
      const d = s.read(start, count);
      const out = new Float32Array(d.length);
      for (let i = 0; i < d.length; i++) out[i] = d[i] * c;
      return out;
    },
  };
}

/** Eigenvalues and SPEC-diff of Λ' = c²Λ back to Λ (f = 1/c²); the unit eigenvectors are the same. */
export function unscale(res: SpecOutcome, f: number): void {
  for (let i = 0; i < res.eigenvalues.length; i++) res.eigenvalues[i] *= f;
  for (const m of res.modes) m.eigenvalue *= f;
  res.specDiff = { xNotY: res.specDiff.xNotY * f, yNotX: res.specDiff.yNotX * f, norm: res.specDiff.norm * f };
}

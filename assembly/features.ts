// Feature maps φ on a chunk of rows (f32 in, f32 out, rows × D with leading dim
// ldOut). Every map first checks the chunk for NaN/Inf; a bad row is reported by
// returning its (chunk-local) index, with the reason in featErrKind() and the
// column in featErrCol(), so the host can raise a clear error. -1 means success.
import { sgemm } from './gemm-4x8';
import { sincosF32 } from './sincos';

export const ERR_NONFINITE: i32 = 1;
export const ERR_ZERO_ROW: i32 = 2;

let errKind: i32 = 0;
let errCol: i32 = -1;

export function featErrKind(): i32 {
  return errKind;
}
export function featErrCol(): i32 {
  return errCol;
}
export function setFeatError(kind: i32, col: i32): void {
  errKind = kind;
  errCol = col;
}

/** First row of the rows × d f32 block (leading dim ld) holding NaN or ±Inf, or -1. */
export function firstNonFinite(x: usize, rows: i32, d: i32, ld: i32): i32 {
  const ldb = <usize>ld << 2;
  for (let i = 0; i < rows; i++) {
    const r = x + <usize>i * ldb;
    let bad = v128.splat<i32>(0);
    let j = 0;
    for (; j + 4 <= d; j += 4) {
      const v = v128.load(r + (<usize>j << 2));
      const z = f32x4.sub(v, v); // 0 for finite, NaN otherwise
      bad = v128.or(bad, f32x4.ne(z, z));
    }
    let found = v128.any_true(bad);
    for (; j < d && !found; j++) {
      const v = load<f32>(r + (<usize>j << 2));
      if (v - v != 0) found = true;
    }
    if (found) {
      for (let t = 0; t < d; t++) {
        const v = load<f32>(r + (<usize>t << 2));
        if (v - v != 0) {
          setFeatError(ERR_NONFINITE, t);
          return i;
        }
      }
    }
  }
  setFeatError(0, -1);
  return -1;
}

/** Σ x[j]² in f64 over a row of d f32 values. */
export function rowSquaredNorm(r: usize, d: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    const v = v128.load(r + (<usize>j << 2));
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    a0 = f64x2.add(a0, f64x2.mul(lo, lo));
    a1 = f64x2.add(a1, f64x2.mul(hi, hi));
  }
  const a = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; j < d; j++) {
    const v = <f64>load<f32>(r + (<usize>j << 2));
    s += v * v;
  }
  return s;
}

/** out row = x/‖x‖ (norm and product in f64, rounded once to f32). */
export function featCosine(x: usize, rows: i32, d: i32, out: usize, ldOut: i32): i32 {
  const bad = firstNonFinite(x, rows, d, d);
  if (bad >= 0) return bad;
  const ldx = <usize>d << 2;
  const ldo = <usize>ldOut << 2;
  for (let i = 0; i < rows; i++) {
    const r = x + <usize>i * ldx;
    const o = out + <usize>i * ldo;
    const s = rowSquaredNorm(r, d);
    if (s == 0) {
      setFeatError(ERR_ZERO_ROW, -1);
      return i;
    }
    scaleRow(r, o, d, 1.0 / Math.sqrt(s));
  }
  return -1;
}

/** dst[j] = f32(f64(src[j]) · inv) for j < d (src may be dst): one rounding per element. */
// @ts-ignore: decorator
@inline function scaleRow(src: usize, dst: usize, d: i32, inv: f64): void {
  const iv = f64x2.splat(inv);
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    const v = v128.load(src + (<usize>j << 2));
    const lo = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v), iv));
    const hi = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)), iv));
    v128.store(dst + (<usize>j << 2), v128.shuffle<f32>(lo, hi, 0, 1, 4, 5));
  }
  for (; j < d; j++) store<f32>(dst + (<usize>j << 2), <f32>(<f64>load<f32>(src + (<usize>j << 2)) * inv));
}

/**
 * Each row of x (rows × d f32, in place) scaled to unit length: Σx² summed in f64
 * one element after another, x·(1/√Σx²) in f64 rounded once to f32; a zero row
 * stays zero. The same arithmetic, in the same order, as a JavaScript loop over
 * the row in f64, so it gives the same bits (the k-NN metric's normalisation).
 */
export function unitRowsInPlace(x: usize, rows: i32, d: i32): void {
  const ld = <usize>d << 2;
  for (let i = 0; i < rows; i++) {
    const r = x + <usize>i * ld;
    let ss: f64 = 0;
    for (let j = 0; j < d; j++) {
      const v = <f64>load<f32>(r + (<usize>j << 2));
      ss += v * v;
    }
    scaleRow(r, r, d, ss > 0 ? 1.0 / Math.sqrt(ss) : 0.0);
  }
}

/** out row = x (copy), after the NaN/Inf check. */
export function featLinear(x: usize, rows: i32, d: i32, out: usize, ldOut: i32): i32 {
  const bad = firstNonFinite(x, rows, d, d);
  if (bad >= 0) return bad;
  const ldx = <usize>d << 2;
  const ldo = <usize>ldOut << 2;
  for (let i = 0; i < rows; i++) {
    memory.copy(out + <usize>i * ldo, x + <usize>i * ldx, ldx);
  }
  return -1;
}

/**
 * Random Fourier features: out row = m^(-1/2)·[cos(xω)_1..m, sin(xω)_1..m], ω a
 * d × m f32 matrix. The projection xω is written by sgemm straight into the cos
 * block of `out` (ldOut ≥ 2m), then turned into cos/sin in place.
 */
export function featRff(x: usize, rows: i32, d: i32, omega: usize, m: i32, out: usize, ldOut: i32): i32 {
  const bad = firstNonFinite(x, rows, d, d);
  if (bad >= 0) return bad;
  sgemm(rows, m, d, x, d, omega, m, out, ldOut, 0);
  const scale = 1.0 / Math.sqrt(<f64>m);
  const ldo = <usize>ldOut << 2;
  const mb = <usize>m << 2;
  for (let i = 0; i < rows; i++) {
    const o = out + <usize>i * ldo;
    sincosF32(o, m, scale, o, o + mb);
  }
  return -1;
}

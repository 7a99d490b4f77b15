// Vectorised sin/cos for f32 inputs (|t| > 1e6 is first reduced modulo 2π). Each f32x4 is widened to two f64x2 halves;
// the argument is reduced by Cody–Waite in f64 (t = k·π/2 + r, |r| ≤ π/4, with
// π/2 split into a 33-bit head, exact in k·head for |k| < 2^20, and a tail), the
// Taylor polynomials run in f64, and the result is rounded to f32 once. Error
// vs the exact value is the final f32 rounding plus ~1e-11 for |t| ≤ 1e6.
// The scalar path performs the same operations in the same order, so tails are
// bit-identical to what a SIMD lane would give.

// @ts-ignore: decorator
@inline const TWO_OVER_PI: f64 = 6.36619772367581382433e-01;
// @ts-ignore: decorator
@inline const PIO2_HI: f64 = 1.57079632673412561417e+00; // first 33 bits of π/2
// @ts-ignore: decorator
@inline const PIO2_LO: f64 = 6.07710050650619224932e-11; // π/2 − PIO2_HI
// Beyond this |t| the Cody–Waite head k·PIO2_HI is no longer exact and the
// reduced argument grows without bound (1e18 gave |cos| ~ 1e12): such inputs are
// first reduced exactly modulo the f64 value of 2π (fmod), on the scalar path.
// @ts-ignore: decorator
@inline const HUGE_ARG: f32 = 1.0e6;
// @ts-ignore: decorator
@inline const TWO_PI: f64 = 6.28318530717958623200e+00;
// Taylor coefficients
// @ts-ignore: decorator
@inline const S1: f64 = -1.0 / 6.0;
// @ts-ignore: decorator
@inline const S2: f64 = 1.0 / 120.0;
// @ts-ignore: decorator
@inline const S3: f64 = -1.0 / 5040.0;
// @ts-ignore: decorator
@inline const S4: f64 = 1.0 / 362880.0;
// @ts-ignore: decorator
@inline const S5: f64 = -1.0 / 39916800.0;
// @ts-ignore: decorator
@inline const C1: f64 = 1.0 / 24.0;
// @ts-ignore: decorator
@inline const C2: f64 = -1.0 / 720.0;
// @ts-ignore: decorator
@inline const C3: f64 = 1.0 / 40320.0;
// @ts-ignore: decorator
@inline const C4: f64 = -1.0 / 3628800.0;
// @ts-ignore: decorator
@inline const C5: f64 = 1.0 / 479001600.0;

/** Scalar sin and cos of t (f32 in, f64 maths), scaled by `scale`, rounded to f32. */
export function sincosScalar(t: f32, scale: f64, outCos: usize, outSin: usize): void {
  let x = <f64>t;
  if (Math.abs(x) > <f64>HUGE_ARG) x = x % TWO_PI;
  const k = f64.nearest(x * TWO_OVER_PI);
  const r = (x - k * PIO2_HI) - k * PIO2_LO;
  const z = r * r;
  const s = r + (r * z) * (S1 + z * (S2 + z * (S3 + z * (S4 + z * S5))));
  const c = (1.0 - 0.5 * z) + (z * z) * (C1 + z * (C2 + z * (C3 + z * (C4 + z * C5))));
  const q = <i32>k; // saturating (nontrapping-f2i is on by default)
  let sv = (q & 1) != 0 ? c : s;
  let cv = (q & 1) != 0 ? s : c;
  if ((q & 2) != 0) sv = -sv;
  if (((q + 1) & 2) != 0) cv = -cv;
  store<f32>(outCos, <f32>(cv * scale));
  store<f32>(outSin, <f32>(sv * scale));
}

// Scratch for the two f64x2 halves (cos lo, cos hi, sin lo, sin hi).
const HALF = memory.data(64, 16);

// @ts-ignore: decorator
@inline function sincos2(x: v128, scale: v128, dst: usize): void {
  const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(TWO_OVER_PI)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(PIO2_HI))), f64x2.mul(k, f64x2.splat(PIO2_LO)));
  const z = f64x2.mul(r, r);
  const q = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const swap = i64x2.eq(v128.and(q, i64x2.splat(1)), i64x2.splat(1));
  const sinSign = i64x2.shl(v128.and(q, i64x2.splat(2)), 62);
  const cosSign = i64x2.shl(v128.and(i64x2.add(q, i64x2.splat(1)), i64x2.splat(2)), 62);
  const sp = f64x2.add(r, f64x2.mul(f64x2.mul(r, z),
    f64x2.add(f64x2.splat(S1), f64x2.mul(z, f64x2.add(f64x2.splat(S2), f64x2.mul(z,
      f64x2.add(f64x2.splat(S3), f64x2.mul(z, f64x2.add(f64x2.splat(S4), f64x2.mul(z, f64x2.splat(S5)))))))))));
  const cp = f64x2.add(f64x2.sub(f64x2.splat(1.0), f64x2.mul(f64x2.splat(0.5), z)), f64x2.mul(f64x2.mul(z, z),
    f64x2.add(f64x2.splat(C1), f64x2.mul(z, f64x2.add(f64x2.splat(C2), f64x2.mul(z,
      f64x2.add(f64x2.splat(C3), f64x2.mul(z, f64x2.add(f64x2.splat(C4), f64x2.mul(z, f64x2.splat(C5)))))))))));
  // bitselect(a, b, m) takes a where m is set
  const cv = v128.bitselect(sp, cp, swap);
  const sv = v128.bitselect(cp, sp, swap);
  v128.store(dst, f64x2.mul(v128.xor(cv, cosSign), scale));
  v128.store(dst, f64x2.mul(v128.xor(sv, sinSign), scale), 32);
}

/**
 * For i < n: cos(t[i])·scale → outCos[i], sin(t[i])·scale → outSin[i] (all f32).
 * `outCos` may alias `t` (in place); `outSin` must not overlap `t` ahead of i.
 */
export function sincosF32(t: usize, n: i32, scale: f64, outCos: usize, outSin: usize): void {
  const sc = f64x2.splat(scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(t + o);
    if (v128.any_true(f32x4.gt(f32x4.abs(v), f32x4.splat(HUGE_ARG)))) {
      for (let j = 0; j < 4; j++) sincosScalar(load<f32>(t + o + (<usize>j << 2)), scale, outCos + o + (<usize>j << 2), outSin + o + (<usize>j << 2));
      continue;
    }
    sincos2(f64x2.promote_low_f32x4(v), sc, HALF);
    sincos2(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)), sc, HALF + 16);
    const c = v128.shuffle<f32>(
      f32x4.demote_f64x2_zero(v128.load(HALF)), f32x4.demote_f64x2_zero(v128.load(HALF, 16)), 0, 1, 4, 5);
    const s = v128.shuffle<f32>(
      f32x4.demote_f64x2_zero(v128.load(HALF, 32)), f32x4.demote_f64x2_zero(v128.load(HALF, 48)), 0, 1, 4, 5);
    v128.store(outCos + o, c);
    v128.store(outSin + o, s);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    sincosScalar(load<f32>(t + o), scale, outCos + o, outSin + o);
  }
}

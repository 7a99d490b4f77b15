// The matrix-free solver's operator passes over cached f32 features A (rows ×
// cols, row-major, ld = cols): the pair of GEMVs that applies (1/n)·Ψ J Ψᵀ (or
// its D-side twin) without forming a covariance.
//  - gemvTAcc: t += Aᵀ x (t: cols f64, x: rows f64). Rows are summed in f32, four
//    at a time, within blocks of T_BLOCK rows; each block's f32 column sums are
//    then added to t in f64, so the f32 error is that of ≤ T_BLOCK terms.
//  - gemvNAcc: y += w · A t (y: rows f64, t: cols f32). Each row's dot product runs
//    in f32x4 lanes over chunks of N_CHUNK columns, each chunk added in f64.
// Both read each row of A once per call. Summation orders are fixed by the
// shapes alone, so results are bit-identical across runs; the scalar references
// (gemv-pair-ref.ts) follow the same orders and agree bit for bit.

/** Rows per f32 partial sum of gemvTAcc. */
export const T_BLOCK: i32 = 16;
/** Columns per f32 partial dot product of gemvNAcc (a multiple of 4). */
export const N_CHUNK: i32 = 64;

/**
 * t[c] += Σ_i x[i]·A[i][c] for c < cols. s32: cols f32 of scratch. Within a block
 * of T_BLOCK rows, groups of four rows add ((x0a0 + x1a1) + (x2a2 + x3a3)) to the
 * f32 partial, the block's last (< 4) rows one at a time; then t += f64(partial).
 */
export function gemvTAcc(rows: i32, cols: i32, a: usize, x: usize, t: usize, s32: usize): void {
  const ld = <usize>cols << 2;
  const c4 = cols & ~3;
  for (let b0 = 0; b0 < rows; b0 += T_BLOCK) {
    const b1 = min(rows, b0 + T_BLOCK);
    memory.fill(s32, 0, <usize>cols << 2);
    let i = b0;
    for (; i + 4 <= b1; i += 4) {
      const r0 = a + <usize>i * ld,
        r1 = r0 + ld,
        r2 = r1 + ld,
        r3 = r2 + ld;
      const xp = x + (<usize>i << 3);
      const x0 = <f32>load<f64>(xp),
        x1 = <f32>load<f64>(xp, 8),
        x2 = <f32>load<f64>(xp, 16),
        x3 = <f32>load<f64>(xp, 24);
      const v0 = f32x4.splat(x0),
        v1 = f32x4.splat(x1),
        v2 = f32x4.splat(x2),
        v3 = f32x4.splat(x3);
      let c = 0;
      for (; c < c4; c += 4) {
        const o = <usize>c << 2;
        const p = f32x4.add(
          f32x4.add(f32x4.mul(v0, v128.load(r0 + o)), f32x4.mul(v1, v128.load(r1 + o))),
          f32x4.add(f32x4.mul(v2, v128.load(r2 + o)), f32x4.mul(v3, v128.load(r3 + o))),
        );
        v128.store(s32 + o, f32x4.add(v128.load(s32 + o), p));
      }
      for (; c < cols; c++) {
        const o = <usize>c << 2;
        const p = x0 * load<f32>(r0 + o) + x1 * load<f32>(r1 + o) + (x2 * load<f32>(r2 + o) + x3 * load<f32>(r3 + o));
        store<f32>(s32 + o, load<f32>(s32 + o) + p);
      }
    }
    for (; i < b1; i++) {
      const r0 = a + <usize>i * ld;
      const x0 = <f32>load<f64>(x + (<usize>i << 3));
      const v0 = f32x4.splat(x0);
      let c = 0;
      for (; c < c4; c += 4) {
        const o = <usize>c << 2;
        v128.store(s32 + o, f32x4.add(v128.load(s32 + o), f32x4.mul(v0, v128.load(r0 + o))));
      }
      for (; c < cols; c++) {
        const o = <usize>c << 2;
        store<f32>(s32 + o, load<f32>(s32 + o) + x0 * load<f32>(r0 + o));
      }
    }
    let c = 0;
    for (; c < c4; c += 4) {
      const s = v128.load(s32 + (<usize>c << 2));
      const tp = t + (<usize>c << 3);
      v128.store(tp, f64x2.add(v128.load(tp), f64x2.promote_low_f32x4(s)));
      v128.store(tp, f64x2.add(v128.load(tp, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 0, 1))), 16);
    }
    for (; c < cols; c++) {
      const tp = t + (<usize>c << 3);
      store<f64>(tp, load<f64>(tp) + <f64>load<f32>(s32 + (<usize>c << 2)));
    }
  }
}

/**
 * Σ_c A[r][c]·t[c] for one row r at `rp`. Per chunk of N_CHUNK columns two f32x4
 * partials take alternate vectors (even ones into sA, odd into sB; two chains hide
 * the add latency), s = sA + sB is added to an f64x2 accumulator as lanes (0, 1)
 * then (2, 3); the accumulator's lanes are summed, then the last cols % 4 columns
 * added in f64.
 */
// @ts-ignore: decorator
@inline function rowDot(rp: usize, cols: i32, c4: i32, t: usize): f64 {
  let acc = f64x2.splat(0);
  for (let c0 = 0; c0 < c4; c0 += N_CHUNK) {
    const c1 = min(c4, c0 + N_CHUNK);
    let sa = f32x4.splat(0),
      sb = f32x4.splat(0);
    let c = c0;
    for (; c + 8 <= c1; c += 8) {
      const o = <usize>c << 2;
      sa = f32x4.add(sa, f32x4.mul(v128.load(rp + o), v128.load(t + o)));
      sb = f32x4.add(sb, f32x4.mul(v128.load(rp + o, 16), v128.load(t + o, 16)));
    }
    if (c < c1) {
      const o = <usize>c << 2;
      sa = f32x4.add(sa, f32x4.mul(v128.load(rp + o), v128.load(t + o)));
    }
    const s = f32x4.add(sa, sb);
    acc = f64x2.add(acc, f64x2.promote_low_f32x4(s));
    acc = f64x2.add(acc, f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 0, 1)));
  }
  let d = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (let c = c4; c < cols; c++) d += <f64>load<f32>(rp + (<usize>c << 2)) * <f64>load<f32>(t + (<usize>c << 2));
  return d;
}

/** Adds the chunk partial s (f32x4) to the f64x2 accumulator as lanes (0, 1) then (2, 3). */
// @ts-ignore: decorator
@inline function flush(acc: v128, s: v128): v128 {
  return f64x2.add(f64x2.add(acc, f64x2.promote_low_f32x4(s)), f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 0, 1)));
}

/** rowDot's result from its accumulator and the row's tail columns. */
// @ts-ignore: decorator
@inline function finish(acc: v128, rp: usize, cols: i32, c4: i32, t: usize): f64 {
  let d = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (let c = c4; c < cols; c++) d += <f64>load<f32>(rp + (<usize>c << 2)) * <f64>load<f32>(t + (<usize>c << 2));
  return d;
}

/**
 * y[i] += w·Σ_c A[i][c]·t[c] for i < rows (t: cols f32). Four rows at a time share
 * the loads of t (eight independent f32 chains); each row's arithmetic is rowDot's.
 */
export function gemvNAcc(rows: i32, cols: i32, a: usize, t: usize, y: usize, w: f64): void {
  const ld = <usize>cols << 2;
  const c4 = cols & ~3;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const r0 = a + <usize>i * ld,
      r1 = r0 + ld,
      r2 = r1 + ld,
      r3 = r2 + ld;
    let a0 = f64x2.splat(0),
      a1 = f64x2.splat(0),
      a2 = f64x2.splat(0),
      a3 = f64x2.splat(0);
    for (let c0 = 0; c0 < c4; c0 += N_CHUNK) {
      const c1 = min(c4, c0 + N_CHUNK);
      let sa0 = f32x4.splat(0),
        sb0 = f32x4.splat(0),
        sa1 = f32x4.splat(0),
        sb1 = f32x4.splat(0),
        sa2 = f32x4.splat(0),
        sb2 = f32x4.splat(0),
        sa3 = f32x4.splat(0),
        sb3 = f32x4.splat(0);
      let c = c0;
      for (; c + 8 <= c1; c += 8) {
        const o = <usize>c << 2;
        const ta = v128.load(t + o),
          tb = v128.load(t + o, 16);
        sa0 = f32x4.add(sa0, f32x4.mul(v128.load(r0 + o), ta));
        sb0 = f32x4.add(sb0, f32x4.mul(v128.load(r0 + o, 16), tb));
        sa1 = f32x4.add(sa1, f32x4.mul(v128.load(r1 + o), ta));
        sb1 = f32x4.add(sb1, f32x4.mul(v128.load(r1 + o, 16), tb));
        sa2 = f32x4.add(sa2, f32x4.mul(v128.load(r2 + o), ta));
        sb2 = f32x4.add(sb2, f32x4.mul(v128.load(r2 + o, 16), tb));
        sa3 = f32x4.add(sa3, f32x4.mul(v128.load(r3 + o), ta));
        sb3 = f32x4.add(sb3, f32x4.mul(v128.load(r3 + o, 16), tb));
      }
      if (c < c1) {
        const o = <usize>c << 2;
        const ta = v128.load(t + o);
        sa0 = f32x4.add(sa0, f32x4.mul(v128.load(r0 + o), ta));
        sa1 = f32x4.add(sa1, f32x4.mul(v128.load(r1 + o), ta));
        sa2 = f32x4.add(sa2, f32x4.mul(v128.load(r2 + o), ta));
        sa3 = f32x4.add(sa3, f32x4.mul(v128.load(r3 + o), ta));
      }
      a0 = flush(a0, f32x4.add(sa0, sb0));
      a1 = flush(a1, f32x4.add(sa1, sb1));
      a2 = flush(a2, f32x4.add(sa2, sb2));
      a3 = flush(a3, f32x4.add(sa3, sb3));
    }
    const yp = y + (<usize>i << 3);
    store<f64>(yp, load<f64>(yp) + w * finish(a0, r0, cols, c4, t));
    store<f64>(yp, load<f64>(yp, 8) + w * finish(a1, r1, cols, c4, t), 8);
    store<f64>(yp, load<f64>(yp, 16) + w * finish(a2, r2, cols, c4, t), 16);
    store<f64>(yp, load<f64>(yp, 24) + w * finish(a3, r3, cols, c4, t), 24);
  }
  for (; i < rows; i++) {
    const yp = y + (<usize>i << 3);
    store<f64>(yp, load<f64>(yp) + w * rowDot(a + <usize>i * ld, cols, c4, t));
  }
}

/** Σ A[i][c]² over the rows × cols block, in f64 (the operator's scale bound). */
export function frob2F32(rows: i32, cols: i32, a: usize): f64 {
  const len = <usize>rows * <usize>cols;
  let acc = f64x2.splat(0);
  let e: usize = 0;
  for (; e + 4 <= len; e += 4) {
    const s = v128.load(a + (e << 2));
    const lo = f64x2.promote_low_f32x4(s),
      hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 0, 1));
    acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
  }
  let f = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; e < len; e++) {
    const v = <f64>load<f32>(a + (e << 2));
    f += v * v;
  }
  return f;
}

/** out[c] = f32(t[c]) for c < len. */
export function demoteF64(len: i32, t: usize, out: usize): void {
  for (let c = 0; c < len; c++) store<f32>(out + (<usize>c << 2), <f32>load<f64>(t + (<usize>c << 3)));
}

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
export const T_BLOCK: i32 = 32;
/** Columns per f32 partial dot product of gemvNAcc (a multiple of 4). */
export const N_CHUNK: i32 = 64;

/**
 * t[c] += Σ_i x[i]·A[i][c] for c < cols. s32: cols f32 of scratch. Within a block
 * of T_BLOCK rows, each row in turn adds f32(x_i)·A[i][c] to the f32 partial; then
 * t += f64(partial). One row at a time keeps a single stream over A (several
 * interleaved row streams ran at ~60% of the memory bandwidth on the reference machine).
 */
export function gemvTAcc(rows: i32, cols: i32, a: usize, x: usize, t: usize, s32: usize): void {
  const ld = <usize>cols << 2;
  const c4 = cols & ~3,
    c16 = cols & ~15;
  for (let b0 = 0; b0 < rows; b0 += T_BLOCK) {
    const b1 = min(rows, b0 + T_BLOCK);
    memory.fill(s32, 0, <usize>cols << 2);
    for (let i = b0; i < b1; i++) {
      const r0 = a + <usize>i * ld;
      const x0 = <f32>load<f64>(x + (<usize>i << 3));
      const v0 = f32x4.splat(x0);
      let c = 0;
      for (; c < c16; c += 16) {
        const o = <usize>c << 2;
        const s = s32 + o,
          p = r0 + o;
        v128.store(s, f32x4.add(v128.load(s), f32x4.mul(v0, v128.load(p))));
        v128.store(s, f32x4.add(v128.load(s, 16), f32x4.mul(v0, v128.load(p, 16))), 16);
        v128.store(s, f32x4.add(v128.load(s, 32), f32x4.mul(v0, v128.load(p, 32))), 32);
        v128.store(s, f32x4.add(v128.load(s, 48), f32x4.mul(v0, v128.load(p, 48))), 48);
      }
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
 * Σ_c A[r][c]·t[c] for one row r at `rp`. Per chunk of N_CHUNK columns four f32x4
 * partials take the chunk's vectors in turn (vector v into partial v % 4; four
 * chains hide the add latency), s = (p0 + p1) + (p2 + p3) is added to an f64x2
 * accumulator as lanes (0, 1) then (2, 3); the accumulator's lanes are summed,
 * then the last cols % 4 columns added in f64.
 */
// @ts-ignore: decorator
@inline function rowDot(rp: usize, cols: i32, c4: i32, t: usize): f64 {
  let acc = f64x2.splat(0);
  for (let c0 = 0; c0 < c4; c0 += N_CHUNK) {
    const c1 = min(c4, c0 + N_CHUNK);
    let p0 = f32x4.splat(0),
      p1 = f32x4.splat(0),
      p2 = f32x4.splat(0),
      p3 = f32x4.splat(0);
    let c = c0;
    for (; c + 16 <= c1; c += 16) {
      const o = <usize>c << 2;
      p0 = f32x4.add(p0, f32x4.mul(v128.load(rp + o), v128.load(t + o)));
      p1 = f32x4.add(p1, f32x4.mul(v128.load(rp + o, 16), v128.load(t + o, 16)));
      p2 = f32x4.add(p2, f32x4.mul(v128.load(rp + o, 32), v128.load(t + o, 32)));
      p3 = f32x4.add(p3, f32x4.mul(v128.load(rp + o, 48), v128.load(t + o, 48)));
    }
    // the chunk's last 1–3 vectors go to p0, p1, p2 in turn (the v % 4 rule)
    if (c < c1) {
      const o = <usize>c << 2;
      p0 = f32x4.add(p0, f32x4.mul(v128.load(rp + o), v128.load(t + o)));
      if (c + 4 < c1) p1 = f32x4.add(p1, f32x4.mul(v128.load(rp + o, 16), v128.load(t + o, 16)));
      if (c + 8 < c1) p2 = f32x4.add(p2, f32x4.mul(v128.load(rp + o, 32), v128.load(t + o, 32)));
    }
    const s = f32x4.add(f32x4.add(p0, p1), f32x4.add(p2, p3));
    acc = f64x2.add(acc, f64x2.promote_low_f32x4(s));
    acc = f64x2.add(acc, f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 0, 1)));
  }
  let d = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (let c = c4; c < cols; c++) d += <f64>load<f32>(rp + (<usize>c << 2)) * <f64>load<f32>(t + (<usize>c << 2));
  return d;
}

/**
 * y[i] += w·Σ_c A[i][c]·t[c] for i < rows (t: cols f32, read from cache), one row
 * at a time (a single stream over A, as gemvTAcc), each by rowDot.
 */
export function gemvNAcc(rows: i32, cols: i32, a: usize, t: usize, y: usize, w: f64): void {
  const ld = <usize>cols << 2;
  const c4 = cols & ~3;
  for (let i = 0; i < rows; i++) {
    const yp = y + (<usize>i << 3);
    store<f64>(yp, load<f64>(yp) + w * rowDot(a + <usize>i * ld, cols, c4, t));
  }
}

/**
 * y += Aᵀ(w·A x) (x: cols f32, y: cols f64), the D-side Gram product, in one read
 * of A: per block of T_BLOCK rows, u_i = w·rowDot(A_i, x) for its rows, then the
 * block's gemvTAcc with x = u while those rows are still in cache. Bit-identical to
 * gemvNAcc into a zeroed u (rows f64) followed by gemvTAcc(u), at half the memory
 * traffic. u: ≥ T_BLOCK f64 of scratch; s32: cols f32.
 */
export function gemvGramDAcc(rows: i32, cols: i32, a: usize, x: usize, y: usize, w: f64, u: usize, s32: usize): void {
  const ld = <usize>cols << 2;
  const c4 = cols & ~3;
  for (let b0 = 0; b0 < rows; b0 += T_BLOCK) {
    const nb = min(rows - b0, T_BLOCK);
    const ab = a + <usize>b0 * ld;
    for (let i = 0; i < nb; i++) store<f64>(u + (<usize>i << 3), 0.0 + w * rowDot(ab + <usize>i * ld, cols, c4, x));
    gemvTAcc(nb, cols, ab, u, y, s32);
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

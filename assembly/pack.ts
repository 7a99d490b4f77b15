// Copying feature blocks into the combined row layout Ψ = [ΦX, √η·ΦY] and
// gathering score columns, so the host never loops over samples.

/** dst[r*ldd + off + j] = scale * src[r*cols + j] for r < rows, j < cols (f32). */
export function packColumns(src: usize, rows: i32, cols: i32, dst: usize, ldd: i32, off: i32, scale: f32): void {
  const sv = f32x4.splat(scale);
  for (let r = 0; r < rows; r++) {
    const s = src + ((<usize>r * <usize>cols) << 2);
    const d = dst + ((<usize>r * <usize>ldd + <usize>off) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(d + o, f32x4.mul(v128.load(s + o), sv));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(d + o, load<f32>(s + o) * scale);
    }
  }
}

/** Converts n f64 values to f32 (x * scale). */
export function f64ToF32(src: usize, n: i32, dst: usize, scale: f64): void {
  for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), <f32>(load<f64>(src + (<usize>i << 3)) * scale));
}

/** Converts n f32 values to f64. */
export function f32ToF64(src: usize, n: i32, dst: usize): void {
  for (let i = 0; i < n; i++) store<f64>(dst + (<usize>i << 3), <f64>load<f32>(src + (<usize>i << 2)));
}

/** y = a*y (n f64). */
export function dscal(n: i32, a: f64, y: usize): void {
  for (let i = 0; i < n; i++) store<f64>(y + (<usize>i << 3), a * load<f64>(y + (<usize>i << 3)));
}

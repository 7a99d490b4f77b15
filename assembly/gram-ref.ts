// Scalar references for gram.ts (compiled into the as-pect tests only): every
// entry from f64 coordinates, directly from the kernel's definition.

/** out (n × n f64) = scale·k(xi, xj); kind 0 linear, 1 cosine, 2 gaussian exp(−‖xi − xj‖²·gamma). */
export function gramRef(x: usize, n: i32, d: i32, kind: i32, gamma: f64, out: usize, scale: f64): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let xy: f64 = 0, xx: f64 = 0, yy: f64 = 0, dd: f64 = 0;
      for (let t = 0; t < d; t++) {
        const u = <f64>load<f32>(x + ((<usize>i * <usize>d + <usize>t) << 2));
        const v = <f64>load<f32>(x + ((<usize>j * <usize>d + <usize>t) << 2));
        xy += u * v; xx += u * u; yy += v * v; dd += (u - v) * (u - v);
      }
      const k = kind == 0 ? xy : kind == 1 ? xy / Math.sqrt(xx * yy) : Math.exp(-dd * gamma);
      store<f64>(out + ((<usize>i * <usize>n + <usize>j) << 3), scale * k);
    }
  }
}

/** Euclidean distances of rows i < j in the order (0,1), (0,2), …, (1,2), …. */
export function pairwiseDistancesRef(x: usize, rows: i32, d: i32, out: usize): void {
  let o = out;
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) {
      let s: f64 = 0;
      for (let t = 0; t < d; t++) {
        const u = <f64>load<f32>(x + ((<usize>i * <usize>d + <usize>t) << 2)) - <f64>load<f32>(x + ((<usize>j * <usize>d + <usize>t) << 2));
        s += u * u;
      }
      store<f64>(o, Math.sqrt(s));
      o += 8;
    }
  }
}

/** gramRowF64's entries by the definition, summed in order. */
export function gramRowF64Ref(p: usize, n: i32, d: i32, i: i32, j0: i32, squared: i32, out: usize): void {
  for (let j = j0; j < n; j++) {
    let s: f64 = 0;
    for (let c = 0; c < d; c++) {
      const u = load<f64>(p + ((<usize>i * <usize>d + <usize>c) << 3)), v = load<f64>(p + ((<usize>j * <usize>d + <usize>c) << 3));
      s += squared ? (u - v) * (u - v) : u * v;
    }
    store<f64>(out + (<usize>(j - j0) << 3), s);
  }
}

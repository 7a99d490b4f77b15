// Level-1 BLAS on f32 with v128 SIMD bodies and scalar tails. Pointers may have
// any alignment: v128.load/store tolerate unaligned addresses.

/** sum(x[i]*y[i]) over n f32 values, accumulated in f32x4 lanes then reduced. */
export function sdot(n: i32, x: usize, y: usize): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  const acc = f32x4.add(acc0, acc1);
  let s: f32 =
    (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) +
    (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; i < n; i++) {
    const o = <usize>i << 2;
    s += load<f32>(x + o) * load<f32>(y + o);
  }
  return s;
}

/** y[i] += a*x[i] over n f32 values. */
export function saxpy(n: i32, a: f32, x: usize, y: usize): void {
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(av, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

/** sum(x[i]*y[i]) over n f64 values. */
export function ddot(n: i32, x: usize, y: usize): f64 {
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 3;
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  const acc = f64x2.add(acc0, acc1);
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    const o = <usize>i << 3;
    s += load<f64>(x + o) * load<f64>(y + o);
  }
  return s;
}

/** sum((x[i] − y[i])²) over n f64 values: a squared distance without the cancellation of ‖x‖² + ‖y‖² − 2xᵀy. */
export function dsqdist(n: i32, x: usize, y: usize): f64 {
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 3;
    const t0 = f64x2.sub(v128.load(x + o), v128.load(y + o));
    const t1 = f64x2.sub(v128.load(x + o, 16), v128.load(y + o, 16));
    acc0 = f64x2.add(acc0, f64x2.mul(t0, t0));
    acc1 = f64x2.add(acc1, f64x2.mul(t1, t1));
  }
  const acc = f64x2.add(acc0, acc1);
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    const t = load<f64>(x + (<usize>i << 3)) - load<f64>(y + (<usize>i << 3));
    s += t * t;
  }
  return s;
}

/** y[i] += a*x[i] over n f64 values. */
export function daxpy(n: i32, a: f64, x: usize, y: usize): void {
  const av = f64x2.splat(a);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(av, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + a * load<f64>(x + o));
  }
}

/** y = a*y over n f64 values. */
export function dscal(n: i32, a: f64, y: usize): void {
  for (let i = 0; i < n; i++) store<f64>(y + (<usize>i << 3), a * load<f64>(y + (<usize>i << 3)));
}

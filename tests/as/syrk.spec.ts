import { syrkAccumulate, gemmTNAccumulate, symmetrize } from '../../assembly/syrk';
import { sgemm } from '../../assembly/gemm-4x8';

function fill(ptr: usize, n: i32, seed: f64): void {
  for (let i = 0; i < n; i++) store<f32>(ptr + (<usize>i << 2), <f32>Math.sin(seed + <f64>i * 0.7));
}

describe('syrkAccumulate', () => {
  it('matches a scalar f64 loop on the upper triangle for awkward sizes', () => {
    const sizes: i32[] = [1, 3, 9, 17, 40];
    const rowsList: i32[] = [1, 5, 255, 257, 600];
    for (let a = 0; a < sizes.length; a++) {
      const D = sizes[a], rows = rowsList[a];
      const p = heap.alloc(<usize>(rows * D) << 2);
      const c = heap.alloc(<usize>(D * D) << 3);
      fill(p, rows * D, <f64>a);
      memory.fill(c, 0, <usize>(D * D) << 3);
      syrkAccumulate(p, rows, D, D, c, D, 0.5);
      let worst: f64 = 0;
      let lowerTouched = 0;
      for (let i = 0; i < D; i++) {
        for (let j = 0; j < D; j++) {
          const got = load<f64>(c + (<usize>(i * D + j) << 3));
          if (j < i) { if (got != 0) lowerTouched++; continue; }
          let ref: f64 = 0, mag: f64 = 0;
          for (let r = 0; r < rows; r++) {
            const x = <f64>load<f32>(p + (<usize>(r * D + i) << 2)) * <f64>load<f32>(p + (<usize>(r * D + j) << 2));
            ref += x; mag += Math.abs(x);
          }
          worst = Math.max(worst, Math.abs(got - 0.5 * ref) / (0.5 * mag + 1e-30));
        }
      }
      expect<f64>(worst).toBeLessThan(2e-6);
      expect<i32>(lowerTouched).toBe(0);
      symmetrize(c, D);
      let asym = 0;
      for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) {
        if (load<f64>(c + (<usize>(i * D + j) << 3)) != load<f64>(c + (<usize>(j * D + i) << 3))) asym++;
      }
      expect<i32>(asym).toBe(0);
      heap.free(p); heap.free(c);
    }
  });
});

describe('gemmTNAccumulate and sgemm', () => {
  it('agree with each other: AᵀB via TN equals sgemm on the transposed A', () => {
    const rows = 300, da = 13, db = 10;
    const a = heap.alloc(<usize>(rows * da) << 2), b = heap.alloc(<usize>(rows * db) << 2);
    const at = heap.alloc(<usize>(rows * da) << 2);
    const c = heap.alloc(<usize>(da * db) << 3), c32 = heap.alloc(<usize>(da * db) << 2);
    fill(a, rows * da, 1.0); fill(b, rows * db, 2.0);
    for (let r = 0; r < rows; r++) for (let i = 0; i < da; i++) {
      store<f32>(at + (<usize>(i * rows + r) << 2), load<f32>(a + (<usize>(r * da + i) << 2)));
    }
    memory.fill(c, 0, <usize>(da * db) << 3);
    gemmTNAccumulate(a, da, da, b, db, db, rows, c, db, 1.0);
    sgemm(da, db, rows, at, rows, b, db, c32, db, 0);
    let worst: f64 = 0;
    for (let k = 0; k < da * db; k++) {
      worst = Math.max(worst, Math.abs(load<f64>(c + (<usize>k << 3)) - <f64>load<f32>(c32 + (<usize>k << 2))));
    }
    expect<f64>(worst).toBeLessThan(1e-3);
    heap.free(a); heap.free(b); heap.free(at); heap.free(c); heap.free(c32);
  });
});

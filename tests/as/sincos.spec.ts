import { sincosF32, sincosScalar } from '../../assembly/sincos';

describe('sincosF32', () => {
  it('is within 2e-7 of Math.sin/Math.cos over |t| ≤ 1e4', () => {
    const n = 1 << 16;
    const t = heap.alloc(<usize>n << 2), c = heap.alloc(<usize>n << 2), s = heap.alloc(<usize>n << 2);
    for (let i = 0; i < n; i++) store<f32>(t + (<usize>i << 2), <f32>((<f64>i / <f64>n * 2.0 - 1.0) * 1e4));
    sincosF32(t, n, 1.0, c, s);
    let ec: f64 = 0, es: f64 = 0;
    for (let i = 0; i < n; i++) {
      const x = <f64>load<f32>(t + (<usize>i << 2));
      ec = Math.max(ec, Math.abs(<f64>load<f32>(c + (<usize>i << 2)) - Math.cos(x)));
      es = Math.max(es, Math.abs(<f64>load<f32>(s + (<usize>i << 2)) - Math.sin(x)));
    }
    expect<f64>(ec).toBeLessThanOrEqual(2e-7);
    expect<f64>(es).toBeLessThanOrEqual(2e-7);
    heap.free(t); heap.free(c); heap.free(s);
  });

  it('gives the scalar tail path bit-identical results to the SIMD lanes', () => {
    const n = 4096;
    const t = heap.alloc(<usize>n << 2), c = heap.alloc(<usize>n << 2), s = heap.alloc(<usize>n << 2);
    const c1 = heap.alloc(4), s1 = heap.alloc(4);
    for (let i = 0; i < n; i++) store<f32>(t + (<usize>i << 2), <f32>(Math.sin(<f64>i) * 3000.0));
    sincosF32(t, n, 0.125, c, s);
    let mismatches = 0;
    for (let i = 0; i < n; i++) {
      sincosScalar(load<f32>(t + (<usize>i << 2)), 0.125, c1, s1);
      if (reinterpret<u32>(load<f32>(c1)) != reinterpret<u32>(load<f32>(c + (<usize>i << 2)))) mismatches++;
      if (reinterpret<u32>(load<f32>(s1)) != reinterpret<u32>(load<f32>(s + (<usize>i << 2)))) mismatches++;
    }
    expect<i32>(mismatches).toBe(0);
    heap.free(t); heap.free(c); heap.free(s); heap.free(c1); heap.free(s1);
  });

  it('handles quadrant boundaries and signed zero', () => {
    const c = heap.alloc(4), s = heap.alloc(4);
    sincosScalar(0, 1.0, c, s);
    expect<f32>(load<f32>(c)).toBe(1);
    expect<f32>(load<f32>(s)).toBe(0);
    sincosScalar(<f32>Math.PI, 1.0, c, s);
    expect<f64>(Math.abs(<f64>load<f32>(c) + 1.0)).toBeLessThan(1e-7);
    sincosScalar(<f32>(-Math.PI / 2), 1.0, c, s);
    expect<f64>(Math.abs(<f64>load<f32>(s) + 1.0)).toBeLessThan(1e-7);
    heap.free(c); heap.free(s);
  });
});

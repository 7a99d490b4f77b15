import { sdot, saxpy, ddot, daxpy } from '../../assembly/blas1';

function fill32(ptr: usize, n: i32, seed: f32): void {
  for (let i = 0; i < n; i++) store<f32>(ptr + (<usize>i << 2), <f32>Math.sin(<f64>(seed + <f32>i)));
}

describe('sdot', () => {
  it('matches a scalar loop over lengths 0..67 and unaligned starts', () => {
    const x = heap.alloc(80 * 4), y = heap.alloc(80 * 4);
    fill32(x, 80, 1); fill32(y, 80, 2);
    for (let n = 0; n < 68; n++) {
      for (let off = 0; off < 4; off++) {
        const px = x + (<usize>off << 2), py = y + (<usize>off << 2);
        let ref: f64 = 0;
        for (let i = 0; i < n; i++) ref += <f64>load<f32>(px + (<usize>i << 2)) * <f64>load<f32>(py + (<usize>i << 2));
        expect<f64>(Math.abs(<f64>sdot(n, px, py) - ref)).toBeLessThan(1e-5);
      }
    }
    heap.free(x); heap.free(y);
  });
});

describe('saxpy', () => {
  it('updates exactly n entries', () => {
    const x = heap.alloc(40 * 4), y = heap.alloc(40 * 4);
    fill32(x, 40, 3); fill32(y, 40, 4);
    const before = load<f32>(y + 4 * 37);
    saxpy(37, 2, x, y);
    expect<f32>(load<f32>(y + 4 * 37)).toBe(before);
    heap.free(x); heap.free(y);
  });
});

describe('ddot/daxpy', () => {
  it('agree with scalar f64 loops', () => {
    const x = heap.alloc(33 * 8), y = heap.alloc(33 * 8);
    for (let i = 0; i < 33; i++) { store<f64>(x + (<usize>i << 3), <f64>i); store<f64>(y + (<usize>i << 3), 1.0); }
    expect<f64>(ddot(33, x, y)).toBe(528);
    daxpy(33, 2, x, y);
    expect<f64>(load<f64>(y + 32 * 8)).toBe(65);
    heap.free(x); heap.free(y);
  });
});

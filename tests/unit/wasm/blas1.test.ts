import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import * as blas1 from '../../../src/wasm/blas1.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

test('sdot matches a plain loop for lengths 0..1025 at every alignment', () => {
  for (let n = 0; n <= 1025; n++) {
    const off = n % 4;
    const xs = randomF32(n + off, n),
      ys = randomF32(n + off, 5000 + n);
    const x = memory.f32(n + off).set(xs),
      y = memory.f32(n + off).set(ys);
    let ref = 0,
      mag = 0;
    for (let i = 0; i < n; i++) {
      ref += xs[off + i] * ys[off + i];
      mag += Math.abs(xs[off + i] * ys[off + i]);
    }
    const got = blas1.sdot(n, x, y, off, off);
    assert.ok(Math.abs(got - ref) <= 1e-6 * mag + 1e-30, `n=${n}: ${got} vs ${ref}`);
    x.free();
    y.free();
  }
});

test('saxpy matches a plain loop for lengths 0..1025 at every alignment', () => {
  for (let n = 0; n <= 1025; n++) {
    const off = (n * 3) % 4;
    const xs = randomF32(n + off, 7 * n),
      ys = randomF32(n + off, 9 * n + 1);
    const x = memory.f32(n + off).set(xs),
      y = memory.f32(n + off).set(ys);
    blas1.saxpy(n, -1.25, x, y, off, off);
    const got = y.view;
    for (let i = 0; i < off; i++) assert.equal(got[i], ys[i], 'prefix untouched');
    for (let i = 0; i < n; i++) assert.equal(got[off + i], Math.fround(ys[off + i] + Math.fround(-1.25 * xs[off + i])));
    x.free();
    y.free();
  }
});

test('ddot and daxpy on f64', () => {
  const n = 1001;
  const xs = Float64Array.from(randomF32(n, 1)),
    ys = Float64Array.from(randomF32(n, 2));
  const x = memory.f64(n).set(xs),
    y = memory.f64(n).set(ys);
  let ref = 0;
  for (let i = 0; i < n; i++) ref += xs[i] * ys[i];
  assert.ok(Math.abs(blas1.ddot(n, x, y) - ref) < 1e-12);
  blas1.daxpy(n, 2, x, y);
  for (let i = 0; i < n; i++) assert.equal(y.view[i], ys[i] + 2 * xs[i]);
  x.free();
  y.free();
});

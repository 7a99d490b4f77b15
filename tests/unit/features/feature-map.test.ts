// The feature map φ of the covariance routes (docs/design.md §1): x/‖x‖ for cosine, x for
// linear, m^(−1/2)·[cos(xω), sin(xω)] for the Gaussian with ω ~ N(0, σ⁻²) drawn from the
// seed — each against an f64 evaluation of that formula here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { FeatureMap, copyRows } from '../../../src/features/feature-map.js';
import { MIN_RFF_SIGMA, type Kernel } from '../../../src/features/kernel.js';
import * as memory from '../../../src/wasm/memory.js';
import { gaussianOmega } from '../../../src/wasm/rng.js';
import { InputError } from '../../../src/errors.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

const cosine: Kernel = { type: 'cosine', sigma: 0, rffDim: 0 };
const linear: Kernel = { type: 'linear', sigma: 0, rffDim: 0 };

function features(map: FeatureMap, x: Float32Array, rows: number): number[] {
  const X = memory.f32(x.length).set(x),
    out = memory.f32(rows * map.D);
  try {
    map.apply(X, rows, out, 0, 'X');
    return Array.from(out.view);
  } finally {
    X.free();
    out.free();
  }
}

test('cosine and linear maps: φ(x) = x/‖x‖ and φ(x) = x, D = d', () => {
  const rows = 7,
    d = 13;
  const x = randomF32(rows * d, 1);
  const c = new FeatureMap(cosine, d, 0),
    l = new FeatureMap(linear, d, 0);
  assert.equal(c.D, d);
  assert.equal(l.D, d);
  const got = features(c, x, rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
    for (let j = 0; j < d; j++) {
      const want = x[i * d + j] / Math.sqrt(s);
      assert.ok(Math.abs(got[i * d + j] - want) <= 1.2e-7 * Math.abs(want), `cosine (${i}, ${j}): ${got[i * d + j]} vs ${want}`);
    }
  }
  assert.deepEqual(features(l, x, rows), Array.from(x));
  c.free();
  l.free();
});

test('random Fourier features: D = 2m, cos block then sin block, scaled by m^(−1/2); ω fixed by (d, m, σ, seed)', () => {
  const rows = 5,
    d = 9,
    m = 40,
    sigma = 1.7,
    seed = 3;
  const k: Kernel = { type: 'gaussian', sigma, rffDim: m };
  const x = randomF32(rows * d, 2);
  const map = new FeatureMap(k, d, seed);
  assert.equal(map.D, 2 * m);
  const got = features(map, x, rows);
  const w = gaussianOmega(d, m, sigma, seed);
  const omega = w.toArray();
  w.free();
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < m; j++) {
      let t = 0,
        mag = 0;
      for (let p = 0; p < d; p++) {
        t += x[i * d + p] * omega[p * m + j];
        mag += Math.abs(x[i * d + p] * omega[p * m + j]);
      }
      // the projection runs in f32 (sgemm): its error grows with Σ|x·ω|
      const tol = (1e-6 * mag + 2e-7) / Math.sqrt(m);
      assert.ok(Math.abs(got[i * 2 * m + j] - Math.cos(t) / Math.sqrt(m)) <= tol, `cos (${i}, ${j})`);
      assert.ok(Math.abs(got[i * 2 * m + m + j] - Math.sin(t) / Math.sqrt(m)) <= tol, `sin (${i}, ${j})`);
    }
  }
  // the map built alike embeds alike (the two sides of SPEC, the two sets of FINC); another seed does not
  const twin = new FeatureMap(k, d, seed),
    other = new FeatureMap(k, d, seed + 1);
  assert.deepEqual(features(twin, x, rows), got);
  assert.notDeepEqual(features(other, x, rows), got);
  // each φ(x) has unit norm: cos² + sin² = 1 over m pairs, scaled by 1/m
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < 2 * m; j++) s += got[i * 2 * m + j] ** 2;
    assert.ok(Math.abs(s - 1) < 1e-5, `‖φ(x_${i})‖² = ${s}`);
  }
  map.free();
  twin.free();
  other.free();
  map.free(); // a second free is harmless
});

test('apply honours the row offsets and the output stride', () => {
  const d = 4,
    rows = 3,
    ld = 7,
    outOffset = 2,
    xOffset = 2 * d;
  const x = randomF32(xOffset + rows * d, 3);
  const map = new FeatureMap(linear, d, 0);
  const X = memory.f32(x.length).set(x),
    out = memory.f32(outOffset + rows * ld).set(new Float32Array(outOffset + rows * ld).fill(-9));
  map.apply(X, rows, out, 0, 'X', outOffset, ld, xOffset);
  const got = out.toArray();
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < ld; j++) {
      const v = got[outOffset + i * ld + j];
      assert.equal(v, j < d ? x[xOffset + i * d + j] : -9, `(${i}, ${j})`);
    }
  }
  assert.equal(got[0], -9);
  X.free();
  out.free();
  map.free();
});

test("bad rows are named by the caller's source and the global row", () => {
  const d = 3,
    rows = 4;
  const x = randomF32(rows * d, 4);
  x[2 * d + 1] = Infinity;
  for (const k of [cosine, linear, { type: 'gaussian', sigma: 1, rffDim: 8 } as Kernel]) {
    const map = new FeatureMap(k, d, 0);
    const X = memory.f32(x.length).set(x),
      out = memory.f32(rows * map.D);
    assert.throws(
      () => map.apply(X, rows, out, 100, 'big.npy'),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.equal(e.source, 'big.npy');
        assert.equal(e.message, 'big.npy: non-finite value Infinity at row 103, column 2 (1-based)');
        return true;
      },
      k.type,
    );
    X.free();
    out.free();
    map.free();
  }
  const z = randomF32(rows * d, 5);
  z.fill(0, d, 2 * d);
  const map = new FeatureMap(cosine, d, 0);
  const X = memory.f32(z.length).set(z),
    out = memory.f32(rows * d);
  assert.throws(() => map.apply(X, rows, out, 0, 'Y'), /^InputError: Y: row 2 \(1-based\) is all zeros: the cosine kernel needs non-zero rows$/);
  X.free();
  out.free();
  map.free();
});

test('a σ too small for float32 frequencies is refused, naming the side', () => {
  assert.equal(MIN_RFF_SIGMA, 1e-37);
  assert.throws(
    () => new FeatureMap({ type: 'gaussian', sigma: 1e-38, rffDim: 4 }, 2, 0, 'Y'),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(
        e.message,
        'sigma of kernelY = 1e-38 is too small for random Fourier features: the frequencies ω ~ N(0, 1/σ²) overflow float32 (sigma must be ≥ 1e-37)',
      );
      return true;
    },
  );
  assert.throws(() => new FeatureMap({ type: 'gaussian', sigma: NaN, rffDim: 4 }, 2, 0), /sigma of kernel = NaN is too small/);
  new FeatureMap({ type: 'gaussian', sigma: MIN_RFF_SIGMA, rffDim: 4 }, 2, 0).free();
});

test('copyRows copies rows [r0, r0 + rows), converting f64 to f32', () => {
  const m = { data: Float64Array.from({ length: 15 }, (_, i) => i + 1 / 3), rows: 5, cols: 3 };
  const dst = memory.f32(6);
  copyRows(m, 2, 2, dst);
  assert.deepEqual(Array.from(dst.view), Array.from(m.data.subarray(6, 12), Math.fround));
  dst.free();
});

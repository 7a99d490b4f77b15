import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import * as features from '../../../src/wasm/features.js';
import * as rng from '../../../src/wasm/rng.js';
import { loadFixture } from '../../fixtures/kernels/load.mjs';
import { randomF32 } from '../../shared/rng.mjs';

await init();

test('cosine and linear features match NumPy', () => {
  for (const c of loadFixture('features').filter((c: any) => c.map !== 'rff')) {
    const { rows, d } = c;
    const X = memory.f32(rows * d).set(c.X),
      out = memory.f32(rows * d);
    if (c.map === 'cosine') features.featuresCosine(X, rows, d, out);
    else features.featuresLinear(X, rows, d, out);
    const got = out.view;
    for (let i = 0; i < rows * d; i++) {
      assert.ok(Math.abs(got[i] - c.expected[i]) <= 1.2e-7 * Math.abs(c.expected[i]), `${c.map} ${rows}x${d} [${i}]`);
    }
    X.free();
    out.free();
  }
});

test('RFF features match NumPy cos/sin of Xω for a stored ω (cos block first)', () => {
  for (const c of loadFixture('features').filter((c: any) => c.map === 'rff')) {
    const { rows, d, m } = c;
    const X = memory.f32(rows * d).set(c.X),
      W = memory.f32(d * m).set(c.omega),
      out = memory.f32(rows * 2 * m);
    features.featuresRff(X, rows, d, W, m, out);
    const got = out.view;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < m; j++) {
        let mag = 0; // error of the f32 projection t = xω
        for (let p = 0; p < d; p++) mag += Math.abs(c.X[i * d + p] * c.omega[p * m + j]);
        const tol = (1e-6 * mag + 2e-7) / Math.sqrt(m);
        for (const off of [0, m]) {
          const k = i * 2 * m + off + j;
          assert.ok(Math.abs(got[k] - c.expected[k]) <= tol, `rff ${rows}x${d}→${m} (${i},${off + j}): ${got[k]} vs ${c.expected[k]}`);
        }
      }
    }
    X.free();
    W.free();
    out.free();
  }
});

test('RFF with the seeded ω matches a JS float64 reference and honours ldOut/offsets', () => {
  const rows = 9,
    d = 17,
    m = 37,
    ld = 2 * m + 5,
    rowOffset = 100;
  const x = randomF32(rows * d + 3, 5);
  const W = rng.gaussianOmega(d, m, 1.5, 11);
  const w = W.toArray();
  const X = memory.f32(x.length).set(x),
    out = memory.f32(1 + rows * ld);
  out.view.fill(-9);
  features.featuresRff(X, rows, d, W, m, out, rowOffset, { xOffset: 3, outOffset: 1, ldOut: ld });
  const g = out.view;
  assert.equal(g[0], -9);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < m; j++) {
      let t = 0;
      for (let p = 0; p < d; p++) t += x[3 + i * d + p] * w[p * m + j];
      const base = 1 + i * ld;
      assert.ok(Math.abs(g[base + j] - Math.cos(t) / Math.sqrt(m)) < 2e-6);
      assert.ok(Math.abs(g[base + m + j] - Math.sin(t) / Math.sqrt(m)) < 2e-6);
    }
    for (let j = 2 * m; j < ld && 1 + i * ld + j < g.length; j++) assert.equal(g[1 + i * ld + j], -9, 'padding untouched');
  }
  X.free();
  W.free();
  out.free();
});

test('E[φ(x)ᵀφ(y)] ≈ exp(−‖x−y‖²/2σ²) with m = 20000 random features', () => {
  const d = 8,
    m = 20000,
    sigma = 1.3,
    rows = 6;
  const x = randomF32(rows * d, 21);
  const W = rng.gaussianOmega(d, m, sigma, 2024);
  const X = memory.f32(rows * d).set(x),
    out = memory.f32(rows * 2 * m);
  features.featuresRff(X, rows, d, W, m, out);
  const phi = out.view;
  for (let a = 0; a < rows; a++) {
    for (let b = a; b < rows; b++) {
      let dot = 0,
        d2 = 0;
      for (let k = 0; k < 2 * m; k++) dot += phi[a * 2 * m + k] * phi[b * 2 * m + k];
      for (let p = 0; p < d; p++) d2 += (x[a * d + p] - x[b * d + p]) ** 2;
      const exact = Math.exp(-d2 / (2 * sigma * sigma));
      // Monte-Carlo error ~ 1/sqrt(2m) ≈ 0.005
      assert.ok(Math.abs(dot - exact) < 0.025, `(${a},${b}) ${dot} vs ${exact}`);
      if (a === b) assert.ok(Math.abs(dot - 1) < 1e-5, 'k(x,x) = 1 exactly up to rounding');
    }
  }
  X.free();
  W.free();
  out.free();
});

test('vectorised sin/cos: max abs error ≤ 2e-7 over |t| ≤ 1e4 (and at the edges)', () => {
  const N = 1 << 20;
  const t = new Float32Array(N + 3);
  for (let i = 0; i < N; i++) t[i] = Math.fround(((i / N) * 2 - 1) * 1e4);
  t.set([1e4, -1e4, Math.fround(Math.PI / 4)], N);
  const special = [0, -0, Math.fround(Math.PI / 2), Math.fround(Math.PI), 1e-30, 3e-5];
  t.set(special, 10);
  const T = memory.f32(t.length).set(t),
    C = memory.f32(t.length),
    S = memory.f32(t.length);
  features.sincos(T, t.length, 1, C, S);
  const c = C.view,
    s = S.view;
  let ec = 0,
    es = 0;
  for (let i = 0; i < t.length; i++) {
    ec = Math.max(ec, Math.abs(c[i] - Math.cos(t[i])));
    es = Math.max(es, Math.abs(s[i] - Math.sin(t[i])));
  }
  assert.ok(ec <= 2e-7 && es <= 2e-7, `cos ${ec}, sin ${es}`);
  // in place (outCos aliasing t), with a scale
  features.sincos(T, t.length, 0.5, T, S);
  const c2 = T.view;
  for (let i = 0; i < t.length; i += 997) assert.equal(c2[i], Math.fround(c[i] * 0.5));
  T.free();
  C.free();
  S.free();
});

test('bad rows raise InputError naming the GLOBAL row index', () => {
  const rows = 6,
    d = 5;
  const x = randomF32(rows * d, 1);
  const out = memory.f32(rows * 2 * 4);
  const W = rng.gaussianOmega(d, 4, 1, 1);
  // zero row under cosine
  const z = x.slice();
  z.fill(0, 3 * d, 4 * d);
  let X = memory.f32(rows * d).set(z);
  assert.throws(
    () => features.featuresCosine(X, rows, d, out, 1000),
    (e: any) => e.name === 'InputError' && /row 1004 \(1-based\) is all zeros: the cosine kernel needs non-zero rows/.test(e.message),
  );
  features.featuresLinear(X, rows, d, out, 1000); // zero rows are fine for linear
  X.free();
  for (const bad of [NaN, Infinity, -Infinity]) {
    const y = x.slice();
    y[4 * d + 2] = bad;
    y[5 * d] = bad; // first bad: row 4, column 2
    X = memory.f32(rows * d).set(y);
    for (const run of [
      () => features.featuresCosine(X, rows, d, out, 17),
      () => features.featuresLinear(X, rows, d, out, 17),
      () => features.featuresRff(X, rows, d, W, 4, out, 17, { source: 'X' }),
    ]) {
      assert.throws(run, (e: any) => e.name === 'InputError' && e.message.includes(`non-finite value ${bad} at row 22, column 3 (1-based)`));
    }
    assert.equal(features.firstNonFinite(X, rows, d), 4);
    X.free();
  }
  const tiny = memory.f32(1);
  assert.throws(() => features.featuresRff(tiny, 1, 5, W, 4, out, 0, { source: 'X' }), RangeError);
  tiny.free();
  W.free();
  out.free();
});

test('unitRowsInPlace: the bits of a JavaScript f64 loop (k-NN rows), zero rows stay zero, the others unit length', () => {
  for (const d of [1, 3, 4, 7, 16, 130]) {
    const rows = 9;
    const data = randomF32(rows * d, 40 + d);
    for (let j = 0; j < d; j++) data[3 * d + j] = 0; // a zero row
    for (let j = 0; j < d; j++) data[5 * d + j] *= 1e-20; // tiny values: the f64 norm keeps them
    const X = memory.f32(rows * d).set(data);
    features.unitRowsInPlace(X, rows, d);
    const want = new Float32Array(rows * d);
    for (let r = 0; r < rows; r++) {
      let ss = 0;
      for (let j = 0; j < d; j++) ss += data[r * d + j] * data[r * d + j];
      const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
      for (let j = 0; j < d; j++) want[r * d + j] = data[r * d + j] * inv;
    }
    assert.deepEqual(Array.from(X.view), Array.from(want), `d = ${d}`);
    for (let r = 0; r < rows; r++) {
      let n2 = 0;
      for (let j = 0; j < d; j++) n2 += X.view[r * d + j] ** 2;
      if (r === 3) assert.equal(n2, 0);
      else assert.ok(Math.abs(Math.sqrt(n2) - 1) < 1e-6, `row ${r} has unit length`);
    }
    X.free();
  }
});

// The dense-vs-Lanczos decision (denseIsCheaper, docs/design.md "Dense or Lanczos"):
// where k is a large fraction of n the whole operator goes to syev, on both the
// exact route's dense Λ and the covariance route's Θ = R S Rᵀ, with the spectrum
// of numpy.linalg.eigh / eigvals(J·C) (scripts/fixtures/bounds.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from '../../../src/index.js';
import { parseNpy } from '../../../src/io/index.js';
import { f64 } from '../../../src/wasm/memory.js';
import { extremeEigs } from '../../../src/solve/eigen.js';
import { denseIsCheaper } from '../../../src/solve/dense.js';
import { covarianceEigs } from '../../../src/solve/covariance-eigs.js';

await init();
const F = (name: string) => new URL(`../../fixtures/eigen/${name}`, import.meta.url);
const ref = JSON.parse(readFileSync(F('switch.json'), 'utf8'));
const npy = (name: string) => parseNpy(new Uint8Array(readFileSync(F(name))), name);

test('cost model: syev from k ≈ 0.18 n (measured: faster from k = 0.25 n), Lanczos for few pairs', () => {
  assert.equal(denseIsCheaper(300, 100), true);
  assert.equal(denseIsCheaper(3000, 3000), true);
  assert.equal(denseIsCheaper(3000, 10), false);
  assert.equal(denseIsCheaper(1000, 250), true);
  assert.equal(denseIsCheaper(1000, 100), false);
  assert.equal(denseIsCheaper(1000, 190), true);
  assert.equal(denseIsCheaper(1000, 180), false);
  assert.equal(denseIsCheaper(100000, 100000), false, 'beyond DENSE_MAX syev does not fit');
});

test("dense Λ, n = 300, k = 100: solved by syev, eigenvalues = numpy eigh to 1e-6, top vector ± eigh's", () => {
  const n = ref.n,
    k = 100;
  const A = f64(n * n);
  try {
    A.view.set(npy('switch_A.npy').data);
    const r = extremeEigs({ kind: 'dense', A, n }, k, { seed: 3 });
    // syev's signature: no restarts, one residual check per pair (Lanczos restarts at least once here)
    assert.equal(r.restarts, 0);
    assert.equal(r.matvecs, 2 * k);
    const w: number[] = ref.eigh;
    const scale = Math.max(...w.map(Math.abs));
    for (let i = 0; i < k; i++) {
      assert.ok(Math.abs(r.values[i] - w[n - 1 - i]) <= 1e-6 * scale, `top ${i}: ${r.values[i]} vs ${w[n - 1 - i]}`);
      assert.ok(Math.abs(r.values[k + i] - w[i]) <= 1e-6 * scale, `bottom ${i}: ${r.values[k + i]} vs ${w[i]}`);
    }
    let d = 0;
    for (let i = 0; i < n; i++) d += r.vectors[0][i] * ref.v0[i];
    assert.ok(Math.abs(Math.abs(d) - 1) <= 1e-6, `|<v, v_eigh>| = ${Math.abs(d)}`);
    assert.ok(Math.max(...r.residuals) <= 1e-10 * scale);
  } finally {
    A.free();
  }
});

test('covariance J·C, D = 300, k = 90: Θ solved whole, eigenvalues = numpy eigvals(J·C) to 1e-6, J·C·v = λv', () => {
  const D = ref.n,
    k = 90,
    dx = ref.dx; // basis 270 < 300: Lanczos would restart
  const Cm = npy('switch_C.npy');
  const C = f64(D * D);
  try {
    C.view.set(Cm.data);
    const r = covarianceEigs(C, D, dx, k, 1, false);
    assert.equal(r.restarts, 0);
    assert.equal(r.matvecs, r.rank, 'Θ formed by one application per column');
    const jc: number[] = ref.jc;
    const scale = Math.max(...jc.map(Math.abs));
    for (let i = 0; i < k; i++) {
      assert.ok(Math.abs(r.values[i] - jc[D - 1 - i]) <= 1e-6 * scale, `top ${i}: ${r.values[i]} vs ${jc[D - 1 - i]}`);
      assert.ok(Math.abs(r.values[k + i] - jc[i]) <= 1e-6 * scale, `bottom ${i}: ${r.values[k + i]} vs ${jc[i]}`);
    }
    // J·C·v = λv with vᵀCv = 1 for the first pair of each list (C from the file: covarianceEigs overwrote its copy)
    for (const j of [0, k]) {
      const v = r.vectors[j],
        lam = r.values[j];
      let vcv = 0,
        err = 0;
      const Cv = new Float64Array(D);
      for (let a = 0; a < D; a++) {
        let s = 0;
        for (let b = 0; b < D; b++) s += Cm.data[a * D + b] * v[b];
        Cv[a] = s;
        vcv += v[a] * s;
      }
      for (let a = 0; a < D; a++) err = Math.max(err, Math.abs((a < dx ? 1 : -1) * Cv[a] - lam * v[a]));
      assert.ok(Math.abs(vcv - 1) <= 1e-8, `vᵀCv = ${vcv}`);
      assert.ok(err <= 1e-8 * scale, `‖JCv − λv‖∞ = ${err}`);
    }
  } finally {
    C.free();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from '../../src/index.js';
import { memory, cholesky } from '../shared/internal.js';
import { mulberry32 } from '../shared/rng.mjs';

await init();

const fx = JSON.parse(readFileSync(new URL('../fixtures/eigen/potrf.json', import.meta.url), 'utf8'));
const f64 = (b64: string) => { const b = Buffer.from(b64, 'base64'); return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8).slice(); };

function gram(R: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let t = 0; t < n; t++) for (let i = 0; i < n; i++) { const r = R[t * n + i]; if (r !== 0) for (let j = 0; j < n; j++) out[i * n + j] += r * R[t * n + j]; }
  return out;
}
const maxAbs = (a: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i])); return m; };

for (const c of fx.cases) {
  test(`potrf ${c.name} agrees with scipy.linalg.cholesky`, () => {
    const n = c.n, a = f64(c.A);
    const A = memory.f64(n * n).set(a);
    const { jitter } = cholesky.potrf(A, n);
    const R = A.toArray();
    A.free();
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) assert.equal(R[i * n + j], 0, 'strict lower triangle is zeroed');
    const G = gram(R, n);
    const scale = maxAbs(a);
    if (c.singular) {
      assert.ok(jitter > 0, 'a singular matrix needs a jitter');
      let tr = 0; for (let i = 0; i < n; i++) tr += a[i * n + i];
      assert.ok(jitter <= 1e-6 * tr / n, `jitter ${jitter} stays small`);
      for (let i = 0; i < n; i++) a[i * n + i] += jitter;
    } else {
      assert.equal(jitter, 0);
    }
    let err = 0; for (let i = 0; i < n * n; i++) err = Math.max(err, Math.abs(G[i] - a[i]));
    assert.ok(err <= 1e-13 * n * scale, `‖RᵀR − A‖ = ${err}`);
    if (c.R) {
      const ref = f64(c.R);
      const tol = c.name.startsWith('ill') ? 1e-4 : 1e-11;
      let e = 0; for (let i = 0; i < n * n; i++) e = Math.max(e, Math.abs(R[i] - ref[i]));
      assert.ok(e <= tol * maxAbs(ref), `R differs from SciPy by ${e}`);
    }
    if (c.Rdiag) for (let i = 0; i < n; i++) assert.ok(Math.abs(R[i * n + i] - c.Rdiag[i]) <= 1e-11 * Math.abs(c.Rdiag[i]));
  });
}

test('potrf crosses several 64-row panels and SIMD tails (n = 257, seeded)', () => {
  const n = 257, r = mulberry32(9);
  const B = new Float64Array(n * n).map(() => r() * 2 - 1);
  const a = gram(B, n); for (let i = 0; i < n; i++) a[i * n + i] += 1;
  const A = memory.f64(n * n).set(a);
  assert.equal(cholesky.potrf(A, n).jitter, 0);
  const G = gram(A.toArray(), n);
  A.free();
  let err = 0; for (let i = 0; i < n * n; i++) err = Math.max(err, Math.abs(G[i] - a[i]));
  assert.ok(err <= 1e-12 * maxAbs(a), `reconstruction error ${err}`);
});

test('potrf rejects NaN and grows the jitter for an indefinite matrix', () => {
  const A = memory.f64(4).set([1, NaN, NaN, 1]);
  assert.throws(() => cholesky.potrf(A, 2), RangeError);
  A.set([1, 0, 0, -1e-9]);
  const { jitter } = cholesky.potrf(A, 2);
  assert.ok(jitter > 1e-9 && jitter < 1e-7, `jitter ${jitter}`);
  A.free();
  assert.deepEqual(cholesky.potrf(memory.f64(0), 0), { jitter: 0 });
});

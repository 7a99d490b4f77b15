// Both routes are exact on singular and near-singular covariances and scale-free
// under the cosine kernel. References: numpy
// eigvalsh of the explicit n × n Λ (scripts/fixtures/make_singular_fixtures.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compare } from '../../src/index.js';
import { parseNpy } from '../../src/io/index.js';

const dir = new URL('../fixtures/singular/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8'));
const load = (name: string) => parseNpy(new Uint8Array(readFileSync(new URL(name, dir))), name);

for (const [name, c] of Object.entries<any>(cases)) {
  for (const method of ['exact', 'covariance'] as const) {
    test(`${name}: ${method} route eigenvalues equal numpy's within 1e-6·‖Λ‖`, async () => {
      const X = load(`${name}.x.npy`),
        Y = load(`${name}.y.npy`);
      const res = await compare(X, Y, { kernel: c.kernel, eta: c.eta, topK: 5, method });
      const tol = 1e-6 * c.norm;
      assert.ok(Math.abs(res.specDiff.norm - c.norm) <= tol, `norm ${res.specDiff.norm} vs ${c.norm}`);
      const xs = res.modes.filter((m) => m.side === 'x').map((m) => m.eigenvalue);
      const ys = res.modes.filter((m) => m.side === 'y').map((m) => m.eigenvalue);
      // every reported mode is a real eigenvalue, in order; every clear one is reported
      const clearTop = c.top.filter((v: number) => v > 1e-5 * c.norm);
      const clearBottom = c.bottom.filter((v: number) => v < -1e-5 * c.norm);
      assert.ok(xs.length >= clearTop.length && ys.length >= clearBottom.length, `modes x ${xs.length}, y ${ys.length}`);
      xs.forEach((v, i) => assert.ok(Math.abs(v - c.top[i]) <= tol, `x${i + 1}: ${v} vs ${c.top[i]}`));
      ys.forEach((v, i) => assert.ok(Math.abs(v - c.bottom[i]) <= tol, `y${i + 1}: ${v} vs ${c.bottom[i]}`));
      assert.ok(res.modes.length <= c.n, 'no more modes than eigenvalues');
    });
  }
}

// Snapshots written by an earlier release (format 2, main at ed1a0a0) still
// deserialize and solve to NumPy's eigenvalues: the sums' layout may be
// refactored, the bytes users stored may not break. Fixtures and reference:
// scripts/fixtures/snapshots.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, SpecAccumulator, FincAccumulator } from '../../../src/index.js';

await init();
const dir = new URL('../../fixtures/snapshots/', import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8'));

/** The k largest, then the k most negative, of a descending spectrum (the modes' order). */
function ends(desc: number[], k: number): number[] {
  return [...desc.slice(0, k), ...desc.slice(-k).reverse()];
}

test('a format-2 SPEC snapshot from an earlier release solves to the eigenvalues of KX − η·KY (NumPy)', async () => {
  const acc = await SpecAccumulator.deserialize(bytes('spec.snap'));
  try {
    assert.equal(acc.n, expected.n);
    const sol = acc.solve({ topK: 3 });
    const want = ends(expected.specEigenvalues, 3);
    assert.equal(sol.eigenvalues.length, want.length);
    sol.eigenvalues.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `eigenvalue ${i}: ${v} vs ${want[i]}`));
  } finally {
    acc.dispose();
  }
});

test('a format-2 FINC snapshot from an earlier release solves to the eigenvalues of CX − η·CY (NumPy)', async () => {
  const acc = await FincAccumulator.deserialize(bytes('finc.snap'));
  try {
    assert.equal(acc.nx, expected.nx);
    assert.equal(acc.ny, expected.ny);
    const sol = acc.solve({ topK: 2 });
    const want = ends(expected.fincEigenvalues, 2);
    assert.equal(sol.eigenvalues.length, want.length);
    sol.eigenvalues.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `eigenvalue ${i}: ${v} vs ${want[i]}`));
  } finally {
    acc.dispose();
  }
});

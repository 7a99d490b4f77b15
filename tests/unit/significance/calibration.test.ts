// Does the held-out p-value mean what it says? On near-null data (two independent
// high-dimensional isotropic embeddings, whose population modes are ±1/p, far below the
// sampling noise of the top mode) the top mode's replication p-values must rarely fall
// below 0.05; on planted data (a cluster only X has) the planted mode replicates
// (p < 0.01, stability > 0.9) and the noise modes are flagged weak. Determinism: the same
// seed gives identical evidence on repeats and on 1 or 2 threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { compare } from '../../../src/methods/compare.js';
import { mulberry32 } from '../../shared/rng.mjs';

await init();

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** n rows of p independent N(0, 1) per side; `shift` added to column 0 of X's rows i % every === 0. */
function data(n: number, p: number, seed: number, shift = 0, every = 3) {
  const r = mulberry32(seed);
  const X = new Float32Array(n * p),
    Y = new Float32Array(n * p);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < p; j++) {
      X[i * p + j] = gauss(r) + (j === 0 && i % every === 0 ? shift : 0);
      Y[i * p + j] = gauss(r);
    }
  return [
    { data: X, rows: n, cols: p },
    { data: Y, rows: n, cols: p },
  ] as const;
}

test('near-null: the top mode replicates (p < 0.05) in at most 7% of 200 seeded cases', async () => {
  const ps: number[] = [];
  for (let c = 0; c < 200; c++) {
    const [X, Y] = data(40, 200, 1000 + c);
    const r = await compare(X, Y, { kernel: 'cosine', method: 'covariance', topK: 1, significance: { splits: 6, seed: c } });
    ps.push(r.modes.find((m) => m.side === 'x')!.significance!.heldOut!.pValue);
  }
  ps.sort((a, b) => a - b);
  const below = ps.filter((p) => p < 0.05).length / ps.length;
  assert.ok(below <= 0.07, `${(100 * below).toFixed(1)}% of null p-values below 0.05`);
  // not degenerate: the p-values spread over (0, 1) around the middle
  assert.ok(ps[100] > 0.1 && ps[100] < 0.7, `median p ${ps[100]}`);
  assert.ok(ps[190] > 0.4, `95th percentile ${ps[190]}`);
});

test('planted: a cluster only X has replicates, is stable, and the noise modes are weak', async () => {
  const [X, Y] = data(150, 600, 7, 10);
  const r = await compare(X, Y, { kernel: 'cosine', method: 'covariance', topK: 3, significance: { splits: 10, bootstrap: 10, seed: 1 } });
  const [planted, ...rest] = r.modes;
  assert.equal(planted.side, 'x');
  assert.ok(planted.significance!.heldOut!.pValue < 0.01, `planted p ${planted.significance!.heldOut!.pValue}`);
  assert.ok(planted.significance!.stability!.value > 0.9, `planted stability ${planted.significance!.stability!.value}`);
  assert.equal(planted.significance!.weak, false);
  for (const m of rest) assert.ok(m.significance!.weak, `mode ${m.side}${m.rank} (λ ${m.eigenvalue}) is noise: ${JSON.stringify(m.significance)}`);
  assert.ok(rest.every((m) => m.significance!.weakReasons.length > 0));
});

test('the same seed gives identical evidence on repeats and with 1 or 2 threads', async () => {
  const [X, Y] = data(300, 20, 11, 4);
  const run = (threads: number) =>
    compare(X, Y, { kernel: 'cosine', method: 'covariance', topK: 2, threads, significance: { splits: 4, bootstrap: 3, seed: 5 } });
  const a = await run(1),
    b = await run(1),
    c = await run(2);
  assert.deepEqual(
    a.modes.map((m) => m.significance),
    b.modes.map((m) => m.significance),
  );
  a.modes.forEach((m, i) => {
    const s = m.significance!,
      t = c.modes[i].significance!;
    assert.equal(t.heldOut!.pValue, s.heldOut!.pValue);
    assert.equal(t.stability!.value, s.stability!.value);
  });
});

// --permutations and the metrics on the command line (src/cli/significance.ts,
// report/metrics-text.ts): in --json, the summary lines, the finc mode table, and
// the error for bad counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, expectUsageError, fx } from './helpers.js';

const X = fx('x.npy'),
  Y = fx('y.npy');

test('compare --json carries the metrics; --permutations adds both CKA tests, the same for the same seed', () => {
  const plain = cli(['compare', X, Y, '--json']);
  assert.equal(plain.code, 0, plain.stderr);
  const m = JSON.parse(plain.stdout).metrics;
  assert.deepEqual(Object.keys(m), ['ckaLinear', 'ckaKernel', 'mutualKnn']);
  assert.equal(m.ckaLinear.test, undefined);
  assert.deepEqual({ k: m.mutualKnn.k, exact: m.mutualKnn.exact }, { k: 10, exact: true });
  const runs = [1, 2].map(() => cli(['compare', X, Y, '--permutations', '19', '--json']));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const [a, b] = runs.map((r) => JSON.parse(r.stdout).metrics);
  assert.equal(a.ckaLinear.test.permutations, 19);
  assert.equal(a.ckaKernel.value, m.ckaKernel.value);
  assert.deepEqual(a.ckaKernel.test, b.ckaKernel.test);
  assert.ok(a.ckaKernel.test.pValue >= 1 / 20 && a.ckaKernel.test.pValue <= 1);
});

test('compare prints one line per metric with its meaning', () => {
  const r = cli(['compare', X, Y, '--permutations', '9']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^linear CKA\s+\d\.\d+, p = [\d.]+ \(9 permutations\) — how alike/m);
  assert.match(r.stdout, /^kernel CKA\s+\d\.\d+, p = /m);
  assert.match(r.stdout, /^mutual k-NN\s+\d\.\d+ \(k = 10, every sample\) — mean share/m);
});

test('finc --permutations: MMD², SPEC-diff and per-mode tests in --json and the summary', () => {
  const r = cli(['finc', X, X, '--permutations', '9', '--top', '2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(o.metrics), ['mmd2', 'specDiff']);
  assert.equal(o.metrics.mmd2.test.permutations, 9);
  assert.equal(o.metrics.specDiff.value, o.specDiff.norm);
  // X against itself: nothing differs, so the observed split is as extreme as any (p = 1)
  assert.equal(o.metrics.mmd2.test.pValue, 1);
  for (const m of o.modes) assert.equal(m.significance.weak, m.significance.permutation.pValue > 0.05);
  const h = cli(['finc', fx('x.npy'), fx('x.npy'), '--permutations', '9']);
  assert.equal(h.code, 0, h.stderr);
  assert.match(h.stdout, /^MMD²\s+-?[\d.e-]+, p = 1\.0 \(9 permutations\) — squared distance/m);
  assert.match(h.stdout, /^SPEC-diff test\s+p = /m);
});

test('bad --permutations values are usage errors naming the option', () => {
  expectUsageError(assert, cli(['compare', X, Y, '--permutations', '-1']), /--permutations must be an integer from 0 to 100000, got '-1'/);
  expectUsageError(assert, cli(['finc', X, X, '--permutations', 'ten']), /--permutations must be an integer from 0 to 100000, got 'ten'/);
  expectUsageError(assert, cli(['finc', X, X, '--permutations', '1e9']), /--permutations 1e9 is more than 100000/);
  expectUsageError(assert, cli(['align', X, Y, '--permutations', '9']), /unknown option --permutations for 'align'/);
});

// --splits and --bootstrap as users run them: per-mode `significance` in --json (the same
// numbers on 1 and 2 threads), the evidence columns and weak marks in the table, and
// bad counts as usage errors naming the flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli, expectUsageError, ROOT } from './helpers.js';

const fix = (name: string) => join(ROOT, 'tests', 'fixtures', 'parallel', name);
const SIG = ['--splits', '4', '--bootstrap', '3', '--top', '2'];

test('compare --json carries significance per mode, identical on 1 and 2 threads', () => {
  const runs = ['1', '2'].map((t) => cli(['compare', fix('compare_x.npy'), fix('compare_y.npy'), ...SIG, '--method', 'covariance', '--threads', t, '--json']));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const [a, b] = runs.map((r) => JSON.parse(r.stdout));
  assert.ok(a.modes.length > 0);
  for (const m of a.modes) {
    assert.equal(m.significance.heldOut.splits, 4);
    assert.equal(m.significance.stability.bootstrap, 3);
    assert.equal(typeof m.significance.weak, 'boolean');
    assert.equal(m.significance.weak, m.significance.weakReasons.length > 0);
  }
  assert.deepEqual(
    a.modes.map((m: { significance: unknown }) => m.significance),
    b.modes.map((m: { significance: unknown }) => m.significance),
  );
  assert.equal(typeof a.timings.significance, 'number');
});

test('the tables of compare and finc show held-out p, stability and the weak mark', () => {
  const c = cli(['compare', fix('compare_x.npy'), fix('compare_y.npy'), ...SIG]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /held-out p\s+stability\s+weak/);
  assert.match(c.stdout, /^weak: held-out p > 0\.05 or stability < 0\.5/m);
  const f = cli(['finc', fix('finc_x.npy'), fix('finc_y.npy'), ...SIG, '--json']);
  assert.equal(f.code, 0, f.stderr);
  const j = JSON.parse(f.stdout);
  assert.ok(j.modes.every((m: { significance?: { heldOut: unknown } }) => m.significance?.heldOut));
  const ft = cli(['finc', fix('finc_x.npy'), fix('finc_y.npy'), ...SIG]);
  assert.match(ft.stdout, /held-out p\s+stability\s+weak/);
});

test('bad counts are usage errors naming the flag', () => {
  expectUsageError(
    assert,
    cli(['compare', fix('compare_x.npy'), fix('compare_y.npy'), '--splits', '1']),
    /--splits must be 0 \(off\) or a whole number from 2 to 10000, got 1/,
  );
  expectUsageError(assert, cli(['finc', fix('finc_x.npy'), fix('finc_y.npy'), '--bootstrap', '-3']), /--bootstrap/);
  expectUsageError(assert, cli(['compare', fix('compare_x.npy'), fix('compare_y.npy'), '--bootstrap', '2.5']), /--bootstrap/);
});

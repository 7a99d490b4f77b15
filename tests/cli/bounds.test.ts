// Bounds at the CLI (issue 20 §4): align's map size and --beta refused with exit 2
// naming the flag; the output budget naming --top and --samples-per-mode; clamped
// options and an unused --rff-dim as stderr notes and JSON `notes`; finc's D × D
// refusal suggesting --method exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npyBytes } from '../../src/io/npy-write.js';
import { mulberry32 } from '../shared/rng.mjs';
import { cli, expectUsageError, fx, PROGRESS_LINE } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'spec-bounds-cli-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** A seeded n × d f32 .npy in the temporary directory. */
function npy(name: string, n: number, d: number, seed: number): string {
  const r = mulberry32(seed),
    a = new Float32Array(n * d);
  for (let i = 0; i < a.length; i++) a[i] = r() * 2 - 1;
  const p = join(dir, name);
  writeFileSync(p, npyBytes(a, [n, d]));
  return p;
}
const notes = (stderr: string) => stderr.split('\n').filter((l) => l !== '' && !PROGRESS_LINE.test(l));

test('align: a 50 × 8000 map is refused with exit 2 naming --dim, dy and the memory (not 5 GB of RSS)', () => {
  const X = npy('ax.npy', 50, 8000, 1),
    Y = npy('ay.npy', 50, 8000, 2);
  const r = cli(['align', X, Y, '--epochs', '1']);
  expectUsageError(assert, r, /--dim = 8000 with dy = 8000: the 8000 × 8000 map.* would need 3\.81 GiB, more than align's budget/, /no --dim fits/);
  const r2 = cli(['align', X, Y, '--dim', '9000']);
  expectUsageError(assert, r2, /dim must be ≤ max\(dx, dy\) = 8000/);
});

test('align --beta 1e308 names --beta, not lr', () => {
  const r = cli(['align', fx('x.npy'), fx('x.npy'), '--beta', '1e308', '--epochs', '1']);
  expectUsageError(assert, r, /^spec-embed: --beta must be ≤ 1000000000000000 .*got '1e308'$/);
});

test('compare --top / --samples-per-mode beyond the output budget: exit 2 naming both flags and what fits', () => {
  const X = npy('bx.npy', 3000, 8, 3),
    Y = npy('by.npy', 3000, 8, 4);
  const r = cli(['compare', X, Y, '--kernel', 'linear', '--top', '1000000', '--samples-per-mode', '1000000', '--json']);
  expectUsageError(
    assert,
    r,
    /^spec-embed: --top = 1000000 and --samples-per-mode = 1000000 ask for up to 3000 modes per side/,
    /--samples-per-mode ≤ 166 fits with --top = 3000, or --top ≤ 166/,
  );
  const A = npy('cx.npy', 600, 8, 7),
    B = npy('cy.npy', 600, 8, 8);
  const f = cli(['finc', A, B, '--kernel', 'linear', '--method', 'exact', '--top', '1000000', '--samples-per-mode', '1000000']);
  expectUsageError(
    assert,
    f,
    /^spec-embed: --top = 1000000 and --samples-per-mode = 1000000 ask for up to 1200 modes per side with up to 600 top samples each/,
  );
});

test('compare: a clamped --top and --samples-per-mode and an unused --rff-dim are stderr notes and JSON notes', () => {
  const r = cli(['compare', fx('x.npy'), fx('y.npy'), '--top', '1000000', '--samples-per-mode', '500', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(notes(r.stderr), [
    'spec-embed: --top 1000000 is more than the 60 eigenvalues of the 60 × 60 Λ: using 60',
    'spec-embed: --samples-per-mode 500 is more than the 60 samples: listing all of them per mode',
  ]);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.notes, [
    'topK = 1000000 is more than the 60 eigenvalues of the 60 × 60 Λ: using 60',
    'samplesPerMode = 500 is more than the 60 samples: listing all of them per mode',
  ]);
  const g = cli(['compare', fx('x.npy'), fx('y.npy'), '--kernel', 'gaussian', '--sigma-x', '1', '--sigma-y', '1', '--rff-dim', '300', '--method', 'exact']);
  assert.equal(g.code, 0, g.stderr);
  assert.deepEqual(notes(g.stderr), [
    "spec-embed: --rff-dim 300 (X's kernel) is not used: the exact route evaluates the kernel itself, with no random features",
    "spec-embed: --rff-dim 300 (Y's kernel) is not used: the exact route evaluates the kernel itself, with no random features",
  ]);
  const plain = cli(['compare', fx('x.npy'), fx('y.npy'), '--json']);
  assert.equal(notes(plain.stderr).length, 0);
  assert.equal('notes' in JSON.parse(plain.stdout), false);
});

test('finc: the D × D refusal at d = 100000, nx + ny = 100 suggests --method exact, which runs', () => {
  const X = npy('fx.npy', 50, 100000, 5),
    Y = npy('fy.npy', 50, 100000, 6);
  const r = cli(['finc', X, Y, '--kernel', 'linear']);
  expectUsageError(
    assert,
    r,
    /each of the two D × D f64 covariances would need 74\.51 GiB/,
    /nx \+ ny = 100 is small enough for method 'exact' \(--method exact: the pooled 100 × 100 kernel matrix\)$/,
  );
  const e = cli(['finc', X, Y, '--kernel', 'linear', '--method', 'exact', '--top', '2', '--json']);
  assert.equal(e.code, 0, e.stderr);
  assert.equal(JSON.parse(e.stdout).method, 'exact');
});

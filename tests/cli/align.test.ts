// spec-embed align: the --json contract, W.npy read by NumPy, the report, the warnings in
// words on a planted pair where the objectives part, and bad input → exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSelfContained, reportData } from './report-data.js';
import { cli, expectUsageError, ROOT } from './helpers.js';

const F = join(ROOT, 'tests', 'fixtures', 'align');
const X = join(F, 'planted_x.npy'),
  Y = join(F, 'planted_y.npy');
const dir = mkdtempSync(join(tmpdir(), 'spec-align-cli-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('--json: exactly one object with the align keys; W.npy and W.bias.npy load in NumPy; Y @ W.T + b matches', () => {
  const W = join(dir, 'W.npy');
  const r = cli(['align', X, Y, '--json', '--out-map', W, '--bias', '--dim', '20', '--epochs', '30', '--seed', '3']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const j = JSON.parse(lines[0]);
  assert.deepEqual(Object.keys(j), [
    'task',
    'n',
    'nTrain',
    'nHoldout',
    'dim',
    'kernelX',
    'specDiffBefore',
    'specDiffAfter',
    'epochs',
    'bestEpoch',
    'loss',
    'removedModes',
    'modesBefore',
    'modesAfter',
    'timings',
    'inputs',
    'objective',
    'specDiffChange',
    'warnings',
    'createdModes',
  ]);
  assert.equal(j.objective, 'x-not-y');
  assert.deepEqual(Object.keys(j.specDiffAfter), ['xNotY', 'yNotX', 'norm']);
  assert.deepEqual(Object.keys(j.specDiffChange), ['limit', 'xNotY', 'yNotX', 'norm']);
  for (const k of ['xNotY', 'yNotX', 'norm']) {
    const c = j.specDiffChange[k];
    assert.deepEqual(Object.keys(c), ['before', 'after', 'relative', 'warn']);
    assert.deepEqual([c.before, c.after, c.warn], [j.specDiffBefore[k], j.specDiffAfter[k], j.specDiffAfter[k] > 1.1 * j.specDiffBefore[k]]);
  }
  assert.equal(j.warnings.length, ['xNotY', 'yNotX', 'norm'].filter((k) => j.specDiffChange[k].warn).length);
  assert.equal(j.task, 'align');
  assert.equal(j.n, 1500);
  assert.equal(j.nHoldout, 300);
  assert.equal(j.nTrain, 1200);
  assert.equal(j.dim, 20);
  assert.deepEqual(j.kernelX, { type: 'cosine' });
  assert.deepEqual(Object.keys(j.specDiffBefore), ['xNotY', 'yNotX', 'norm']);
  assert.equal(j.loss.holdout.length, j.epochs + 1);
  assert.deepEqual(Object.keys(j.modesBefore[0]), ['rank', 'side', 'eigenvalue', 'top']);
  assert.ok(j.specDiffAfter.xNotY < j.specDiffBefore.xNotY);
  // NumPy loads W (shape (20, 24), float32, C order) and b; ψ(Y) from NumPy vs a second
  // CLI-independent check: the library's applyMap, run in a tsx subprocess.
  const py = spawnSync(
    'python3',
    [
      '-c',
      `
import json, sys, numpy as np
W = np.load(sys.argv[1]); b = np.load(sys.argv[2]); Y = np.load(sys.argv[3])
assert W.dtype == np.float32 and W.flags['C_CONTIGUOUS'] and W.shape == (20, 24), (W.dtype, W.shape)
assert b.dtype == np.float32 and b.shape == (20,)
Z = Y.astype(np.float64) @ W.T.astype(np.float64) + b
print(json.dumps({"W": W.ravel().tolist(), "b": b.tolist(), "Z": Z[:5].ravel().tolist()}))
`,
      W,
      join(dir, 'W.bias.npy'),
      Y,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(py.status, 0, py.stderr);
  const ref = JSON.parse(py.stdout);
  const script = join(dir, 'apply.mts');
  writeFileSync(
    script,
    `
import { readFileSync } from 'node:fs';
import { init, applyMap } from ${JSON.stringify(join(ROOT, 'src', 'index.ts'))};
import { parseNpy } from ${JSON.stringify(join(ROOT, 'src', 'io', 'index.ts'))};
await init();
const ref = JSON.parse(readFileSync(0, 'utf8'));
const Y = parseNpy(new Uint8Array(readFileSync(${JSON.stringify(Y)})), 'Y');
const z = applyMap(Float32Array.from(ref.W), Y, { dim: 20, bias: Float32Array.from(ref.b) });
process.stdout.write(JSON.stringify(Array.from(z.data.subarray(0, 100))));
`,
  );
  const ts = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, input: py.stdout, encoding: 'utf8' });
  assert.equal(ts.status, 0, ts.stderr);
  const z = JSON.parse(ts.stdout) as number[];
  for (let i = 0; i < 100; i++) assert.ok(Math.abs(z[i] - ref.Z[i]) <= 1e-4 * Math.max(1, Math.abs(ref.Z[i])), `ψ(Y)[${i}] ${z[i]} vs NumPy ${ref.Z[i]}`);
});

test('--out writes an HTML report with SPEC-diff, loss curves and spectra; file names are escaped', () => {
  const odd = join(dir, 'x<b>&.npy');
  writeFileSync(odd, readFileSync(X));
  const out = join(dir, 'r.html');
  const r = cli(['align', odd, Y, '--epochs', '5', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  assertSelfContained(html);
  const d = reportData(html);
  assert.equal(d.task, 'align');
  assert.equal(d.xName, 'x<b>&.npy');
  assert.ok(!html.includes('x<b>&.npy'));
  assert.equal(d.json.loss.holdout.length, d.json.epochs + 1);
  assert.match(r.stdout, /held-out SPEC-diff/);
});

test('planted pair: the default warns in words that y-not-x and the norm rose (summary, and stderr with --json); --objective norm lowers the norm and warns of nothing', () => {
  const PX = join(F, 'objective_x.npy'),
    PY = join(F, 'objective_y.npy'),
    labels = join(F, 'objective_labels.txt');
  const o = ['--batch', '200', '--lr', '0.01'];
  const d = cli(['align', PX, PY, ...o, '--labels', labels]);
  assert.equal(d.code, 0, d.stderr);
  const rows = (out: string) =>
    Object.fromEntries(
      out
        .split('\n')
        .filter((l) => /^ {2}(x-not-y|y-not-x|norm) /.test(l))
        .map((l) => [l.trim().split(' ')[0], l.trim().split(/ {2,}/)]),
    );
  const dr = rows(d.stdout);
  assert.match(d.stdout, /^objective x-not-y: λmax \(the paper's\); /m);
  assert.match(dr['x-not-y'][3], /^−\d/, 'x-not-y falls');
  assert.deepEqual([dr['y-not-x'][4], dr.norm[4]], ['← rose more than 10%', '← rose more than 10%']);
  assert.equal(dr['x-not-y'][4], undefined);
  const warnings = d.stdout.split('\n').filter((l) => l.startsWith('warning: '));
  assert.equal(warnings.length, 2);
  assert.match(
    warnings[0],
    /^warning: held-out y-not-x \(−λmin\) rose by \d+% \([\d.]+ → [\d.]+\), more than 10%: the map created clusters that X does not have$/,
  );
  assert.match(warnings[1], /^warning: held-out norm \(max \|λ\|\) rose by [\d.]+% \([\d.]+ → [\d.]+\), more than 10%: ψ\(Y\) differs more from X than Y did$/);
  assert.match(d.stdout, /^ {2}\(--objective norm minimises the norm max\(λmax, −λmin\) instead, so neither direction may grow unchecked\)$/m);
  assert.match(d.stdout, /^new modes after alignment: .*y1 \(c\d \(\d+%\)/m, 'the new side-y mode with its labels');
  // --json: the same sentences in the object and on stderr; stdout is the one object
  const dj = cli(['align', PX, PY, ...o, '--json']);
  assert.equal(dj.code, 0, dj.stderr);
  const j = JSON.parse(dj.stdout);
  assert.deepEqual(
    j.warnings,
    warnings.map((w) => w.slice('warning: '.length)),
  );
  assert.deepEqual(
    dj.stderr.split('\n').filter((l) => l.startsWith('spec-embed: warning: ')),
    warnings.map((w) => `spec-embed: ${w}`),
  );
  // --objective norm: the held-out norm falls, no warning, no hint
  const m = cli(['align', PX, PY, ...o, '--objective', 'norm', '--json']);
  assert.equal(m.code, 0, m.stderr);
  const mj = JSON.parse(m.stdout);
  assert.equal(mj.objective, 'norm');
  assert.deepEqual(mj.specDiffBefore, j.specDiffBefore);
  assert.ok(mj.specDiffAfter.norm < 0.9 * mj.specDiffBefore.norm, `norm ${mj.specDiffBefore.norm} → ${mj.specDiffAfter.norm}`);
  assert.deepEqual(mj.warnings, []);
  assert.doesNotMatch(m.stderr, /warning/);
  const mh = cli(['align', PX, PY, ...o, '--objective', 'norm']);
  assert.match(mh.stdout, /^objective norm: max\(λmax, −λmin\), both directions; /m);
  assert.doesNotMatch(mh.stdout, /warning|← rose|--objective norm/);
});

test('bad options and inputs: exit 2 with one line naming the option', () => {
  const run = (...a: string[]) => cli(['align', X, Y, ...a]);
  expectUsageError(assert, run('--epochs', '0'), /--epochs must be an integer ≥ 1/);
  expectUsageError(assert, run('--lr', '0'), /--lr must be a number > 0/);
  expectUsageError(assert, run('--lr', '-1'), /--lr must be a number > 0/);
  expectUsageError(assert, run('--holdout', '1'), /--holdout must be a fraction in \(0, 1\)/);
  expectUsageError(assert, run('--holdout', '0'), /--holdout/);
  expectUsageError(assert, run('--dim', '0'), /--dim must be an integer ≥ 1/);
  expectUsageError(assert, run('--dim', '1000'), /dim must be ≤ max\(dx, dy\) = 24/);
  expectUsageError(assert, run('--batch', '1'), /--batch must be an integer ≥ 2/);
  expectUsageError(assert, run('--beta', '-1'), /--beta must be a number ≥ 0/);
  expectUsageError(assert, run('--kernel-y', 'gaussian'), /--kernel-y must be cosine for align/);
  expectUsageError(assert, run('--sigma-x', '1'), /--sigma-x applies to a gaussian kernel/);
  expectUsageError(assert, run('--kernel', 'gaussian', '--sigma-x', '0'), /--sigma-x must be a positive number/);
  expectUsageError(assert, run('--objective', 'spectral'), /--objective must be one of x-not-y, norm, got 'spectral'/);
  expectUsageError(assert, run('--images', join(dir, 'none.txt')), /--images adds thumbnails to the report: give --out FILE too/);
  expectUsageError(assert, run('--labels', join(dir, 'none.txt')), /labels file .*none\.txt: no such file/);
  const few = join(dir, 'few.txt');
  writeFileSync(few, 'a\nb\n');
  expectUsageError(assert, run('--labels', few), /few\.txt: has 2 labels \(lines\), expected 1500/);
  expectUsageError(assert, run('--labels', few, '--out', few), /--out .*few\.txt is the same file as --labels/);
  const short = join(dir, 'short.csv');
  writeFileSync(short, '1,2\n3,4\n');
  expectUsageError(assert, cli(['align', X, short]), /row counts differ/);
  const nan = join(dir, 'nan.csv'),
    ok = join(dir, 'ok.csv');
  writeFileSync(nan, '1,2\nNaN,4\n1,1\n2,2\n0,1\n');
  writeFileSync(ok, '1,2\n3,4\n1,1\n2,2\n0,1\n');
  expectUsageError(assert, cli(['align', nan, ok]), /nan\.csv/, /NaN|non-finite/i);
  const zero = join(dir, 'zero.csv');
  writeFileSync(zero, '1,2\n0,0\n1,1\n2,2\n0,1\n');
  expectUsageError(assert, cli(['align', ok, zero]), /zero\.csv/, /row 2 \(1-based\) is all zeros/);
});

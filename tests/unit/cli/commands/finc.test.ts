// `finc` in process: the --json object against NumPy's eigendecomposition of
// CX − CY (linear kernel; scripts/fixtures/cli_commands.py), per-side labels,
// and the option rules (compare's per-side spellings must agree).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fincCommand } from '../../../../src/cli/commands/finc.js';
import { UsageError } from '../../../../src/cli/args.js';
import { runCommand } from './io.js';

const F = fileURLToPath(new URL('../../../fixtures/finc/', import.meta.url));
const ref = JSON.parse(readFileSync(fileURLToPath(new URL('../../../fixtures/cli/commands.json', import.meta.url)), 'utf8')).finc;

test("finc --json: every eigenvalue of CX − CY and the first modes' shares as NumPy computes them", async () => {
  const r = await runCommand(fincCommand, [
    F + 'x.npy',
    F + 'y.npy',
    '--kernel',
    'linear',
    '--method',
    'covariance',
    '--json',
    '--samples-per-mode',
    '3',
    '--top',
    '4',
  ]);
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), [
    'task',
    'n',
    'nx',
    'ny',
    'method',
    'eta',
    'kernelX',
    'kernelY',
    'specDiff',
    'metrics',
    'modes',
    'noiseDropped',
    'timings',
    'inputs',
    'methodReason',
    'seed',
    'version',
    'sigma',
    'files',
    'solver',
    'solverReason',
  ]);
  assert.deepEqual([j.methodReason, j.seed, j.sigma], ['requested', 0, { X: null, Y: null }]);
  assert.equal(j.solver, 'syrk');
  assert.deepEqual([j.task, j.n, j.nx, j.ny, j.method, j.eta], ['finc', 260, 150, 110, 'covariance', 1]);
  assert.deepEqual([j.kernelX, j.kernelY], [{ type: 'linear' }, { type: 'linear' }]);
  const ev: number[] = ref.eigenvalues;
  const scale = Math.max(...ev.map(Math.abs));
  const pos = ev.filter((v) => v > 0).sort((a, b) => b - a),
    neg = ev.filter((v) => v < 0).sort((a, b) => a - b);
  const xs = j.modes.filter((m: { side: string }) => m.side === 'x'),
    ys = j.modes.filter((m: { side: string }) => m.side === 'y');
  assert.equal(xs.length + ys.length + j.noiseDropped, 8, 'eight eigenvalues: listed or dropped as noise');
  xs.forEach((m: { eigenvalue: number }, i: number) => assert.ok(Math.abs(m.eigenvalue - pos[i]) <= 1e-5 * scale, `x${i + 1}: ${m.eigenvalue} vs ${pos[i]}`));
  ys.forEach((m: { eigenvalue: number }, i: number) => assert.ok(Math.abs(m.eigenvalue - neg[i]) <= 1e-5 * scale, `y${i + 1}: ${m.eigenvalue} vs ${neg[i]}`));
  assert.ok(Math.abs(xs[0].shareX - ref.shareX1[0]) <= 1e-5 * scale && Math.abs(xs[0].shareY - ref.shareX1[1]) <= 1e-5 * scale);
  assert.ok(Math.abs(ys[0].shareX - ref.shareY1[0]) <= 1e-5 * scale && Math.abs(ys[0].shareY - ref.shareY1[1]) <= 1e-5 * scale);
  assert.ok(Math.abs(j.specDiff.norm - scale) <= 1e-5 * scale);
  for (const m of xs) for (const t of m.top) assert.ok(t.index < 150);
  for (const m of ys) for (const t of m.top) assert.ok(t.index < 110);
});

test("finc: labels of each set name that side's top samples; the human table", async () => {
  const r = await runCommand(fincCommand, [F + 'x.npy', F + 'y.npy', '--labels', F + 'labels_x.txt', '--labels-y', F + 'labels_y.txt', '--top', '1', '--json']);
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out);
  const lx = readFileSync(F + 'labels_x.txt', 'utf8').split('\n'),
    ly = readFileSync(F + 'labels_y.txt', 'utf8').split('\n');
  for (const m of j.modes) for (const t of m.top) assert.equal(t.label, (m.side === 'x' ? lx : ly)[t.index]);
  const h = await runCommand(fincCommand, [F + 'x.npy', F + 'y.npy', '--top', '1']);
  assert.equal(h.out.split('\n')[0], `FINC modes of X = ${F}x.npy (nx = 150) vs Y = ${F}y.npy (ny = 110)`);
});

test('finc: option rules, each with its message', async () => {
  const X = F + 'x.npy',
    Y = F + 'y.npy';
  const refuse = (argv: string[], message: string) => assert.rejects(runCommand(fincCommand, [X, Y, ...argv]), new UsageError(message));
  await refuse(['--kernel', 'linear', '--kernel-x', 'cosine'], '--kernel linear and --kernel-x cosine differ: finc uses one kernel for both sets');
  await refuse(['--kernel-x', 'gaussian', '--kernel-y', 'linear'], '--kernel-x gaussian and --kernel-y linear differ: finc uses one kernel for both sets');
  await refuse(['--kernel', 'gaussian', '--sigma', '1', '--sigma-y', '2'], '--sigma 1 and --sigma-y 2 differ: finc uses one kernel for both sets');
  await refuse(['--sigma', '1'], '--sigma applies to the gaussian kernel, but the kernel is cosine (add --kernel gaussian)');
  await refuse(['--kernel', 'linear', '--rff-dim', '9'], '--rff-dim applies to the gaussian kernel, but the kernel is linear');
  await refuse(['--kernel-y', 'poly'], "--kernel-y must be one of cosine, gaussian, linear, got 'poly'");
  await refuse(['--eta', '-1'], "--eta must be a number ≥ 0, got '-1'");
  await refuse(['--images-y', 'i.txt'], '--images/--images-y add thumbnails to the report: give --out FILE too');
  // synonyms that agree are accepted
  const ok = await runCommand(fincCommand, [
    X,
    Y,
    '--kernel',
    'gaussian',
    '--kernel-x',
    'gaussian',
    '--sigma-x',
    '2',
    '--sigma',
    '2',
    '--method',
    'exact',
    '--top',
    '1',
    '--json',
  ]);
  assert.deepEqual(JSON.parse(ok.out).kernelX, { type: 'gaussian', sigma: 2 });
});

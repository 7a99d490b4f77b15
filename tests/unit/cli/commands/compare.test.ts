// `compare` in process on the small CLI fixtures: the --json object against NumPy's
// eigendecomposition of Λ (scripts/fixtures/cli_commands.py), the human table, the
// report file, and the refusals made before any reading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareCommand, openEmbedding } from '../../../../src/cli/commands/compare.js';
import { UsageError } from '../../../../src/cli/args.js';
import { runCommand } from './io.js';

const CLI = fileURLToPath(new URL('../../../fixtures/cli/', import.meta.url));
const ref = JSON.parse(readFileSync(CLI + 'commands.json', 'utf8')).compare;
const X = CLI + 'x.npy',
  Y = CLI + 'y.npy';

test('compare --json: one JSON line, the §3 keys, eigenvalues and top samples as NumPy computes them', async () => {
  const r = await runCommand(compareCommand, [X, Y, '--json', '--method', 'exact', '--top', '3', '--samples-per-mode', '5']);
  assert.equal(r.code, 0);
  assert.ok(r.out.endsWith('}\n') && r.out.indexOf('\n') === r.out.length - 1, 'exactly one line');
  const j = JSON.parse(r.out);
  // the §3 keys in order, then the fields CLI runs add after `inputs`
  assert.deepEqual(Object.keys(j), [
    'n',
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
    'shareOf',
  ]);
  assert.deepEqual([j.methodReason, j.seed, j.sigma, j.shareOf], ['requested', 0, { X: null, Y: null }, 'listed modes']);
  assert.deepEqual(j.files, { X: { name: X, rows: 60, cols: j.files.X.cols }, Y: { name: Y, rows: 60, cols: j.files.Y.cols } });
  assert.equal(j.n, 60);
  assert.equal(j.method, 'exact');
  assert.equal(j.eta, 1);
  assert.deepEqual([j.kernelX, j.kernelY], [{ type: 'cosine' }, { type: 'cosine' }]);
  const tol = 1e-6 * ref.specDiff.norm;
  for (const k of ['xNotY', 'yNotX', 'norm'] as const)
    assert.ok(Math.abs(j.specDiff[k] - ref.specDiff[k]) <= tol, `${k}: ${j.specDiff[k]} vs ${ref.specDiff[k]}`);
  const xs = j.modes.filter((m: { side: string }) => m.side === 'x'),
    ys = j.modes.filter((m: { side: string }) => m.side === 'y');
  assert.deepEqual(
    xs.map((m: { rank: number }) => m.rank),
    [1, 2, 3],
  );
  assert.deepEqual(
    ys.map((m: { rank: number }) => m.rank),
    [1, 2, 3],
  );
  xs.forEach((m: { eigenvalue: number }, i: number) => assert.ok(Math.abs(m.eigenvalue - ref.x[i]) <= tol, `x${i + 1}`));
  ys.forEach((m: { eigenvalue: number }, i: number) => assert.ok(Math.abs(m.eigenvalue - ref.y[i]) <= tol, `y${i + 1}`));
  assert.deepEqual(
    xs[0].top.map((t: { index: number }) => t.index),
    ref.topX1,
  );
  assert.deepEqual(
    ys[0].top.map((t: { index: number }) => t.index),
    ref.topY1,
  );
  assert.deepEqual(j.inputs, { X: { header: null, indexColumn: null }, Y: { header: null, indexColumn: null } });
  assert.equal(typeof j.timings.total, 'number');
});

test('compare: the human table names the files and summarises labels; progress only on stderr', async () => {
  const r = await runCommand(compareCommand, [X, Y, '--method', 'exact', '--top', '1', '--labels', CLI + 'labels.txt']);
  assert.equal(r.code, 0);
  const lines = r.out.split('\n');
  assert.equal(lines[0], `SPEC modes of X = ${X} vs Y = ${Y}, n = 60`);
  assert.equal(lines[2], 'side  rank  eigenvalue  share  kind      samples (labels)');
  // x1: Y merges a with b, X keeps them apart (a contrast: both ends); y1 (cosine of Y) groups a and b that X separates
  assert.equal(lines[3], 'x        1      0.2675    48%  contrast  b (100%) vs a (100%)');
  assert.equal(lines[4], 'y        1     -0.2847    52%  cluster   a (55%), b (45%)');
  assert.ok(!r.err.includes('SPEC modes'));
});

test('compare --out: writes the report; refusals before reading', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-cmp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'r.html');
  const r = await runCommand(compareCommand, [X, Y, '--out', out, '--json', '--method', 'exact', '--top', '2']);
  assert.equal(r.code, 0);
  const html = readFileSync(out, 'utf8');
  const data = JSON.parse(/<script type="application\/json" id="spec-embed-data">([\s\S]*?)<\/script>/.exec(html)![1]);
  assert.equal(data.task, 'compare');
  assert.equal(data.title, 'spec-embed: x.npy vs y.npy');
  assert.deepEqual(data.json.modes, JSON.parse(r.out).modes, 'the report holds the --json object');
  assert.equal(data.maps.total, 60);
  assert.ok(r.err.includes(`spec-embed: report written to ${out}\n`));
  await assert.rejects(
    runCommand(compareCommand, [X, Y, '--images', join(dir, 'i.txt')]),
    new UsageError('--images adds thumbnails to the report: give --out FILE too'),
  );
  await assert.rejects(runCommand(compareCommand, [X, Y, '--out', X]), new UsageError(`--out ${X} is the same file as X (${X}); choose another output path`));
  await assert.rejects(
    runCommand(compareCommand, [X, Y, '--sigma-x', '2']),
    new UsageError('--sigma-x applies to a gaussian kernel, but X uses the cosine kernel (add --kernel-x gaussian)'),
  );
});

test('openEmbedding: .npy streamed row by row; other formats parsed with their table info; named "X (file)"', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-open-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = openEmbedding(X, 'X', undefined);
  assert.deepEqual([s.rows, s.cols, s.name], [60, 6, `X (${X})`]);
  const file = readFileSync(X);
  assert.equal(file.readUInt16LE(8), 118, 'a version 1 header of 128 bytes in all');
  const whole = new Float32Array(file.buffer.slice(file.byteOffset + 128, file.byteOffset + file.length));
  assert.deepEqual(Array.from(s.read(5, 2)), Array.from(whole.subarray(30, 42)));
  assert.equal(typeof s.close, 'function');
  s.close!();
  writeFileSync(join(dir, 'y.csv'), ',a,b\n0,1,2\n1,3,4\n');
  const c = openEmbedding(join(dir, 'y.csv'), 'Y', undefined, { indexColumn: 'drop' });
  assert.deepEqual([c.rows, c.cols, c.name], [2, 2, `Y (${join(dir, 'y.csv')})`]);
  assert.deepEqual(c.table, { header: ',a,b', indexColumn: 'dropped' });
  assert.deepEqual(Array.from(c.read(1, 1)), [3, 4]);
});

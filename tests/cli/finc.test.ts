// spec-embed finc: the --json schema of docs/design.md §3 (finc variant), labels, the
// human table, the report, and exit 2 with one clear line for every bad input.
import { assertSelfContained, reportData } from './report-data.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENDS_KEYS, FINC_TRAILING, cli, expectUsageError, ROOT } from './helpers.js';

const F = (name: string) => join(ROOT, 'tests', 'fixtures', 'finc', name);
const X = F('x.npy'),
  Y = F('y.npy');
const ref = JSON.parse(readFileSync(F('cosine.json'), 'utf8'));
const labelsX = readFileSync(F('labels_x.txt'), 'utf8').split('\n').filter(Boolean);
const labelsY = readFileSync(F('labels_y.txt'), 'utf8').split('\n').filter(Boolean);
const finc = (...args: string[]) => cli(['finc', X, Y, ...args]);

test('--json: exactly one object with the finc keys, numbers matching NumPy', () => {
  const r = finc('--json', '--top', '3', '--samples-per-mode', '4');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const j = JSON.parse(lines[0]);
  // the §3 keys in their order, then what CLI runs add after `inputs`
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
    ...FINC_TRAILING,
    'solver',
    'solverReason',
  ]);
  assert.deepEqual(j.files, { X: { name: X, rows: ref.X.length, cols: ref.X[0].length }, Y: { name: Y, rows: ref.Y.length, cols: ref.Y[0].length } });
  assert.deepEqual([j.seed, j.sigma], [0, { X: null, Y: null }]);
  assert.match(j.methodReason, /cosine kernel's features are exact/);
  assert.equal(j.task, 'finc');
  assert.equal(j.nx, ref.X.length);
  assert.equal(j.ny, ref.Y.length);
  assert.equal(j.n, j.nx + j.ny);
  assert.equal(j.method, 'covariance');
  assert.deepEqual(j.kernelX, { type: 'cosine' });
  assert.deepEqual(j.kernelY, j.kernelX);
  assert.equal(typeof j.noiseDropped, 'number');
  const norm = ref.specDiff.norm;
  for (const k of ['xNotY', 'yNotX', 'norm']) assert.ok(Math.abs(j.specDiff[k] - ref.specDiff[k]) <= 1e-6 * norm);
  for (const side of ['x', 'y']) {
    const got = j.modes.filter((m: any) => m.side === side);
    const want = ref.modes.filter((m: any) => m.side === side).slice(0, 3);
    assert.equal(got.length, 3);
    got.forEach((m: any, i: number) => {
      // shareX/shareY where they were; the ends, frequencies and mean squares (their clearer names) after them
      assert.deepEqual(Object.keys(m), [
        'rank',
        'side',
        'eigenvalue',
        'shareX',
        'shareY',
        'top',
        ...ENDS_KEYS,
        'freqX',
        'freqY',
        'freqEnd',
        'meanSquareX',
        'meanSquareY',
      ]);
      assert.equal(m.rank, i + 1);
      assert.ok(Math.abs(m.eigenvalue - want[i].eigenvalue) <= 1e-6 * norm);
      assert.ok(Math.abs(m.shareX - want[i].shareX) <= 1e-5 * norm);
      assert.ok(Math.abs(m.shareY - want[i].shareY) <= 1e-5 * norm);
      assert.deepEqual([m.meanSquareX, m.meanSquareY], [m.shareX, m.shareY]);
      assert.equal(m.top.length, 4);
      assert.equal(m.bottom.length, 4);
      assert.deepEqual(Object.keys(m.top[0]), ['index', 'score']);
      assert.ok([...m.top, ...m.bottom].every((t: any) => t.index < (side === 'x' ? j.nx : j.ny)));
      assert.ok(m.freqX >= 0 && m.freqX <= 1 && m.freqY >= 0 && m.freqY <= 1 && ['top', 'bottom'].includes(m.freqEnd));
      // frequencies count samples: multiples of 1/nx and 1/ny
      assert.ok(Math.abs(m.freqX * j.nx - Math.round(m.freqX * j.nx)) < 1e-9 && Math.abs(m.freqY * j.ny - Math.round(m.freqY * j.ny)) < 1e-9);
    });
  }
  // the planted types: X's cluster 3 (30 of X's 150 samples, none of Y's), exactly; Y's cluster 4 (20 of Y's 110,
  // none of X's) shares y1 with 'beta' at its other end (also more frequent in Y: 36% against 27%), and its end
  // takes two more of Y's samples and six of X's
  const [x1] = j.modes,
    y1 = j.modes.find((m: any) => m.side === 'y');
  assert.deepEqual([x1.kind, x1.freqX, x1.freqY], ['cluster', 30 / 150, 0]);
  assert.equal(y1.freqEnd, 'top');
  assert.ok(Math.abs(y1.freqY - 20 / 110) <= 0.03 && y1.freqX <= 0.05, `y1: freqX ${y1.freqX}, freqY ${y1.freqY}`);
  assert.doesNotMatch(r.stdout, /spec-embed:/);
});

test("--labels labels X's rows and --labels-y Y's rows, by the mode's side", () => {
  const r = finc('--json', '--kernel', 'gaussian', '--sigma', '3', '--top', '2', '--labels', F('labels_x.txt'), '--labels-y', F('labels_y.txt'));
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.method, 'exact');
  assert.deepEqual(j.kernelX, { type: 'gaussian', sigma: 3 });
  for (const m of j.modes) for (const t of m.top) assert.equal(t.label, (m.side === 'x' ? labelsX : labelsY)[t.index]);
  // the planted clusters: X's extra cluster tops side x, Y's tops side y
  assert.ok(j.modes[0].top.every((t: any) => t.label === '<planted & x>'));
  assert.ok(j.modes.find((m: any) => m.side === 'y').top.every((t: any) => t.label === 'only-y'));
  const only = JSON.parse(finc('--json', '--top', '1', '--labels', F('labels_x.txt')).stdout);
  for (const m of only.modes) assert.equal('label' in m.top[0], m.side === 'x');
});

test('human table and the HTML report (labels escaped)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finc-cli-'));
  const out = join(dir, 'r.html');
  const r = finc('--kernel', 'gaussian', '--sigma', '3', '--top', '2', '--labels', F('labels_x.txt'), '--labels-y', F('labels_y.txt'), '--out', out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^FINC modes of X = .*x\.npy \(nx = 150\) vs Y = .*y\.npy \(ny = 110\)/);
  assert.match(r.stdout, /side\s+rank\s+eigenvalue\s+freqX\s+freqY\s+kind\s+samples \(labels\)/);
  // the planted type: 30 of X's 150 samples, none of Y's
  assert.match(r.stdout, /\nx\s+1\s+0\.\d{4}\s+20%\s+0\.0%\s+cluster\s+<planted & x> \(100%\)/);
  assert.match(r.stdout, /freqX, freqY: the fraction of X's and of Y's samples in the mode/);
  assert.match(r.stdout, /SPEC-diff\s+x-not-y/);
  const html = readFileSync(out, 'utf8');
  assertSelfContained(html);
  assert.doesNotMatch(html, /<planted/);
  const d = reportData(html);
  assert.equal(d.task, 'finc');
  assert.deepEqual(
    d.json.modes.map((m: any) => m.top.map((t: any) => t.index)),
    JSON.parse(finc('--kernel', 'gaussian', '--sigma', '3', '--top', '2', '--json').stdout).modes.map((m: any) => m.top.map((t: any) => t.index)),
  );
  // one pooled layout shown twice, X's rows then Y's, every top sample of its side's set plotted
  assert.equal(d.maps.layouts.length, 1);
  assert.deepEqual(
    d.maps.panels.map((p: any) => p.emphasis),
    [0, 1],
  );
  assert.equal(d.maps.points.index.length, 260);
  assert.ok(d.maps.points.labels.includes('<planted & x>'));
});

test('bad inputs: exit 2 with one line naming the option or file', () => {
  expectUsageError(assert, finc('--kernel-x', 'cosine', '--kernel-y', 'linear'), /--kernel-x cosine and --kernel-y linear differ: finc uses one kernel/);
  expectUsageError(assert, finc('--kernel', 'gaussian', '--sigma', '2', '--sigma-y', '3'), /--sigma 2 and --sigma-y 3 differ/);
  expectUsageError(assert, finc('--frobnicate'), /unknown option --frobnicate for 'finc'/);
  // compare's per-side spellings are synonyms when they agree
  const same = finc('--kernel-x', 'gaussian', '--kernel-y', 'gaussian', '--sigma-x', '2', '--json');
  assert.equal(same.code, 0, same.stderr);
  assert.deepEqual(JSON.parse(same.stdout).kernelX.sigma, 2);
  expectUsageError(assert, finc('--sigma', '1'), /--sigma applies to the gaussian kernel/);
  expectUsageError(assert, finc('--kernel', 'gaussian', '--sigma', '-1'), /--sigma must be a positive number or 'auto'/);
  expectUsageError(assert, finc('--eta', '-1'), /--eta must be a number ≥ 0/);
  expectUsageError(assert, finc('--top', '0'), /--top must be an integer ≥ 1/);
  expectUsageError(assert, finc('--method', 'fast'), /--method must be one of auto, exact, covariance/);
  expectUsageError(assert, finc('--rff-dim', '10'), /--rff-dim applies to the gaussian kernel/);
  expectUsageError(assert, cli(['finc', X, F('y_d5.npy')]), /dimensions differ/, /y_d5\.npy/);
  expectUsageError(assert, cli(['finc', X, F('one_row.npy')]), /one_row\.npy/, /at least 2 samples/);
  expectUsageError(assert, cli(['finc', X, F('y_nan.npy')]), /y_nan\.npy/, /row 8, column 3 \(1-based\)/, /NaN/);
  expectUsageError(assert, cli(['finc', X, F('y_nan.npy'), '--kernel', 'gaussian', '--sigma', '2', '--method', 'exact']), /y_nan\.npy/);
  expectUsageError(assert, cli(['finc', X, F('missing.npy')]), /Y file .*missing\.npy: no such file/);
  expectUsageError(assert, finc('--labels', F('labels_y.txt')), /labels_y\.txt/, /has 110 labels.*expected 150/);
  expectUsageError(assert, finc('--labels-y', F('labels_x.txt')), /labels_x\.txt/, /has 150 labels.*expected 110/);
  expectUsageError(assert, cli(['finc', X]), /finc takes two embedding files/);
  const dir = mkdtempSync(join(tmpdir(), 'finc-cli-'));
  const big = join(dir, 'big.json');
  writeFileSync(big, JSON.stringify(Array.from({ length: 4001 }, (_, i) => [i % 7, 1, 2, 3, 4, 5, 6, i % 3])));
  expectUsageError(assert, cli(['finc', big, Y, '--kernel', 'gaussian', '--sigma', '1', '--method', 'exact']), /nx \+ ny ≤ 4000/);
});

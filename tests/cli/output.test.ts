// What `spec-embed compare` prints: the --json object (schema, ordering, equality
// with the library), the human table, labels, progress on stderr only.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { compare, init } from '../../dist/index.js';
import { BOTTOM_MIX_KEYS, COMPARE_TRAILING, ENDS_KEYS, PROGRESS_LINE, cli, expectedJson, fx, readLines, readNpyF32 } from './helpers.js';

const X = fx('x.npy'),
  Y = fx('y.npy'),
  LABELS = fx('labels.txt');
/** --json "inputs" for two .npy files: no header, no index column. */
const NPY_INPUTS = { X: { header: null, indexColumn: null }, Y: { header: null, indexColumn: null } };
/** --json "files" for the two fixtures (60 samples; X 8-d, Y 6-d). */
const FILES = { X: { name: X, rows: 60, cols: readNpyF32(X).cols }, Y: { name: Y, rows: 60, cols: readNpyF32(Y).cols } };

function jsonRun(...args: string[]) {
  const r = cli(['compare', X, Y, '--json', ...args]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines.length, 2, 'one line of JSON and the final newline');
  assert.equal(lines[1], '');
  return { obj: JSON.parse(lines[0]), stderr: r.stderr };
}

function checkSchema(o: any, { labels = false, top, rff = false }: { labels?: boolean; top: number; rff?: boolean }) {
  // the §3 keys in their order (notes when there are some), then what CLI runs add (agreement with labels), then rffError on the random features
  assert.deepEqual(Object.keys(o), [
    'n',
    'method',
    'eta',
    'kernelX',
    'kernelY',
    'specDiff',
    'metrics',
    'modes',
    'noiseDropped',
    ...(o.notes ? ['notes'] : []),
    'timings',
    'inputs',
    ...COMPARE_TRAILING,
    ...(labels ? ['agreement'] : []),
    ...(rff ? ['rffError'] : []),
  ]);
  assert.deepEqual(o.inputs, NPY_INPUTS);
  assert.deepEqual(o.files, FILES);
  assert.equal(o.version, JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  assert.ok(['spectrum', 'listed modes'].includes(o.shareOf));
  assert.equal(typeof o.n, 'number');
  assert.ok(['exact', 'covariance'].includes(o.method));
  assert.equal(typeof o.eta, 'number');
  for (const k of [o.kernelX, o.kernelY]) {
    assert.ok(['cosine', 'gaussian', 'linear'].includes(k.type));
    for (const key of Object.keys(k)) assert.ok(['type', 'sigma', 'rffDim'].includes(key), key);
    if ('sigma' in k) assert.ok(typeof k.sigma === 'number' && k.sigma > 0);
    if ('rffDim' in k) assert.ok(Number.isInteger(k.rffDim) && k.rffDim >= 1);
  }
  assert.deepEqual(Object.keys(o.specDiff), ['xNotY', 'yNotX', 'norm']);
  for (const v of Object.values(o.specDiff)) assert.equal(typeof v, 'number');
  assert.ok(Math.abs(o.specDiff.norm - Math.max(o.specDiff.xNotY, o.specDiff.yNotX)) <= 1e-9 * o.specDiff.norm);
  assert.ok(Array.isArray(o.modes) && o.modes.length > 0);
  for (const m of o.modes) {
    assert.deepEqual(Object.keys(m), [
      'rank',
      'side',
      'eigenvalue',
      'top',
      'share',
      ...(labels ? ['labelMix', 'purity', 'entropy'] : []),
      ...ENDS_KEYS,
      ...(labels ? BOTTOM_MIX_KEYS : []),
    ]);
    assert.ok(m.share > 0 && m.share <= 1);
    assert.ok(m.top.length > 0);
    assert.equal(m.bottom.length, m.top.length, 'the bottom list streams as the top list does');
    for (const t of [...m.top, ...m.bottom]) {
      assert.deepEqual(Object.keys(t), labels ? ['index', 'score', 'label'] : ['index', 'score']);
      assert.ok(Number.isInteger(t.index) && t.index >= 0 && t.index < o.n);
      assert.equal(typeof t.score, 'number');
      if (labels) assert.equal(typeof t.label, 'string');
    }
    // the top descends, the bottom ascends from the most negative; each end past its cut counted
    for (let i = 1; i < m.top.length; i++) assert.ok(m.top[i].score <= m.top[i - 1].score && m.bottom[i].score >= m.bottom[i - 1].score);
    assert.ok(m.bottom[0].score <= m.top[m.top.length - 1].score);
    assert.ok(['cluster', 'contrast', 'diffuse'].includes(m.kind));
    assert.ok(m.massTop >= 0 && m.massBottom >= 0 && m.massTop + m.massBottom <= 1 + 1e-12);
    assert.ok(Number.isInteger(m.countTop) && Number.isInteger(m.countBottom) && m.countTop + m.countBottom <= o.n);
    assert.ok(m.cutTop > m.cutBottom);
    assert.equal(m.top.filter((t: any) => t.score >= m.cutTop).length, Math.min(m.countTop, m.top.length));
    assert.equal(m.bottom.filter((t: any) => t.score <= m.cutBottom).length, Math.min(m.countBottom, m.bottom.length));
  }
  // side x (descending, positive) first, then side y (most negative first); ranks 1, 2, ...
  const xs = o.modes.filter((m: any) => m.side === 'x'),
    ys = o.modes.filter((m: any) => m.side === 'y');
  assert.deepEqual(o.modes, [...xs, ...ys]);
  assert.ok(xs.length <= top && ys.length <= top);
  xs.forEach((m: any, i: number) => {
    assert.equal(m.rank, i + 1);
    assert.ok(m.eigenvalue > 0);
    if (i) assert.ok(m.eigenvalue <= xs[i - 1].eigenvalue);
  });
  ys.forEach((m: any, i: number) => {
    assert.equal(m.rank, i + 1);
    assert.ok(m.eigenvalue < 0);
    if (i) assert.ok(m.eigenvalue >= ys[i - 1].eigenvalue);
  });
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b), 1e-12);
  if (xs.length) assert.ok(close(xs[0].eigenvalue, o.specDiff.xNotY), 'x1 is λmax');
  if (ys.length) assert.ok(close(-ys[0].eigenvalue, o.specDiff.yNotX), 'y1 is λmin');
  assert.equal(typeof o.timings, 'object');
  for (const v of Object.values(o.timings)) assert.equal(typeof v, 'number');
}

test('--json prints exactly one object with the docs/design.md §3 schema', () => {
  const { obj } = jsonRun('--top', '3', '--samples-per-mode', '5');
  checkSchema(obj, { top: 3 });
  assert.equal(obj.n, 60);
  assert.equal(obj.eta, 1);
  assert.deepEqual(obj.kernelX, { type: 'cosine' });
  for (const m of obj.modes) assert.equal(m.top.length, 5);
});

test('--json with gaussian kernels reports σ (and m on the covariance route)', () => {
  const { obj } = jsonRun('--kernel', 'gaussian', '--sigma-x', '2.5', '--rff-dim', '64', '--method', 'covariance', '--top', '4');
  checkSchema(obj, { top: 4, rff: true });
  assert.equal(obj.method, 'covariance');
  assert.equal(obj.kernelX.type, 'gaussian');
  assert.equal(obj.kernelX.sigma, 2.5);
  assert.equal(obj.kernelX.rffDim, 64);
  assert.ok(obj.kernelY.sigma > 0, 'σ auto is reported');
});

test('--json equals the library result for the same inputs and options', async () => {
  await init();
  const Xm = readNpyF32(X),
    Ym = readNpyF32(Y);
  const cases: [string[], any][] = [
    [['--top', '3', '--samples-per-mode', '5'], { topK: 3, samplesPerMode: 5 }],
    [
      ['--kernel', 'gaussian', '--sigma-x', '2.5', '--rff-dim', '64', '--method', 'covariance', '--seed', '7', '--eta', '0.5', '--top', '2'],
      {
        kernelX: { type: 'gaussian', sigma: 2.5, rffDim: 64 },
        kernelY: { type: 'gaussian', sigma: 'auto', rffDim: 64 },
        method: 'covariance',
        seed: 7,
        eta: 0.5,
        topK: 2,
      },
    ],
    [
      ['--kernel-x', 'linear', '--kernel-y', 'gaussian', '--sigma-y', '3', '--method', 'exact'],
      {
        kernelX: 'linear',
        kernelY: { type: 'gaussian', sigma: 3 },
        method: 'exact',
      },
    ],
  ];
  for (const [args, options] of cases) {
    const { obj } = jsonRun(...args);
    const lib = await compare(Xm, Ym, options);
    const { timings, ...rest } = obj;
    const gaussian = (k: any) => (k !== null && typeof k === 'object' ? (k.sigma === 'auto' || k.sigma === undefined ? 'auto' : 'given') : null);
    const sigma = { X: gaussian(options.kernelX ?? null), Y: gaussian(options.kernelY ?? null) };
    assert.deepEqual(
      rest,
      { ...(expectedJson(lib, undefined, { seed: options.seed ?? 0, sigma, files: FILES }) as object), inputs: NPY_INPUTS },
      args.join(' '),
    );
    assert.deepEqual(Object.keys(timings).sort(), Object.keys(lib.timings).sort());
  }
});

test("--labels: JSON carries each top sample's label", async () => {
  const labels = readLines(LABELS);
  const { obj } = jsonRun('--labels', LABELS, '--top', '2');
  checkSchema(obj, { labels: true, top: 2 });
  for (const m of obj.modes) for (const t of m.top) assert.equal(t.label, labels[t.index]);
  await init();
  const lib = await compare(readNpyF32(X), readNpyF32(Y), { topK: 2 });
  const { timings, agreement, ...rest } = obj;
  void timings;
  void agreement;
  assert.deepEqual(rest, { ...(expectedJson(lib, labels, { seed: 0, sigma: { X: null, Y: null }, files: FILES }) as object), inputs: NPY_INPUTS });
});

test('human output: table of modes, SPEC-diff, kernels and σ, method and reason, timings', () => {
  const r = cli(['compare', X, Y, '--kernel-x', 'gaussian', '--sigma-x', '2.5', '--top', '2']);
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /side\s+rank\s+eigenvalue\s+share\s+kind\s+samples \(indices\)/);
  const rows = out.split('\n').filter((l) => /^[xy]\s+\d+\s+-?\d/.test(l));
  assert.ok(rows.length >= 2 && rows.length <= 4, out);
  assert.match(rows[0], /^x\s+1\s+\d\.\d{4}\s+\d+(\.\d)?%\s+(cluster|contrast|diffuse)\s+\d+(, \d+)*/);
  // a contrast lists both ends: "top … vs bottom …"
  for (const row of rows.filter((l) => /\scontrast\s/.test(l))) assert.match(row, /\d+(, \d+)*(, …)? vs \d+/);
  assert.match(out, /^y\s+1\s+-\d\.\d{4}/m);
  assert.match(out, /SPEC-diff\s+x-not-y \d\.\d{4}\s+y-not-x \d\.\d{4}\s+norm \d\.\d{4}/);
  assert.match(out, /kernel X\s+gaussian σ = 2\.5000/);
  assert.match(out, /kernel Y\s+cosine/);
  assert.match(out, /method\s+(exact|covariance) — \S/);
  assert.match(out, /timings\s+\S+ \d/);
  // shares of the listed modes add up to 100%
  const shares = rows.map((l) => Number(/(\d+(?:\.\d)?)%/.exec(l)![1]));
  assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) < 2, String(shares));
});

test('human output with --labels shows the label mix of each mode (both ends of a contrast)', () => {
  const r = cli(['compare', X, Y, '--labels', LABELS, '--top', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /kind\s+samples \(labels\)/);
  const rows = r.stdout.split('\n').filter((l) => /^[xy]\s+\d+\s/.test(l));
  for (const row of rows) assert.match(row, /[abc] \(\d+%\)/);
  // x1 of the fixture separates b from a: both ends shown
  assert.match(rows[0], /^x\s+1\s.*contrast\s+b \(100%\) vs a \(100%\)$/);
});

test('progress goes to stderr; stdout stays one JSON object', () => {
  const r = cli(['compare', X, Y, '--json', '--threads', '4', '--top', '1']);
  assert.equal(r.code, 0, r.stderr);
  const errLines = r.stderr.split('\n').filter(Boolean);
  assert.ok(
    errLines.some((l) => PROGRESS_LINE.test(l)),
    `progress lines on stderr: ${r.stderr}`,
  );
  assert.doesNotMatch(r.stdout, /spec-embed:/);
  JSON.parse(r.stdout);
});

test('--option=value and --option value are equivalent', () => {
  const a = jsonRun('--top=2', '--kernel=gaussian', '--sigma-x=2.5').obj;
  const b = jsonRun('--top', '2', '--kernel', 'gaussian', '--sigma-x', '2.5').obj;
  delete a.timings;
  delete b.timings;
  assert.deepEqual(a, b);
});

test('--version and --help', async () => {
  const { readFileSync } = await import('node:fs');
  const { ROOT } = await import('./helpers.js');
  const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8'));
  for (const v of ['--version', '-V']) {
    const r = cli([v]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${pkg.version}\n`);
  }
  const top = cli(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /usage: spec-embed <command>/);
  assert.match(top.stdout, /compare/);
  assert.match(top.stdout, /demo/);
  const c = cli(['compare', '--help']);
  assert.equal(c.code, 0);
  assert.equal(c.stderr, '');
  for (const opt of [
    'kernel',
    'kernel-x',
    'kernel-y',
    'sigma-x',
    'sigma-y',
    'rff-dim',
    'eta',
    'top',
    'method',
    'seed',
    'labels',
    'samples-per-mode',
    'threads',
    'out',
    'json',
    'key',
  ]) {
    assert.match(c.stdout, new RegExp(`^  --${opt}\\b`, 'm'), opt);
  }
  assert.match(c.stdout, /--threads N .*worker threads/);
  assert.equal(cli(['compare', X, '--help']).code, 0, '--help wins over missing arguments');
  assert.equal(cli(['help', 'compare']).stdout, c.stdout);
  const d = cli(['demo', '-h']);
  assert.equal(d.code, 0);
  assert.match(d.stdout, /--out FILE/);
  assert.match(d.stdout, /--json-out FILE/);
  assert.doesNotMatch(d.stdout, /--limit/, 'developer switch stays hidden');
});

test('on a terminal, progress bars are drawn on stderr and stdout still holds only the JSON', async (t) => {
  const { existsSync, mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { spawnSync } = await import('node:child_process');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { CLI } = await import('./helpers.js');
  if (process.platform !== 'linux' || !existsSync('/usr/bin/script')) {
    t.skip('needs util-linux script(1) to provide a pseudo-terminal');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-tty-'));
  try {
    const out = join(dir, 'out.json');
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const cmd = [process.execPath, CLI, 'compare', X, Y, '--json', '--top', '2'].map(q).join(' ') + ` > ${q(out)}`;
    const r = spawnSync('/usr/bin/script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /eigen-solve\s+\S+ 100% \| \d+\/\d+/, 'a cli-progress bar on the terminal');
    const obj = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(obj.n, 60);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

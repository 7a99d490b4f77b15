// `demo` in process on a few digits (--limit): the files it writes hold the JSON
// it prints and the report of it, and the refusals come before any work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCommand } from '../../../../src/cli/commands/demo.js';
import { UsageError } from '../../../../src/cli/args.js';
import { runCommand } from './io.js';

test('demo: option rules', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const refuse = (argv: string[], message: string) => assert.rejects(runCommand(demoCommand, argv), new UsageError(message));
  await refuse(['--out', join(dir, 'r.html')], '--out and --json-out name one file: use them with --task compare, finc or align');
  await refuse(['--task', 'everything'], "--task must be one of compare, finc, align, all, got 'everything'");
  await refuse(
    ['--task', 'finc', '--out', join(dir, 'same'), '--json-out', join(dir, 'same')],
    `--json-out ${join(dir, 'same')} is the same file as --out (${join(dir, 'same')}); choose another output path`,
  );
  await refuse(
    ['--task', 'compare', '--out', join(dir, 'r.html'), '--json-out', join(dir, 'r.json'), '--limit', '19'],
    "--limit must be an integer ≥ 20, got '19'",
  );
  await refuse(
    ['--task', 'compare', '--out', join(dir, 'r.html'), '--json-out', join(dir, 'r.json'), '--method', 'quick'],
    "--method must be one of auto, exact, covariance, got 'quick'",
  );
  await refuse(
    ['--task', 'align', '--out', join(dir, 'r.html'), '--json-out', join(dir, 'r.json'), '--objective', 'spectral'],
    "--objective must be one of x-not-y, norm, got 'spectral'",
  );
  assert.deepEqual(readdirSync(dir), [], 'nothing written');
});

test("demo --task compare: the printed JSON is the file's, the report embeds it, thumbnails are PNGs", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const html = join(dir, 'r.html'),
    json = join(dir, 'r.json');
  const r = await runCommand(demoCommand, [
    '--task',
    'compare',
    '--limit',
    '60',
    '--top',
    '2',
    '--samples-per-mode',
    '4',
    '--rff-dim',
    '50',
    '--out',
    html,
    '--json-out',
    json,
    '--json',
  ]);
  assert.equal(r.code, 0);
  const printed = JSON.parse(r.out);
  assert.deepEqual(JSON.parse(readFileSync(json, 'utf8')), printed);
  assert.equal(printed.n, 60);
  assert.deepEqual(printed.kernelX, { type: 'gaussian', sigma: printed.kernelX.sigma, rffDim: 50 });
  for (const m of printed.modes) {
    assert.equal(m.top.length, 4);
    for (const t of m.top) assert.match(t.label, /^[0-9]$/);
  }
  const page = readFileSync(html, 'utf8');
  const data = JSON.parse(/<script type="application\/json" id="spec-embed-data">([\s\S]*?)<\/script>/.exec(page)![1]);
  assert.deepEqual(data.json, printed);
  assert.deepEqual([data.xName, data.yName], ['pixels', 'HOG']);
  const thumbs = Object.values(data.thumbs) as string[];
  assert.ok(thumbs.length > 0);
  for (const u of thumbs) assert.ok(u.startsWith('data:image/png;base64,iVBORw0KGgo'), 'a PNG data URI');
  assert.ok(r.err.includes('spec-embed: demo compare: 60 MNIST digits; X = raw pixels (784), Y = gradient-orientation histograms (144)\n'));
});

test('demo --task align: both objectives; the JSON has both directions, the norm, their change and the warnings, the labels; the report shows the digits', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const html = join(dir, 'r.html'),
    json = join(dir, 'r.json');
  const base = ['--task', 'align', '--limit', '200', '--epochs', '3', '--top', '2', '--samples-per-mode', '4', '--out', html, '--json-out', json];
  const r = await runCommand(demoCommand, [...base, '--json']);
  assert.equal(r.code, 0);
  const o = JSON.parse(r.out);
  assert.deepEqual(JSON.parse(readFileSync(json, 'utf8')), o);
  assert.equal(o.objective, 'x-not-y');
  assert.deepEqual(Object.keys(o.specDiffChange), ['limit', 'xNotY', 'yNotX', 'norm']);
  assert.equal(o.warnings.length, ['xNotY', 'yNotX', 'norm'].filter((k) => o.specDiffChange[k].warn).length);
  for (const m of [...o.modesBefore, ...o.modesAfter]) {
    for (const s of m.top) assert.match(s.label, /^[0-9]$/);
    assert.ok(m.labelMix.length >= 1 && m.purity > 0);
  }
  const data = JSON.parse(/<script type="application\/json" id="spec-embed-data">([\s\S]*?)<\/script>/.exec(readFileSync(html, 'utf8'))![1]);
  assert.deepEqual(data.json, o);
  const tops = [...o.modesBefore, ...o.modesAfter].flatMap((m: { top: { index: number }[] }) => m.top.map((s) => `0:${s.index}`));
  assert.ok(
    tops.every((k: string) => data.thumbs[k]?.startsWith('data:image/png;base64,')),
    'every top digit has a thumbnail',
  );
  const n = await runCommand(demoCommand, [...base, '--objective', 'norm']);
  assert.equal(n.code, 0);
  assert.match(n.out, /^objective norm: max\(λmax, −λmin\), both directions; /m);
  assert.match(n.out, /^held-out SPEC-diff {3}before {5}after {6}change$/m);
  assert.match(n.out, /^ {2}y-not-x \(−λmin\) {4}\S+ +\S+ +\S+/m);
  const no = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(no.objective, 'norm');
  // 40 held-out digits: the held-out loss is the norm on all of them, so it never rises (up to round-off)
  assert.ok(no.specDiffAfter.norm <= no.specDiffBefore.norm * (1 + 1e-9), `${no.specDiffBefore.norm} → ${no.specDiffAfter.norm}`);
  assert.ok(r.err.includes('(objective x-not-y)') && n.err.includes('(objective norm)'));
});

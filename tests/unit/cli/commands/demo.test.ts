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
  await refuse(['--task', 'finc', '--out', join(dir, 'same'), '--json-out', join(dir, 'same')],
    `--json-out ${join(dir, 'same')} is the same file as --out (${join(dir, 'same')}); choose another output path`);
  await refuse(['--task', 'compare', '--out', join(dir, 'r.html'), '--json-out', join(dir, 'r.json'), '--limit', '19'], "--limit must be an integer ≥ 20, got '19'");
  await refuse(['--task', 'compare', '--out', join(dir, 'r.html'), '--json-out', join(dir, 'r.json'), '--method', 'quick'], "--method must be one of auto, exact, covariance, got 'quick'");
  assert.deepEqual(readdirSync(dir), [], 'nothing written');
});

test('demo --task compare: the printed JSON is the file\'s, the report embeds it, thumbnails are PNGs', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const html = join(dir, 'r.html'), json = join(dir, 'r.json');
  const r = await runCommand(demoCommand, ['--task', 'compare', '--limit', '60', '--top', '2', '--samples-per-mode', '4', '--rff-dim', '50', '--out', html, '--json-out', json, '--json']);
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

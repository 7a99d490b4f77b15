// `--out report.html`: a self-contained HTML report with one card per mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, fx } from './helpers.ts';

const X = fx('x.npy'), Y = fx('y.npy'), LABELS = fx('labels.txt');

test('--out writes a self-contained report with the header, spectrum and one card per mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-cli-'));
  try {
    const out = join(dir, 'report.html');
    const r = cli(['compare', X, Y, '--kernel', 'gaussian', '--top', '3', '--samples-per-mode', '7', '--labels', LABELS, '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const obj = JSON.parse(r.stdout); // --out does not disturb stdout
    assert.match(r.stderr, /report written to .*report\.html/);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<\/html>\s*$/);
    // header: SPEC-diff, kernels with σ, method, timings
    assert.match(html, /id="spec-diff"/);
    assert.ok(html.includes(obj.specDiff.norm.toFixed(4)), 'SPEC-diff value');
    assert.match(html, /id="kernels"[^]*gaussian<\/b>, σ = \d/);
    assert.match(html, new RegExp(`id="method"[^]*<b>${obj.method}</b>`));
    assert.match(html, /id="timings"/);
    // spectrum: one bar per mode, side x and side y coloured apart
    assert.match(html, /<svg class="spectrum"/);
    assert.equal((html.match(/<rect class="bar-x"/g) ?? []).length, obj.modes.filter((m: any) => m.side === 'x').length);
    assert.equal((html.match(/<rect class="bar-y"/g) ?? []).length, obj.modes.filter((m: any) => m.side === 'y').length);
    // cards: one per mode with eigenvalue, share, label histogram and top samples
    assert.equal((html.match(/<section class="card /g) ?? []).length, obj.modes.length);
    for (const m of obj.modes) {
      const start = html.indexOf(`id="mode-${m.side}${m.rank}"`);
      assert.ok(start > 0, `card of mode ${m.side}${m.rank}`);
      const card = html.slice(start, html.indexOf('</section>', start));
      assert.ok(card.includes(m.eigenvalue.toFixed(4)), 'eigenvalue');
      assert.match(card, /share of \|spectrum\|<\/dt><dd>\d+\.\d%/);
      assert.match(card, /Labels of the top samples/);
      assert.equal((card.match(/<tr><td>\d+<\/td>/g) ?? []).length, 7, 'top samples table');
      for (const t of m.top) assert.ok(card.includes(`<td>${t.index}</td>`));
    }
    // no external assets, no scripts
    assert.doesNotMatch(html, /<script|<link|src="http|href="http|url\(/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('labels are HTML-escaped in the report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-cli-'));
  try {
    const labels = join(dir, 'labels.txt');
    writeFileSync(labels, Array.from({ length: 60 }, (_, i) => `<b>${i % 3}</b>&`).join('\n') + '\n');
    const out = join(dir, 'r.html');
    const r = cli(['compare', X, Y, '--labels', labels, '--out', out, '--top', '1']);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(out, 'utf8');
    assert.ok(html.includes('&lt;b&gt;0&lt;/b&gt;&amp;') || html.includes('&lt;b&gt;1&lt;/b&gt;&amp;') || html.includes('&lt;b&gt;2&lt;/b&gt;&amp;'));
    assert.doesNotMatch(html, /<b>[012]<\/b>&/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

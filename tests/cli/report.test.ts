// `--out report.html`: one self-contained interactive page whose embedded data are
// the --json result plus the maps (layouts) and per-mode evidence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, fx } from './helpers.js';
import { assertSelfContained, reportData } from './report-data.js';

const X = fx('x.npy'),
  Y = fx('y.npy'),
  LABELS = fx('labels.txt');

test('--out writes a self-contained report: the --json object, both maps with every top sample, evidence per mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-cli-'));
  try {
    const out = join(dir, 'report.html');
    const r = cli(['compare', X, Y, '--kernel', 'gaussian', '--top', '3', '--samples-per-mode', '7', '--labels', LABELS, '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const obj = JSON.parse(r.stdout); // --out does not disturb stdout
    assert.match(r.stderr, /report written to .*report\.html/);
    const html = readFileSync(out, 'utf8');
    assertSelfContained(html);
    const d = reportData(html);
    assert.equal(d.task, 'compare');
    assert.equal(d.xName, 'x.npy');
    const { timings: _t, ...rest } = d.json;
    const { timings: _u, ...want } = obj;
    assert.deepEqual(rest, want);
    assert.ok(d.methodReason.length > 0);
    assert.deepEqual(d.sigmaAuto, { x: true, y: true });
    // maps: the same points laid out under X and under Y, every top sample plotted
    const n = d.maps.points.index.length;
    assert.equal(n, 60);
    assert.equal(d.maps.total, 60);
    assert.equal(d.maps.layouts.length, 2);
    for (const l of d.maps.layouts) {
      assert.equal(l.xy.length, 2 * n);
      assert.ok(l.xy.every((v: number) => Number.isFinite(v) && Math.abs(v) <= 1));
    }
    for (const m of obj.modes) for (const t of m.top) assert.ok(d.maps.points.index.includes(t.index));
    assert.equal(d.maps.points.labels[5], readFileSync(LABELS, 'utf8').split('\n')[d.maps.points.index[5]]);
    // evidence: five-number summaries, ordered top pairs for the rank view
    for (const m of obj.modes) {
      const e = d.evidence[`${m.side}${m.rank}`];
      for (const b of [e.topX, e.topY, e.allX, e.allY]) {
        assert.equal(b.length, 5);
        for (let i = 1; i < 5; i++) assert.ok(b[i] >= b[i - 1]);
      }
      assert.equal(e.rankX.length, 7 * 6);
      assert.equal(e.rankY.length, 7 * 6);
      assert.ok(e.rankX.every((k: number) => k >= 1 && k <= 59));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('labels cannot break out of the report: the data block escapes <, the page renders text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-cli-'));
  try {
    const labels = join(dir, 'labels.txt');
    writeFileSync(
      labels,
      Array.from({ length: 60 }, (_, i) => (i % 2 ? `</script><img src=x onerror=alert(1)>${i % 3}` : `<b>${i % 3}</b>&`)).join('\n') + '\n',
    );
    const out = join(dir, 'r.html');
    const r = cli(['compare', X, Y, '--labels', labels, '--out', out, '--top', '1']);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(out, 'utf8');
    assert.doesNotMatch(html, /<b>[012]<\/b>&|<img src=x/);
    const d = reportData(html);
    assert.ok(d.maps.points.labels.includes('<b>0</b>&'));
    assert.ok(d.maps.points.labels.includes('</script><img src=x onerror=alert(1)>1'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--images embeds local image files as data URIs (top samples first), never URLs; --images needs --out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-cli-'));
  try {
    // A 1 × 1 PNG for even samples, a URL for odd ones.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64');
    writeFileSync(join(dir, 'p.png'), png);
    writeFileSync(join(dir, 'list.txt'), Array.from({ length: 60 }, (_, i) => (i % 2 ? `https://example.com/${i}.png` : 'p.png')).join('\n'));
    const out = join(dir, 'r.html');
    const r = cli(['compare', X, Y, '--images', join(dir, 'list.txt'), '--out', out, '--top', '2']);
    assert.equal(r.code, 0, r.stderr);
    const d = reportData(readFileSync(out, 'utf8'));
    const keys = Object.keys(d.thumbs);
    assert.equal(keys.length, 30);
    for (const k of keys) {
      assert.equal(Number(k.split(':')[1]) % 2, 0);
      assert.equal(d.thumbs[k], `data:image/png;base64,${png.toString('base64')}`);
    }
    assert.doesNotMatch(readFileSync(out, 'utf8'), /example\.com/);
    const bad = cli(['compare', X, Y, '--images', join(dir, 'list.txt')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--images .*--out/);
    writeFileSync(join(dir, 'short.txt'), 'p.png\n');
    const short = cli(['compare', X, Y, '--images', join(dir, 'short.txt'), '--out', out]);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /short\.txt.*1 image paths but the embedding has 60 rows/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

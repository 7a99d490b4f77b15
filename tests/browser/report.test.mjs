// The interactive report in real headless Chromium, opened from file:// with the
// network cut: the page shows the --json result (both ends of every mode), selecting
// a mode highlights exactly its top samples in both maps and rings its bottom samples,
// data strings render as text, exports work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIX, cli, launch, offlinePage, withoutTimings } from './page-helpers.mjs';

const HOSTILE = '<img src=x onerror=alert(1)>';
let dir, b, json, fincJson;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spec-embed-report-'));
  json = JSON.parse(
    cli(['compare', `${FIX}x.npy`, `${FIX}y.npy`, '--labels', `${FIX}labels.txt`, '--top', '3', '--out', join(dir, 'compare.html'), '--json']).stdout,
  );
  fincJson = JSON.parse(
    cli(['finc', `${FIX}x.npy`, `${FIX}y-finc.npy`, '--labels', `${FIX}labels.txt`, '--top', '2', '--out', join(dir, 'finc.html'), '--json']).stdout,
  );
  b = await launch();
});

after(async () => {
  await b?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(file, viewport) {
  const p = await offlinePage(b.browser, viewport);
  await p.page.goto(`file://${join(dir, file)}`);
  await p.page.waitForFunction(() => window.specReport !== undefined);
  return p;
}

test('modes, eigenvalues, top samples and SPEC-diff on the page equal the --json output', async () => {
  const { page, context, log } = await open('compare.html');
  const cards = await page.$$eval('section.card', (els) =>
    els.map((e) => ({
      mode: e.getAttribute('data-mode'),
      eigenvalue: Number(e.getAttribute('data-eigenvalue')),
      top: [...e.querySelectorAll('table.top td.index')].map((td) => Number(td.textContent)),
      bottom: [...e.querySelectorAll('table.bottom td.index')].map((td) => Number(td.textContent)),
      kind: e.querySelector('dd.kind').textContent.split(':')[0],
    })),
  );
  assert.deepEqual(
    cards,
    json.modes.map((m) => ({
      mode: `${m.side}${m.rank}`,
      eigenvalue: m.eigenvalue,
      top: m.top.map((t) => t.index),
      bottom: m.bottom.map((t) => t.index),
      kind: m.kind,
    })),
  );
  // the planted x1 (tight in X, scattered in Y) is one end: its top
  assert.equal(json.modes[0].kind, 'cluster');
  assert.equal(Number(await page.getAttribute('#spec-diff .big', 'data-value')), json.specDiff.norm);
  assert.deepEqual(withoutTimings(await page.evaluate(() => window.specReport.data.json)), withoutTimings(json));
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

test('selecting a mode (button, spectrum bar, card, keyboard) highlights exactly its top samples in both maps', async () => {
  const { page, context, log } = await open('compare.html');
  const highlighted = () => page.evaluate(() => ['#map-0', '#map-1'].map((s) => JSON.parse(document.querySelector(s).getAttribute('data-highlighted'))));
  const ringed = () => page.evaluate(() => ['#map-0', '#map-1'].map((s) => JSON.parse(document.querySelector(s).getAttribute('data-ringed'))));
  const expect = (m) => m.top.map((t) => t.index).sort((a, c) => a - c);
  // the first mode is selected on load
  assert.deepEqual(await highlighted(), [expect(json.modes[0]), expect(json.modes[0])]);
  for (const m of json.modes) {
    await page.click(`.chooser button[data-mode="${m.side}${m.rank}"]`);
    assert.deepEqual(await highlighted(), [expect(m), expect(m)], `mode ${m.side}${m.rank}`);
    // every mode's bottom samples are plotted too: all of them ringed
    const low = m.bottom.map((t) => t.index).sort((a, c) => a - c);
    assert.deepEqual(await ringed(), [low, low], `mode ${m.side}${m.rank} bottom`);
    assert.equal(await page.getAttribute(`.chooser button[data-mode="${m.side}${m.rank}"]`, 'aria-pressed'), 'true');
  }
  const y1 = json.modes.find((m) => m.side === 'y' && m.rank === 1);
  await page.click('g.bar[data-mode="y1"]');
  assert.deepEqual(await highlighted(), [expect(y1), expect(y1)]);
  await page.focus('g.bar[data-mode="x2"]');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => window.specReport.selected), 'x2');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => window.specReport.selected), 'x3');
  await page.click('#mode-y2 .facts');
  assert.equal(await page.evaluate(() => window.specReport.selected), 'y2');
  await page.click('.chooser button[data-mode=""]');
  assert.deepEqual(await highlighted(), [[], []]);
  // evidence of the planted mode: its top samples are much closer in X than random pairs, not in Y
  const ev = await page.evaluate(() => window.specReport.data.evidence.x1);
  assert.ok(ev.topX[2] > ev.allX[4] * 0.5 && ev.topX[2] > ev.allX[2], 'tight in X');
  assert.ok(ev.topY[2] < ev.topX[2], 'scattered in Y');
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

test('a hostile label renders literally (no element, no script) and hover shows index and label', async () => {
  const { page, context, log } = await open('compare.html');
  assert.ok(
    json.modes[0].top.some((t) => t.label === HOSTILE),
    'fixture: the hostile label is a top sample of x1',
  );
  const cells = await page.$$eval('td.label', (tds, s) => tds.filter((td) => td.textContent === s).length, HOSTILE);
  assert.ok(cells >= 1);
  assert.equal(await page.$$eval('img[src="x"]', (e) => e.length), 0);
  // hover over the highlighted point of the hostile sample in map 0 (the map scrolled into view: the point may lie anywhere in it)
  await page.$eval('#map-0', (e) => e.scrollIntoView({ block: 'center' }));
  const at = await page.evaluate(() => {
    const d = window.specReport.data.maps;
    const p = d.points.labels.findIndex((l) => l.startsWith('<img'));
    const c = document.querySelector('#map-0').getBoundingClientRect();
    const [x, y] = [d.layouts[0].xy[2 * p], d.layouts[0].xy[2 * p + 1]];
    const span = c.width - 20;
    return { x: c.left + 10 + ((x + 1) / 2) * span, y: c.top + 10 + ((1 - y) / 2) * span, index: d.points.index[p] };
  });
  await page.mouse.move(at.x, at.y);
  const tip = await page.$eval('.map .tip', (t) => ({ hidden: t.hidden, text: [...t.children].map((c) => c.textContent) }));
  assert.equal(tip.hidden, false);
  assert.equal(tip.text.length, 2);
  assert.match(tip.text[0], /^#\d+$/);
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

test('export: the JSON result and a PNG of a chart and of a map', async () => {
  const { page, context } = await open('compare.html');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  assert.deepEqual(JSON.parse(readFileSync(await dl.path(), 'utf8')), await page.evaluate(() => window.specReport.data.json));
  for (const sel of ['.chart .png >> nth=0', '.map >> xpath=.. >> .png']) {
    const [png] = await Promise.all([page.waitForEvent('download'), page.click(sel)]);
    assert.match(png.suggestedFilename(), /\.png$/);
    const bytes = readFileSync(await png.path());
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.ok(bytes.length > 1000);
  }
  await context.close();
});

test('phone width: nothing overflows horizontally', async () => {
  const { page, context, log } = await open('compare.html', { width: 390, height: 800 });
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 391, `page is ${w}px wide at a 390px viewport`);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test("finc report: frequencies, pooled maps coloured by set, top samples of the side's set highlighted", async () => {
  const { page, context, log } = await open('finc.html');
  const cards = await page.$$eval('section.card', (els) => els.map((e) => Number(e.getAttribute('data-eigenvalue'))));
  assert.deepEqual(
    cards,
    fincJson.modes.map((m) => m.eigenvalue),
  );
  // the chart's bars are the modes' frequencies in X and in Y, as --json has them
  const bars = await page.$$eval('svg[aria-label^="fraction of X and of Y"] rect[data-value]', (r) =>
    r.map((e) => [e.getAttribute('class'), Number(e.getAttribute('data-value'))]),
  );
  assert.deepEqual(
    bars,
    fincJson.modes.flatMap((m) => [
      ['freq-x', m.freqX],
      ['freq-y', m.freqY],
    ]),
  );
  // the planted type (x1: the tight cluster Y's set lacks) is 40 of X's 300 samples and none of Y's (the noise
  // samples its end takes are in both sets: Y is X without the cluster)
  const x1 = fincJson.modes[0];
  assert.ok(Math.abs(x1.freqX - 40 / 300) <= 0.02 && x1.freqY <= 0.02, `x1: ${x1.freqX}, ${x1.freqY}`);
  for (const m of fincJson.modes) {
    await page.click(`.chooser button[data-mode="${m.side}${m.rank}"]`);
    const got = await page.evaluate(() => ['#map-0', '#map-1'].map((s) => JSON.parse(document.querySelector(s).getAttribute('data-highlighted'))));
    const want = m.top.map((t) => t.index).sort((a, c) => a - c);
    assert.deepEqual(got, [want, want]);
  }
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

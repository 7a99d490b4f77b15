// The interactive report in real headless Chromium, opened from file:// with the
// network cut: the page shows the --json result (both ends of every mode), selecting
// a mode highlights exactly its top samples in both maps and rings its bottom samples,
// data strings render as text, exports work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIX, cli, launch, offlinePage, withoutTimings } from './page-helpers.mjs';

const HOSTILE = '<img src=x onerror=alert(1)>';
let dir, b, json, fincJson, json40;
/** 40 classes over the fixture's 300 samples: class c has 16 − c/3 samples (rounded), the rest go to class 0. */
const LABELS40 = (() => {
  const out = [];
  for (let c = 39; c >= 1; c--) for (let k = 0; k < Math.round(12 - c / 4); k++) out.push(`class ${c}`);
  while (out.length < 300) out.push('class 0');
  return out;
})();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spec-embed-report-'));
  json = JSON.parse(
    cli(['compare', `${FIX}x.npy`, `${FIX}y.npy`, '--labels', `${FIX}labels.txt`, '--top', '3', '--out', join(dir, 'compare.html'), '--json']).stdout,
  );
  fincJson = JSON.parse(
    cli(['finc', `${FIX}x.npy`, `${FIX}y-finc.npy`, '--labels', `${FIX}labels.txt`, '--top', '2', '--out', join(dir, 'finc.html'), '--json']).stdout,
  );
  writeFileSync(join(dir, 'labels40.txt'), `${LABELS40.join('\n')}\n`);
  json40 = JSON.parse(
    cli(['compare', `${FIX}x.npy`, `${FIX}y.npy`, '--labels', join(dir, 'labels40.txt'), '--top', '3', '--out', join(dir, 'compare40.html'), '--json']).stdout,
  );
  cli(['align', `${FIX}x.npy`, `${FIX}y.npy`, '--epochs', '3', '--top', '3', '--out', join(dir, 'align.html')]);
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
  // x1 (tight in X, scattered in Y) is a density mode: its maps are folded; unfold them
  await page.click('#show-maps');
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
  assert.equal(tip.text.length, 3);
  assert.match(tip.text[0], /^#\d+$/);
  assert.equal(tip.text[1], HOSTILE);
  assert.match(tip.text[2], /^score in x1: /);
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

test('export: the JSON result and a PNG of a chart and of a map', async () => {
  const { page, context } = await open('compare.html');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  await page.click('#show-maps');
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

/** Where plotted point p of a map is, in page coordinates, and its pixel on the canvas (device pixels). */
async function pointAt(page, map, p) {
  await page.$eval(`#map-${map}`, (c) => c.scrollIntoView({ block: 'center' }));
  return page.evaluate(
    ([map, p]) => {
      const d = window.specReport.data.maps;
      const c = document.querySelector(`#map-${map}`);
      const r = c.getBoundingClientRect();
      const xy = d.layouts[d.panels[map].layout].xy;
      const span = c.clientWidth - 20;
      const x = 10 + ((xy[2 * p] + 1) / 2) * span,
        y = 10 + ((1 - xy[2 * p + 1]) / 2) * span;
      return { pageX: r.left + x, pageY: r.top + y, x, y, dpr: c.width / c.clientWidth };
    },
    [map, p],
  );
}

async function pixel(page, map, x, y) {
  return page.evaluate(
    ([map, x, y]) => {
      const c = document.querySelector(`#map-${map}`);
      const k = c.width / c.clientWidth;
      return [
        ...c
          .getContext('2d')
          .getImageData(Math.round(x * k), Math.round(y * k), 1, 1)
          .data.slice(0, 3),
      ];
    },
    [map, x, y],
  );
}

const rgb = (hex) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
const near = (a, b, tol = 12) => a.every((v, i) => Math.abs(v - b[i]) <= tol);
/** The first mode whose view is the maps (not a density difference). */
const mapsMode = (page) =>
  page.evaluate(() => {
    const d = window.specReport.data;
    return d.json.modes.map((m) => `${m.side}${m.rank}`).find((k) => d.density[k].view === 'maps');
  });

test("linked hover: a point hovered in X's map is ringed in Y's, whose tip gives its index, label and score in the selected mode", async () => {
  const { page, context, log } = await open('compare.html');
  const k = await mapsMode(page);
  await page.click(`.chooser button[data-mode="${k}"]`);
  const m = json.modes.find((q) => `${q.side}${q.rank}` === k);
  const top = m.top[0];
  const p = await page.evaluate((i) => window.specReport.data.maps.points.index.indexOf(i), top.index);
  const at = await pointAt(page, 0, p);
  await page.mouse.move(at.pageX, at.pageY);
  assert.equal(await page.getAttribute('#map-1', 'data-linked'), String(top.index));
  assert.equal(await page.getAttribute('#map-0', 'data-linked'), String(top.index));
  const tip = await page.$eval('#map-1 + .tip', (t) => ({ hidden: t.hidden, text: [...t.children].map((c) => c.textContent) }));
  assert.equal(tip.hidden, false);
  assert.equal(tip.text[0], `#${top.index}`);
  assert.equal(tip.text[1], top.label);
  const score = Number(/^score in (\w+): (.*)$/.exec(tip.text[2])[2]);
  assert.ok(Math.abs(score - top.score) <= 1e-3 * Math.abs(top.score) + 1e-4, `${tip.text[2]} vs ${top.score}`);
  // the ring is drawn in Y's map around the same sample
  const ring = await pointAt(page, 1, p);
  const dark = [];
  for (const r of [9, 9.5, 10, 10.5, 11]) dark.push(Math.max(...(await pixel(page, 1, ring.x + r, ring.y))));
  assert.ok(Math.min(...dark) < 90, `a dark ring 10 px from the point: ${dark}`);
  await page.mouse.move(1, 1);
  assert.equal(await page.getAttribute('#map-1', 'data-linked'), '');
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

test('selection: top samples keep their class colour, marked by size and a dark outline (not blue or orange)', async () => {
  const { page, context, log } = await open('compare.html');
  const k = await mapsMode(page);
  await page.click(`.chooser button[data-mode="${k}"]`);
  const m = json.modes.find((q) => `${q.side}${q.rank}` === k);
  // the last top sample is drawn last: nothing covers its centre or its outline
  const last = m.top[m.top.length - 1];
  const p = await page.evaluate((i) => window.specReport.data.maps.points.index.indexOf(i), last.index);
  const swatch = await page.$eval(`#map-legend .legend-item[data-label="${last.label}"] i`, (i) => getComputedStyle(i).backgroundColor);
  const classColor = swatch.match(/\d+/g).slice(0, 3).map(Number);
  for (const map of [0, 1]) {
    const at = await pointAt(page, map, p);
    const centre = await pixel(page, map, at.x, at.y);
    assert.ok(near(centre, classColor), `map ${map}: centre ${centre} is the class colour ${classColor}`);
    for (const side of ['#2b6cb0', '#c05621']) assert.ok(!near(centre, rgb(side), 30), `map ${map}: not a side colour`);
    // the outline (radius 5, 2 px wide): its darkest pixel along a ray to the right
    let edge = [255, 255, 255];
    for (const r of [4, 4.5, 5, 5.5, 6]) {
      const px = await pixel(page, map, at.x + r, at.y);
      if (px[0] + px[1] + px[2] < edge[0] + edge[1] + edge[2]) edge = px;
    }
    assert.ok(
      edge.every((v) => v < 90),
      `map ${map}: outline ${edge} is dark`,
    );
  }
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

test('40 classes: the 20 most frequent coloured, the rest as "other", a legend always; a click picks a class in both maps', async () => {
  const { page, context, log } = await open('compare40.html');
  // x1, selected on load, is the planted density mode: its maps and legend are folded
  assert.equal(await page.isVisible('#map-legend'), false);
  await page.click('#show-maps');
  const items = await page.$$eval('#map-legend .legend-item', (els) =>
    els.map((e) => ({
      label: e.getAttribute('data-label'),
      other: e.hasAttribute('data-other'),
      text: e.textContent,
      color: e.querySelector('i').style.background,
    })),
  );
  const counts = new Map();
  for (const l of LABELS40) counts.set(l, (counts.get(l) ?? 0) + 1);
  const byCount = [...counts].sort((a, c) => c[1] - a[1] || a[0].localeCompare(c[0], 'en', { numeric: true }));
  const want = byCount
    .slice(0, 20)
    .map(([l]) => l)
    .sort((a, c) => a.localeCompare(c, 'en', { numeric: true }));
  assert.deepEqual(
    items.filter((i) => !i.other).map((i) => i.label),
    want,
  );
  assert.equal(new Set(items.filter((i) => !i.other).map((i) => i.color)).size, 20, 'twenty distinct colours');
  assert.deepEqual(
    items.filter((i) => i.other).map((i) => i.text),
    [`other: 20 classes (${byCount.slice(20).reduce((a, [, c]) => a + c, 0)})`],
  );
  const label = want[3];
  await page.click(`#map-legend .legend-item[data-label="${label}"]`);
  for (const map of ['#map-0', '#map-1']) {
    assert.equal(await page.getAttribute(map, 'data-focus'), label);
    assert.equal(Number(await page.getAttribute(map, 'data-focus-count')), counts.get(label));
  }
  assert.equal(await page.getAttribute(`#map-legend .legend-item[data-label="${label}"]`, 'aria-pressed'), 'true');
  await page.click('#map-legend .legend-item[data-other]');
  assert.equal(await page.getAttribute('#map-0', 'data-focus'), 'other');
  assert.equal(
    Number(await page.getAttribute('#map-1', 'data-focus-count')),
    byCount.slice(20).reduce((a, [, c]) => a + c, 0),
  );
  await page.click('#map-legend .legend-item[data-other]');
  assert.equal(await page.getAttribute('#map-0', 'data-focus'), '');
  assert.equal(json40.modes.length > 0, true);
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

test("a density mode shows its top samples' spread under X and Y instead of the maps; a maps mode shows the maps", async () => {
  const { page, context, log } = await open('compare.html');
  // x1: the planted cluster, tight in X and scattered in Y
  const d = await page.evaluate(() => window.specReport.data.density.x1);
  assert.equal(d.view, 'density');
  const ratios = d.x.map((v, i) => d.y[i] / v).sort((a, c) => a - c);
  assert.ok(ratios[Math.floor(ratios.length / 2)] > 4, `Y spreads them: ${ratios}`);
  assert.equal(await page.isVisible('#density-view svg.density-chart'), true);
  assert.equal(await page.isVisible('#maps-row'), false);
  assert.equal(await page.$$eval('#density-view g.pair', (g) => g.length), Math.min(12, json.modes[0].top.length), 'its first 12 top samples');
  assert.match(await page.textContent('#density-view .density-text'), /packs them about \d+× tighter/);
  await page.click('#show-maps');
  assert.equal(await page.isVisible('#maps-row'), true);
  await page.click(`.chooser button[data-mode="${await mapsMode(page)}"]`);
  assert.equal(await page.isVisible('#density-view'), false);
  assert.equal(await page.isVisible('#maps-row'), true);
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

test('finc maps: colour by set, or by label with a legend of the classes', async () => {
  const { page, context, log } = await open('finc.html');
  assert.equal(await page.getAttribute('#color-by-set', 'aria-pressed'), 'true');
  assert.deepEqual(await page.$$eval('#map-legend [data-set]', (e) => e.map((x) => x.getAttribute('data-set'))), ['x', 'y']);
  // a point of X's set in X's map: blue by set
  const p = await page.evaluate(() => {
    const d = window.specReport.data.maps;
    const top = new Set(window.specReport.data.json.modes.flatMap((m) => [...m.top, ...(m.bottom ?? [])].map((t) => t.index)));
    return d.points.index.findIndex((i, q) => d.points.set[q] === 0 && d.points.labels[q] === 'noise' && !top.has(i));
  });
  await page.click('.chooser button[data-mode=""]');
  const at = await pointAt(page, 0, p);
  const bySet = await pixel(page, 0, at.x, at.y);
  await page.click('#color-by-label');
  assert.equal(await page.getAttribute('#color-by-label', 'aria-pressed'), 'true');
  const labels = await page.$$eval('#map-legend .legend-item', (e) => e.map((x) => x.getAttribute('data-label')));
  assert.ok(labels.includes('noise') && labels.includes('tight-in-X'), labels.join());
  const noise = await page.$eval('#map-legend .legend-item[data-label="noise"] i', (i) => getComputedStyle(i).backgroundColor);
  const byLabel = await pixel(page, 0, at.x, at.y);
  assert.notDeepEqual(byLabel, bySet, 'the colour changed');
  // drawn at 65% over white: between white and the class colour, on its hue
  const c = noise.match(/\d+/g).slice(0, 3).map(Number);
  const blend = c.map((v) => Math.round(255 + 0.65 * (v - 255)));
  assert.ok(near(byLabel, blend, 20), `${byLabel} ≈ ${blend}`);
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

test('chart text is readable: spectrum ticks ≥ 11 px on the compare and align pages, the loss chart has axis titles', async () => {
  for (const file of ['compare.html', 'align.html']) {
    const { page, context } = await open(file);
    const sizes = await page.$$eval('svg.spectrum text.tick', (ts) =>
      ts.map((t) => {
        const svg = t.ownerSVGElement;
        return Number(t.getAttribute('font-size')) * (svg.clientWidth / svg.viewBox.baseVal.width);
      }),
    );
    assert.ok(sizes.length > 0 && sizes.every((v) => v >= 11), `${file}: ${sizes.map((v) => v.toFixed(1))}`);
    if (file === 'align.html') {
      const titles = await page.$$eval('svg[aria-label="loss curves"] text.axis-title', (ts) => ts.map((t) => t.textContent));
      assert.deepEqual(titles, ['epoch (0: the initial map)', 'loss']);
    }
    await context.close();
  }
});

test("box-plot ticks at round values; the rank plot has a guide; the top samples' score is explained", async () => {
  const { page, context } = await open('compare.html');
  const ticks = await page.$$eval('#evidence svg text.tick', (ts) => ts.map((t) => t.textContent));
  assert.ok(ticks.length >= 3);
  for (const t of ticks) assert.match(t, /^−?\d+(\.\d{1,2})?$/, `a round tick: ${t}`);
  assert.match(await page.textContent('#rank-guide'), /^How to read it: one dot per pair of top samples/);
  assert.match(await page.textContent('#score-help'), /^score: the sample's entry in the mode's eigenvector/);
  await context.close();
});

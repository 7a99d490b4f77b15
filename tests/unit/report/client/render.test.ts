// The renderer on a stand-in document: what a compare, finc and align report
// shows, and the selection state (spectrum, chooser, cards, maps, ← →) it keeps
// in step. Labels and titles from the data stay text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom, text, type FakeElement } from './fake-dom.js';
import { render } from '../../../../src/report/client/render.js';
import type { ReportData } from '../../../../src/report/data.js';
import { toCliJson } from '../../../../src/report/json.js';
import { toFincCliJson } from '../../../../src/report/finc-json.js';
import { fiveNumbers } from '../../../../src/report/evidence.js';
import { formatNumber } from '../../../../src/report/format.js';
import { fincResult, specResult } from '../../cli/results.js';

const doc = installDom();
const HOSTILE = '<img src=x onerror=alert(1)>';
const labels = ['a', 'b', HOSTILE, 'd', 'e', 'f'];

function compareData(): ReportData {
  const box = fiveNumbers([0.1, 0.2, 0.3]);
  const ev = { topX: box, topY: box, allX: box, allY: box, rankX: [1, 2], rankY: [3, 4], rankOf: 5 };
  return {
    format: 'spec-embed-report',
    version: '9.9.9',
    task: 'compare',
    title: `Report ${HOSTILE}`,
    xName: 'x.npy',
    yName: 'y.npy',
    json: toCliJson(specResult(), labels),
    methodReason: 'because',
    sigmaAuto: { y: true },
    maps: {
      points: { index: [0, 2, 4, 5], set: [0, 0, 0, 0], labels: ['a', HOSTILE, 'e', 'f'] },
      layouts: [
        { method: 'umap', xy: [0, 0, 1, 1, -1, -1, 0.5, 0.5] },
        { method: 'umap', xy: [0, 0, 1, 1, -1, -1, 0.5, 0.5] },
      ],
      panels: [
        { title: 'x.npy', layout: 0 },
        { title: 'y.npy', layout: 1 },
      ],
      total: 6,
    },
    evidence: { x1: ev, y1: ev },
    generated: 'today',
  };
}

function mount() {
  const root = doc.createElement('div');
  root.setAttribute('data-spec-root', '');
  doc.body.replaceChildren(root);
  return root;
}

test('compare: header, summary boxes, maps, cards; the first mode selected', () => {
  const root = mount();
  const handle = render(compareData(), root as unknown as HTMLElement);
  assert.equal(doc.title, `Report ${HOSTILE}`);
  assert.equal(text(root.querySelector('h1')), `Report ${HOSTILE}`, 'the title as text');
  assert.equal(root.querySelector('#spec-diff .big')!.getAttribute('data-value'), '0.75');
  assert.deepEqual(root.querySelectorAll('#kernels div').slice(1).map(text), [
    'X: cosine',
    'Y: gaussian, σ = 0.5000 (auto: median pairwise distance), 100 random Fourier frequencies',
  ]);
  assert.equal(text(root.querySelector('#method b')), 'exact');
  assert.match(text(root.querySelector('#timings')), /read: 1\.0 ms.*solve: 0\.50 s.*total: 1\.25 s/);
  assert.equal(text(root.querySelector('footer')), 'spec-embed 9.9.9 · SPEC (Jalali, Dibaei Nia & Farnia, ICML 2025) · today');
  assert.deepEqual(
    root.querySelectorAll('.chooser button').map((b) => b.getAttribute('data-mode')),
    ['x1', 'y1', ''],
  );
  assert.deepEqual(
    root.querySelectorAll('section.card').map((c) => c.id),
    ['mode-x1', 'mode-y1'],
  );
  assert.equal(handle.selected, 'x1');
  assert.equal(root.getAttribute('data-selected'), 'x1');
  // x1's top samples 2, 0, 5 are plotted at positions 1, 0, 3: the maps report the sample indices
  assert.equal(root.querySelector('#map-0')!.getAttribute('data-highlighted'), '[0,2,5]');
  assert.equal(root.querySelector('#map-1')!.getAttribute('data-highlighted'), '[0,2,5]');
  // its bottom samples 3 and 1 are not among the plotted points: nothing ringed
  assert.equal(root.querySelector('#map-0')!.getAttribute('data-ringed'), '[]');
  assert.match(
    text(root.querySelector('#selection')),
    /^Mode x1 \(λ = 0\.7500, contrast\)\. Its 3 top samples are drawn larger and outlined, its 2 bottom samples with a dashed outline, in both maps\.$/,
  );
  assert.equal(root.querySelectorAll('#evidence .chart').length, 2);
  // the labels tables of x1's card, top end then bottom end: the hostile label is a text cell
  assert.deepEqual(root.querySelectorAll('#mode-x1 table.top td.label').map(text), [HOSTILE, 'a', 'f']);
  assert.deepEqual(root.querySelectorAll('#mode-x1 table.bottom td.label').map(text), ['d', 'b']);
  assert.deepEqual(root.querySelectorAll('#mode-x1 .end h4').map(text), ['Top end (largest scores)', 'Bottom end (most negative scores)']);
  assert.deepEqual(root.querySelectorAll('#mode-x1 .end-bottom .hl').map(text), ['b', 'd'], "the bottom samples' label mix");
  assert.equal(text(root.querySelector('#mode-x1 dd.kind')), 'contrast: the samples at one end against those at the other');
  assert.equal(text(root.querySelector('#mode-x1 dd.ends')), 'top 2, 50% · bottom 1, 38%');
  assert.ok(!root.querySelectorAll('img').some((i) => i.getAttribute('src') === 'x'));
  assert.equal(text(root.querySelector('#mode-x1 dd.eigenvalue')), '0.7500');
});

test('compare: the maps captioned as illustrations, a legend of the classes (a click picks one in both maps), the score explained', () => {
  const root = mount();
  render(compareData(), root as unknown as HTMLElement);
  assert.match(text(root.querySelector('#maps-caption')), /^An illustration, not the evidence\./);
  assert.ok(root.querySelectorAll('h3').some((e) => text(e) === 'Evidence of the selected mode'));
  const items = root.querySelectorAll('#map-legend .legend-item');
  assert.deepEqual(items.map(text), [`${HOSTILE} (1)`, 'a (1)', 'e (1)', 'f (1)']);
  items[1].click();
  const legend = root.querySelector('#map-legend')!;
  assert.equal(legend.querySelectorAll('.legend-item')[1].getAttribute('aria-pressed'), 'true');
  for (const id of ['#map-0', '#map-1']) assert.equal(root.querySelector(id)!.getAttribute('data-focus'), 'a');
  legend.querySelectorAll('.legend-item')[1].click();
  assert.equal(root.querySelector('#map-0')!.getAttribute('data-focus'), '', 'a second click clears');
  assert.match(text(root.querySelector('#score-help')), /^score: the sample's entry in the mode's eigenvector u/);
  assert.ok(root.querySelectorAll('#mode-x1 th').some((t) => text(t) === 'score' && t.getAttribute('title')!.startsWith('score:')));
});

test('compare: a density mode shows its spread under X and Y in place of the maps (which a button unfolds); a maps mode shows the maps', () => {
  const root = mount();
  const data = compareData();
  const box = [0.5, 0.8, 1, 1.2, 3] as [number, number, number, number, number];
  data.density = {
    x1: { k: 10, of: 4, index: [2, 0, 5], x: [0.2, 0.25, 0.3], y: [1, 1.1, 0.9], refX: box, refY: box, ratio: 4, view: 'density' },
    y1: { k: 10, of: 4, index: [4], x: [1], y: [1.1], refX: box, refY: box, ratio: 1.1, view: 'maps' },
  };
  const handle = render(data, root as unknown as HTMLElement);
  const view = root.querySelector('#density-view')!,
    row = root.querySelector('#maps-row')!;
  assert.equal(view.hidden, false);
  assert.equal(row.hidden, true);
  assert.equal(root.querySelector('#map-legend')!.hidden, true, 'the legend folds with the maps');
  assert.equal(view.querySelectorAll('svg.density-chart g.pair').length, 3);
  assert.match(text(view.querySelector('.density-text')), /x\.npy packs them about 4\.0× tighter than y\.npy does/);
  assert.match(text(root.querySelector('#selection')), /A difference of density/);
  (root.querySelector('#show-maps') as FakeElement).click();
  assert.equal(row.hidden, false);
  assert.equal(root.querySelector('#map-legend')!.hidden, false);
  assert.match(text(root.querySelector('#evidence dd.spread')), /x\.npy 0\.25× · y\.npy 1\.0×/);
  handle.select('y1');
  assert.equal(view.hidden, true);
  assert.equal(row.hidden, false);
});

test("the summary's SPEC-diff box names the RFF error when the result has one, and only then", () => {
  const root = mount();
  assert.equal(root.querySelector('#rff-error'), null);
  render(compareData(), root as unknown as HTMLElement);
  assert.equal(root.querySelector('#rff-error'), null);
  const data = compareData();
  data.json = toCliJson(specResult({ rffError: { xNotY: 0.031, yNotX: 0.078, norm: 0.078, sample: 500 } }), labels);
  render(data, root as unknown as HTMLElement);
  assert.equal(
    text(root.querySelector('#spec-diff #rff-error')),
    "random-feature error: norm 7.8%   x-not-y 3.1%   y-not-x 7.8%   (on a sample of 500 rows: the exact kernel against the run's random features)",
  );
});

test('compare: selecting by chooser, card and keys keeps every view in step', () => {
  const root = mount();
  const handle = render(compareData(), root as unknown as HTMLElement);
  const chooser = (k: string) => root.querySelectorAll('.chooser button').find((b) => b.getAttribute('data-mode') === k)!;
  chooser('y1').click();
  assert.equal(handle.selected, 'y1');
  assert.deepEqual(
    root.querySelectorAll('.chooser button').map((b) => b.getAttribute('aria-pressed')),
    ['false', 'true', 'false'],
  );
  assert.deepEqual(
    root.querySelectorAll('section.card').map((c) => c.classList.contains('selected')),
    [false, true],
  );
  assert.deepEqual(
    root.querySelectorAll('g.bar').map((g) => g.getAttribute('aria-pressed')),
    ['false', 'true'],
  );
  assert.equal(root.querySelector('#map-0')!.getAttribute('data-highlighted'), '[4]');
  // y1's bottom sample 0 is plotted: ringed
  assert.equal(root.querySelector('#map-0')!.getAttribute('data-ringed'), '[0]');
  chooser('').click();
  assert.equal(handle.selected, null);
  assert.equal(root.getAttribute('data-selected'), '');
  assert.equal(text(root.querySelector('#selection')), 'No mode selected.');
  assert.equal(root.querySelectorAll('#evidence .chart').length, 0);
  doc.dispatch('keydown', { key: 'ArrowRight', target: null });
  assert.equal(handle.selected, 'x1');
  doc.dispatch('keydown', { key: 'ArrowLeft', target: null });
  assert.equal(handle.selected, 'y1', '← from the first wraps to the last');
  doc.dispatch('keydown', { key: 'ArrowRight', target: { tagName: 'INPUT' } });
  assert.equal(handle.selected, 'y1', 'keys typed into a field are not steps');
  (root.querySelector('#mode-x1 h3') as FakeElement).click();
  assert.equal(handle.selected, 'x1', 'a click on a card selects it');
  handle.select('nope');
  assert.equal(handle.selected, null);
});

test('compare without modes: the page says so', () => {
  const root = mount();
  const data = compareData();
  data.json = toCliJson(specResult({ modes: [] }));
  render(data, root as unknown as HTMLElement);
  assert.equal(text(root.querySelector('#no-modes')), 'No modes: the two sides agree to numerical precision.');
  assert.equal(root.querySelectorAll('section.card').length, 0);
});

test('finc: frequencies chart, one kernel, cards per side naming the set', () => {
  const root = mount();
  const r = fincResult();
  const handle = render(
    {
      format: 'spec-embed-report',
      version: '1',
      task: 'finc',
      title: 'F',
      xName: 'X set',
      yName: 'Y set',
      json: toFincCliJson(r),
      local: true,
    },
    root as unknown as HTMLElement,
  );
  assert.equal(text(root.querySelector('p.local')), 'Computed in this page: nothing left this machine.');
  assert.deepEqual(root.querySelectorAll('#kernels div').slice(1).map(text), ['gaussian, σ = 1.5000, 64 random Fourier frequencies']);
  assert.ok(root.querySelectorAll('h4').some((e) => text(e) === 'fraction of X set and of Y set in each mode'));
  // the chart's bars are the modes' frequencies (x1: 50% of X, 0 of Y; y1: 25%, 2/3)
  assert.deepEqual(
    root.querySelectorAll('rect.freq-x').map((r) => Number(r.getAttribute('data-value'))),
    [0.5, 0.25],
  );
  assert.deepEqual(
    root.querySelectorAll('rect.freq-y').map((r) => Number(r.getAttribute('data-value'))),
    [0, 2 / 3],
  );
  assert.deepEqual(
    root
      .querySelectorAll('h2')
      .map(text)
      .filter((t) => t.startsWith('Side')),
    ['Side x: over-represented in X set', 'Side y: over-represented in Y set'],
  );
  assert.deepEqual(root.querySelectorAll('#mode-y1 dt').map(text), [
    'eigenvalue',
    'kind',
    'ends (samples past the cut, share of the mode)',
    'frequency in X set',
    'frequency in Y set',
    'mean squared score in X set (vᵀCXv)',
    'mean squared score in Y set (vᵀCYv)',
    'top samples',
    'bottom samples',
  ]);
  assert.deepEqual(root.querySelectorAll('#mode-y1 dd').map(text), [
    '-0.1250',
    'contrast: the samples at one end against those at the other',
    'top 1, 50% · bottom 1, 25%',
    '25%',
    '67%',
    '0.0313',
    '0.2500',
    '1',
    '1',
  ]);
  assert.equal(handle.selected, 'x1');
  assert.match(text(root.querySelector('header p.muted')), /^X = X set \(\d+ samples\), Y = Y set \(\d+ samples\), one embedding/);
  assert.match(text(root.querySelector('footer')), /FINC \(Zhang, Jalali, Li & Farnia, CVPR 2025\)$/);
});

test('finc: the subtitle does not repeat a count the name says; maps colour by set or by label', () => {
  const root = mount();
  const r = fincResult();
  render(
    {
      format: 'spec-embed-report',
      version: '1',
      task: 'finc',
      title: 'F',
      xName: `all digits (${r.nx})`,
      yName: 'pixels',
      json: toFincCliJson(r),
      maps: {
        points: { index: [0, 1, 0], set: [0, 0, 1], labels: ['a', 'b', 'a'] },
        layouts: [{ method: 'pca', xy: [0, 0, 1, 1, -1, -1] }],
        panels: [
          { title: 'X', layout: 0, emphasis: 0 },
          { title: 'Y', layout: 0, emphasis: 1 },
        ],
        total: 3,
      },
    },
    root as unknown as HTMLElement,
  );
  const sub = text(root.querySelector('header p.muted'));
  assert.ok(sub.startsWith(`X = all digits (${r.nx}), Y = pixels (${r.ny} samples)`), sub);
  assert.match(text(root.querySelector('#maps-caption')), /right: pixels' samples|left: all digits \(\d+\)'s samples/);
  const legend = root.querySelector('#map-legend')!;
  assert.deepEqual(legend.querySelectorAll('[data-set]').map(text), [`all digits (${r.nx})`, 'pixels']);
  (legend.querySelector('#color-by-label') as FakeElement).click();
  assert.equal(legend.querySelector('#color-by-label')!.getAttribute('aria-pressed'), 'true');
  assert.deepEqual(legend.querySelectorAll('.legend-item').map(text), ['a (2)', 'b (1)']);
  (legend.querySelector('#color-by-set') as FakeElement).click();
  assert.equal(legend.querySelectorAll('.legend-item').length, 0);
});

test('align (an object without the newer fields): the SPEC-diff table before and after with the change, removed modes as cards, timings', () => {
  const root = mount();
  const json = {
    task: 'align',
    n: 10,
    nTrain: 8,
    nHoldout: 2,
    dim: 3,
    kernelX: { type: 'cosine' },
    specDiffBefore: { xNotY: 0.5, yNotX: 0.25, norm: 0.5 },
    specDiffAfter: { xNotY: 0.125, yNotX: 0, norm: 0.125 },
    epochs: 3,
    bestEpoch: 2,
    loss: { train: [2, 1, 0.5], holdout: [3, 2, 1, 1.5] },
    removedModes: [1],
    modesBefore: [
      {
        rank: 1,
        side: 'x',
        eigenvalue: 0.5,
        top: [
          { index: 4, score: 1 },
          { index: 7, score: 0.5 },
        ],
      },
    ],
    modesAfter: [],
    timings: { total: 2 },
  };
  render(
    { format: 'spec-embed-report', version: '1', task: 'align', title: 'A', xName: 'px', yName: 'hog', json: json as never },
    root as unknown as HTMLElement,
  );
  const rows = root.querySelectorAll('#spec-diff tr').map((tr) => tr.children.map(text));
  assert.deepEqual(rows, [
    ['', 'before (hog)', 'after (ψ(hog))', 'change'],
    ['x-not-y (λmax)', '0.5000', '0.1250', '−75.0%'],
    ['y-not-x (−λmin)', '0.2500', '0', '−100%'],
    ['norm', '0.5000', '0.1250', '−75.0%'],
  ]);
  assert.equal(root.querySelector('#align-warnings')!.getAttribute('data-count'), '0');
  assert.match(text(root.querySelector('#align-warnings')), /Neither direction nor the norm rose by more than 10%/);
  // the removed mode is a card with its samples, not a list of indices
  const card = root.querySelector('#align-removed-x1')!;
  assert.equal(card.getAttribute('data-tag'), 'removed');
  assert.match(text(card.querySelector('h3')), /Mode x1 before alignment · removed/);
  assert.deepEqual(card.querySelectorAll('td.index').map(text), ['4', '7']);
  assert.ok(root.querySelector('#no-new'), 'no new modes');
  assert.ok(root.querySelectorAll('p').some((p) => text(p) === 'total 2.00 s'));
  assert.ok(root.querySelector('polyline.train') && root.querySelector('polyline.hold'));
});

test("align with the CLI's fields: warnings in words, marked rows, mode cards before and after with labels and thumbnails, removed and new modes", () => {
  const root = mount();
  const png = 'data:image/png;base64,iVBORw0KGgo=';
  const top = (ix: number[], labels: string[]) => ix.map((index, i) => ({ index, score: 1 / (i + 1), label: labels[i] }));
  const json = {
    task: 'align',
    n: 10,
    nTrain: 8,
    nHoldout: 2,
    dim: 3,
    kernelX: { type: 'gaussian', sigma: 2 },
    specDiffBefore: { xNotY: 0.1129, yNotX: 0.05111, norm: 0.1129 },
    specDiffAfter: { xNotY: 0.02165, yNotX: 0.2758, norm: 0.2758 },
    epochs: 3,
    bestEpoch: 2,
    loss: { train: [2, 1, 0.5], holdout: [3, 2, 1, 1.5] },
    removedModes: [1],
    modesBefore: [
      { rank: 1, side: 'x', eigenvalue: 0.1129, top: top([4, 7], ['1', '1']), labelMix: [{ label: '1', count: 2 }], purity: 1, entropy: 0 },
      { rank: 1, side: 'y', eigenvalue: -0.05, top: top([2], ['3']), labelMix: [{ label: '3', count: 1 }], purity: 1, entropy: 0 },
    ],
    modesAfter: [
      {
        rank: 1,
        side: 'y',
        eigenvalue: -0.2758,
        top: top([5, 6, 8], [HOSTILE, '2', '0']),
        labelMix: [
          { label: HOSTILE, count: 1 },
          { label: '0', count: 1 },
          { label: '2', count: 1 },
        ],
        purity: 1 / 3,
        entropy: Math.log(3),
      },
    ],
    timings: { total: 2 },
    inputs: { X: { header: null, indexColumn: null }, Y: { header: null, indexColumn: null } },
    objective: 'x-not-y',
    specDiffChange: {
      limit: 0.1,
      xNotY: { before: 0.1129, after: 0.02165, relative: 0.02165 / 0.1129 - 1, warn: false },
      yNotX: { before: 0.05111, after: 0.2758, relative: 0.2758 / 0.05111 - 1, warn: true },
      norm: { before: 0.1129, after: 0.2758, relative: 0.2758 / 0.1129 - 1, warn: true },
    },
    warnings: ['held-out y-not-x (−λmin) rose by 440% (0.05111 → 0.2758), more than 10%: the map created clusters that X does not have', `norm ${HOSTILE}`],
    createdModes: [{ side: 'y', rank: 1 }],
  };
  render(
    {
      format: 'spec-embed-report',
      version: '1',
      task: 'align',
      title: 'A',
      xName: 'px',
      yName: 'hog',
      json: json as never,
      thumbs: { '0:4': png, '0:5': png, '0:6': 'javascript:alert(1)' },
    },
    root as unknown as HTMLElement,
  );
  const box = root.querySelector('#align-warnings')!;
  assert.equal(box.getAttribute('data-count'), '2');
  assert.deepEqual(box.querySelectorAll('.warning').map(text), [`⚠ ${json.warnings[0]}`, `⚠ norm ${HOSTILE}`], 'the sentences as text');
  assert.match(text(box), /objective norm \(--objective norm\) minimises both directions/);
  const rows = root.querySelectorAll('#spec-diff tr');
  assert.deepEqual(
    rows.slice(1).map((tr) => [tr.getAttribute('data-quantity'), tr.getAttribute('class'), text(tr.children[3])]),
    [
      ['xNotY', null, '−80.8%'],
      ['yNotX', 'warn', '+440% ⚠'],
      ['norm', 'warn', '+144% ⚠'],
    ],
  );
  assert.match(text(root.querySelector('header')), /Objective: x-not-y, λmax\(KX − K_ψ\(Y\)\) \(the paper's\)/);
  // removed: x1 before, with its labels and a thumbnail per top sample that has one
  const removed = root.querySelector('#align-removed-x1')!;
  assert.deepEqual(removed.querySelectorAll('.hrow .hl').map(text), ['1']);
  assert.deepEqual(removed.querySelectorAll('figcaption').map(text), ['#4 · 1', '#7 · 1']);
  assert.deepEqual(
    removed.querySelectorAll('img').map((i) => i.getAttribute('src')),
    [png],
  );
  assert.equal(text(removed.querySelector('dd.purity')), '100%');
  // new: y1 after, the label stays text, an unsafe thumbnail is not loaded
  const created = root.querySelector('#align-new-y1')!;
  assert.equal(created.getAttribute('data-when'), 'after');
  assert.match(text(created.querySelector('h3')), /Mode y1 after alignment · new/);
  assert.match(text(created.querySelector('p')), /^ψ\(hog\) groups these samples more tightly than px\.$/);
  assert.deepEqual(created.querySelectorAll('figcaption').map(text), [`#5 · ${HOSTILE}`, '#6 · 2', '#8 · 0']);
  assert.deepEqual(
    created.querySelectorAll('img').map((i) => i.getAttribute('src')),
    [png],
  );
  assert.equal(root.querySelectorAll('img').filter((i) => i.getAttribute('src') === 'javascript:alert(1)').length, 0);
  // every mode before and after, tagged
  assert.deepEqual(
    root.querySelectorAll('.align-modes-before section.card').map((c) => [c.id, c.getAttribute('data-tag')]),
    [
      ['align-before-x1', 'removed'],
      ['align-before-y1', null],
    ],
  );
  assert.deepEqual(
    root.querySelectorAll('.align-modes-after section.card').map((c) => [c.id, c.getAttribute('data-tag')]),
    [['align-after-y1', 'new']],
  );
});

test('align under the norm objective: no hint to use it, the objective said in the header', () => {
  const root = mount();
  const json = {
    task: 'align',
    n: 10,
    nTrain: 8,
    nHoldout: 2,
    dim: 3,
    kernelX: { type: 'cosine' },
    specDiffBefore: { xNotY: 0.5, yNotX: 0.25, norm: 0.5 },
    specDiffAfter: { xNotY: 0.125, yNotX: 0.3, norm: 0.3 },
    epochs: 3,
    bestEpoch: 2,
    loss: { train: [2, 1, 0.5], holdout: [3, 2, 1, 1.5] },
    removedModes: [],
    modesBefore: [],
    modesAfter: [],
    timings: { total: 2 },
    objective: 'norm',
    specDiffChange: {
      limit: 0.1,
      xNotY: { before: 0.5, after: 0.125, relative: -0.75, warn: false },
      yNotX: { before: 0.25, after: 0.3, relative: 0.2, warn: true },
      norm: { before: 0.5, after: 0.3, relative: -0.4, warn: false },
    },
    warnings: ['held-out y-not-x (−λmin) rose by 20.0% (0.2500 → 0.3000), more than 10%: the map created clusters that X does not have'],
    createdModes: [],
  };
  render(
    { format: 'spec-embed-report', version: '1', task: 'align', title: 'A', xName: 'px', yName: 'hog', json: json as never },
    root as unknown as HTMLElement,
  );
  assert.equal(root.querySelector('#align-warnings')!.getAttribute('data-count'), '1');
  assert.doesNotMatch(text(root.querySelector('#align-warnings')), /--objective norm/);
  assert.match(text(root.querySelector('header')), /Objective: the spectral norm max\(λmax, −λmin\)/);
  assert.ok(root.querySelector('#no-removed') && root.querySelector('#no-new'));
});

test("compare with the CLI's fields: agreement box, each card's share (saying of what), label purity and entropy", () => {
  const root = mount();
  const data = compareData();
  const scored = specResult({
    modes: [
      { ...specResult().modes[0], scores: Float64Array.of(0.5, 0, 0.6, 0, 0.1, 0.4) },
      { ...specResult().modes[1], scores: Float64Array.of(0, 0.1, 0, 0.2, 0.9, 0) },
    ],
  });
  data.json = toCliJson(scored, labels, undefined, { seed: 0, sigma: { X: null, Y: 'auto' } });
  render(data, root as unknown as HTMLElement);
  const box = root.querySelector('#agreement')!;
  assert.match(text(box), /^Agreement with the labels/);
  assert.deepEqual(root.querySelectorAll('#agreement div[data-side]').map(text), [
    `side x: NMI ${formatNumber(data.json.agreement!.x!.nmi)} · AMI ${formatNumber(data.json.agreement!.x!.ami)} · none 3`,
    `side y: NMI ${formatNumber(data.json.agreement!.y!.nmi)} · AMI ${formatNumber(data.json.agreement!.y!.ami)} · none 5`,
  ]);
  assert.match(text(box), /none below that mode's top cut \(0\.5 of the way from its baseline to its peak\)/);
  const dts = root.querySelectorAll('#mode-x1 dt').map(text);
  assert.ok(dts.includes("share of the listed modes' Σ|λ|") && dts.includes('label purity') && dts.includes('label entropy'), dts.join());
  assert.equal(text(root.querySelector('#mode-x1 dd.share')), '75.0%');
  assert.equal(text(root.querySelector('#mode-x1 dd.purity')), '33%');
  assert.equal(text(root.querySelector('#mode-x1 dd.entropy')), `${Math.log(3).toFixed(3)} nats`);
  const whole = compareData();
  whole.json = toCliJson(specResult({ spectrumComplete: true }), undefined, undefined, { seed: 0, sigma: { X: null, Y: 'auto' } });
  render(whole, mount() as unknown as HTMLElement);
  assert.ok(doc.body.querySelectorAll('#mode-x1 dt').map(text).includes('share of |spectrum|'));
  assert.equal(doc.body.querySelector('#agreement'), null);
});

test("the header's metric lines (src/report/metrics-text.ts): each value with its test and a one-line meaning, only when the result has metrics", () => {
  const root = mount();
  render(compareData(), root as unknown as HTMLElement);
  assert.equal(root.querySelector('#metrics'), null);
  const data = compareData();
  const test1 = { permutations: 99, pValue: 0.01, nullQuantiles: [0.01, 0.02, 0.03] as [number, number, number] };
  const metrics = {
    ckaLinear: { value: 0.5, test: test1 },
    ckaKernel: { value: 0.25 },
    mutualKnn: { k: 10, value: 0.125, exact: false, sampled: 100 },
  };
  data.json = toCliJson(specResult({ metrics }), labels);
  render(data, root as unknown as HTMLElement);
  const line = text(root.querySelector('#metrics'));
  assert.match(line, /^linear CKA 0\.5000, p = 0\.010 \(99 permutations\) — how alike the two embeddings' centred linear similarity matrices are/);
  assert.match(line, /kernel CKA 0\.2500 — the same with the kernels in use/);
  assert.match(line, /mutual k-NN 0\.1250 \(k = 10, 100 sampled samples\) — mean share of a sample's 10 nearest neighbours/);
});

test('a mode card shows its held-out replication and stability; a weak mode is greyed with its reasons', () => {
  const data = compareData();
  const modes = (data.json as { modes: { significance?: unknown }[] }).modes;
  const held = { splits: 20, mean: 0.5, lo: 0.25, hi: 0.75, pValue: 0.0001 };
  const stab = { bootstrap: 10, value: 0.95, eigenvalueLo: 0.4, eigenvalueHi: 0.8 };
  modes[0].significance = { heldOut: held, stability: stab, weak: false, weakReasons: [] };
  modes[1].significance = { heldOut: { ...held, pValue: 0.3 }, stability: { ...stab, value: 0.2 }, weak: true, weakReasons: ['reason one.', 'reason two.'] };
  const root = mount();
  render(data, root as unknown as HTMLElement);
  const cards = root.querySelectorAll('section.card');
  assert.doesNotMatch(cards[0].getAttribute('class')!, /weak/);
  assert.match(cards[1].getAttribute('class')!, /\bweak\b/);
  assert.equal(text(cards[0].querySelector('dd.held-out')), `${formatNumber(0.5)} [${formatNumber(0.25)}, ${formatNumber(0.75)}], p < 0.001`);
  assert.equal(text(cards[0].querySelector('dd.stability')), `0.95; eigenvalue [${formatNumber(0.4)}, ${formatNumber(0.8)}]`);
  assert.equal(cards[0].querySelector('dd.weak-reasons'), null);
  assert.equal(text(cards[1].querySelector('dd.weak-reasons')), 'reason one. reason two.');
});

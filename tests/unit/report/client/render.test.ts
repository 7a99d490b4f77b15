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
    format: 'spec-embed-report', version: '9.9.9', task: 'compare', title: `Report ${HOSTILE}`, xName: 'x.npy', yName: 'y.npy',
    json: toCliJson(specResult(), labels), methodReason: 'because', sigmaAuto: { y: true },
    maps: {
      points: { index: [0, 2, 4, 5], set: [0, 0, 0, 0], labels: ['a', HOSTILE, 'e', 'f'] },
      layouts: [{ method: 'umap', xy: [0, 0, 1, 1, -1, -1, 0.5, 0.5] }, { method: 'umap', xy: [0, 0, 1, 1, -1, -1, 0.5, 0.5] }],
      panels: [{ title: 'x.npy', layout: 0 }, { title: 'y.npy', layout: 1 }],
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
  assert.deepEqual(root.querySelectorAll('#kernels div').slice(1).map(text), ['X: cosine', 'Y: gaussian, σ = 0.5000 (auto: median pairwise distance), 100 random Fourier frequencies']);
  assert.equal(text(root.querySelector('#method b')), 'exact');
  assert.match(text(root.querySelector('#timings')), /read: 1\.0 ms.*solve: 0\.50 s.*total: 1\.25 s/);
  assert.equal(text(root.querySelector('footer')), 'spec-embed 9.9.9 · SPEC (Jalali, Dibaei Nia & Farnia, ICML 2025) · today');
  assert.deepEqual(root.querySelectorAll('.chooser button').map((b) => b.getAttribute('data-mode')), ['x1', 'y1', '']);
  assert.deepEqual(root.querySelectorAll('section.card').map((c) => c.id), ['mode-x1', 'mode-y1']);
  assert.equal(handle.selected, 'x1');
  assert.equal(root.getAttribute('data-selected'), 'x1');
  // x1's top samples 2, 0, 5 are plotted at positions 1, 0, 3: the maps report the sample indices
  assert.equal(root.querySelector('#map-0')!.getAttribute('data-highlighted'), '[0,2,5]');
  assert.equal(root.querySelector('#map-1')!.getAttribute('data-highlighted'), '[0,2,5]');
  // its bottom samples 3 and 1 are not among the plotted points: nothing ringed
  assert.equal(root.querySelector('#map-0')!.getAttribute('data-ringed'), '[]');
  assert.match(text(root.querySelector('#selection')), /^Mode x1 \(λ = 0\.7500, contrast\): its 3 top samples {2}are highlighted, its 2 bottom samples ringed, in both maps\. x\.npy should keep them together and y\.npy scatter them\.$/);
  assert.equal(root.querySelectorAll('#evidence .chart').length, 2);
  // the labels tables of x1's card, top end then bottom end: the hostile label is a text cell
  assert.deepEqual(root.querySelectorAll('#mode-x1 table.top td.label').map(text), [HOSTILE, 'a', 'f']);
  assert.deepEqual(root.querySelectorAll('#mode-x1 table.bottom td.label').map(text), ['d', 'b']);
  assert.deepEqual(root.querySelectorAll('#mode-x1 .end h4').map(text), ['Top end (largest scores)', 'Bottom end (most negative scores)']);
  assert.deepEqual(root.querySelectorAll('#mode-x1 .end-bottom .hl').map(text), ['b', 'd'], 'the bottom samples\' label mix');
  assert.equal(text(root.querySelector('#mode-x1 dd.kind')), 'contrast: the samples at one end against those at the other');
  assert.equal(text(root.querySelector('#mode-x1 dd.ends')), 'top 2, 50% · bottom 1, 38%');
  assert.ok(!root.querySelectorAll('img').some((i) => i.getAttribute('src') === 'x'));
  assert.equal(text(root.querySelector('#mode-x1 dd.eigenvalue')), '0.7500');
});

test('compare: selecting by chooser, card and keys keeps every view in step', () => {
  const root = mount();
  const handle = render(compareData(), root as unknown as HTMLElement);
  const chooser = (k: string) => root.querySelectorAll('.chooser button').find((b) => b.getAttribute('data-mode') === k)!;
  chooser('y1').click();
  assert.equal(handle.selected, 'y1');
  assert.deepEqual(root.querySelectorAll('.chooser button').map((b) => b.getAttribute('aria-pressed')), ['false', 'true', 'false']);
  assert.deepEqual(root.querySelectorAll('section.card').map((c) => c.classList.contains('selected')), [false, true]);
  assert.deepEqual(root.querySelectorAll('g.bar').map((g) => g.getAttribute('aria-pressed')), ['false', 'true']);
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
  const handle = render({
    format: 'spec-embed-report', version: '1', task: 'finc', title: 'F', xName: 'X set', yName: 'Y set', json: toFincCliJson(r), local: true,
  }, root as unknown as HTMLElement);
  assert.equal(text(root.querySelector('p.local')), 'Computed in this page: nothing left this machine.');
  assert.deepEqual(root.querySelectorAll('#kernels div').slice(1).map(text), ['gaussian, σ = 1.5000, 64 random Fourier frequencies']);
  assert.ok(root.querySelectorAll('h4').some((e) => text(e) === 'fraction of X set and of Y set in each mode'));
  // the chart's bars are the modes' frequencies (x1: 50% of X, 0 of Y; y1: 25%, 2/3)
  assert.deepEqual(root.querySelectorAll('rect.freq-x').map((r) => Number(r.getAttribute('data-value'))), [0.5, 0.25]);
  assert.deepEqual(root.querySelectorAll('rect.freq-y').map((r) => Number(r.getAttribute('data-value'))), [0, 2 / 3]);
  assert.deepEqual(root.querySelectorAll('h2').map(text).filter((t) => t.startsWith('Side')), ['Side x: over-represented in X set', 'Side y: over-represented in Y set']);
  assert.deepEqual(root.querySelectorAll('#mode-y1 dt').map(text), ['eigenvalue', 'kind', 'ends (samples past the cut, share of the mode)', 'frequency in X set', 'frequency in Y set',
    'mean squared score in X set (vᵀCXv)', 'mean squared score in Y set (vᵀCYv)', 'top samples', 'bottom samples']);
  assert.deepEqual(root.querySelectorAll('#mode-y1 dd').map(text), ['-0.1250', 'contrast: the samples at one end against those at the other', 'top 1, 50% · bottom 1, 25%',
    '25%', '67%', '0.0313', '0.2500', '1', '1']);
  assert.equal(handle.selected, 'x1');
  assert.match(text(root.querySelector('footer')), /FINC \(Zhang, Jalali, Li & Farnia, CVPR 2025\)$/);
});

test('align: the SPEC-diff table before and after, removed modes, timings', () => {
  const root = mount();
  const json = {
    task: 'align', n: 10, nTrain: 8, nHoldout: 2, dim: 3, kernelX: { type: 'cosine' },
    specDiffBefore: { xNotY: 0.5, yNotX: 0.25, norm: 0.5 }, specDiffAfter: { xNotY: 0.125, yNotX: 0, norm: 0.125 },
    epochs: 3, bestEpoch: 2, loss: { train: [2, 1, 0.5], holdout: [3, 2, 1, 1.5] }, removedModes: [1],
    modesBefore: [{ rank: 1, side: 'x', eigenvalue: 0.5, top: [{ index: 4, score: 1 }, { index: 7, score: 0.5 }] }],
    modesAfter: [], timings: { total: 2 },
  };
  render({ format: 'spec-embed-report', version: '1', task: 'align', title: 'A', xName: 'px', yName: 'hog', json: json as never }, root as unknown as HTMLElement);
  const rows = root.querySelectorAll('#spec-diff tr').map((tr) => tr.children.map(text));
  assert.deepEqual(rows, [
    ['', 'before (hog)', 'after (ψ(hog))', 'after/before'],
    ['x-not-y (λmax)', '0.5000', '0.1250', '25%'],
    ['y-not-x (−λmin)', '0.2500', '0', '0%'],
    ['norm', '0.5000', '0.1250', '25%'],
  ]);
  assert.deepEqual(root.querySelectorAll('table')[1].querySelectorAll('td').map(text), ['x1', '0.5000', '4, 7']);
  assert.ok(root.querySelectorAll('p').some((p) => text(p) === 'total 2.00 s'));
  assert.ok(root.querySelector('polyline.train') && root.querySelector('polyline.hold'));
});

test('compare with the CLI\'s fields: agreement box, each card\'s share (saying of what), label purity and entropy', () => {
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
  assert.ok(dts.includes('share of the listed modes\' Σ|λ|') && dts.includes('label purity') && dts.includes('label entropy'), dts.join());
  assert.equal(text(root.querySelector('#mode-x1 dd.share')), '75.0%');
  assert.equal(text(root.querySelector('#mode-x1 dd.purity')), '33%');
  assert.equal(text(root.querySelector('#mode-x1 dd.entropy')), `${Math.log(3).toFixed(3)} nats`);
  const whole = compareData();
  whole.json = toCliJson(specResult({ spectrumComplete: true }), undefined, undefined, { seed: 0, sigma: { X: null, Y: 'auto' } });
  render(whole, mount() as unknown as HTMLElement);
  assert.ok(doc.body.querySelectorAll('#mode-x1 dt').map(text).includes('share of |spectrum|'));
  assert.equal(doc.body.querySelector('#agreement'), null);
});

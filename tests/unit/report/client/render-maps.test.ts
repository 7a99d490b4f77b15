// The maps section's pieces: the hover's score line (the plotted scores when the report has
// them, else the listed top/bottom score, else saying so; finc's other set has none) and the
// hover linked across the maps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom, type FakeElement } from './fake-dom.js';
import { renderMaps, scoreLine } from '../../../../src/report/client/render-maps.js';
import type { ReportData, ReportMaps } from '../../../../src/report/data.js';
import type { AnyMode } from '../../../../src/report/client/render-common.js';

const doc = installDom();
const maps: ReportMaps = {
  points: { index: [4, 8, 15], set: [0, 0, 0], labels: ['a', 'b', 'a'] },
  layouts: [
    { method: 'pca', xy: [-1, 1, 0, 0, 1, -1] },
    { method: 'pca', xy: [1, 1, 0, 0, -1, -1] },
  ],
  panels: [
    { title: 'X', layout: 0 },
    { title: 'Y', layout: 1 },
  ],
  total: 20,
};
const mode: AnyMode = { side: 'x', rank: 1, eigenvalue: 1, top: [{ index: 8, score: 0.5 }], bottom: [{ index: 15, score: -0.25 }] };

test('scoreLine: plotted scores first, then the listed ends, else not listed; finc scores only the side’s set', () => {
  assert.equal(scoreLine({ ...maps, scores: { x1: [0.125, null, null] } }, mode, 0, false, ['X', 'Y']), 'score in x1: 0.1250');
  assert.equal(scoreLine(maps, mode, 1, false, ['X', 'Y']), 'score in x1: 0.5000 (top #1)');
  assert.equal(scoreLine(maps, mode, 2, false, ['X', 'Y']), 'score in x1: -0.2500 (bottom #1)');
  assert.equal(scoreLine(maps, mode, 0, false, ['X', 'Y']), 'score in x1: not among its listed samples');
  const finc = { ...maps, points: { ...maps.points, set: [0, 0, 1] } };
  assert.equal(scoreLine(finc, mode, 2, true, ['pixels', 'Y']), "no score in x1 (a mode of pixels' samples)");
  assert.equal(scoreLine(maps, null, 0, false, ['X', 'Y']), null);
});

test('renderMaps: hovering one map links the sample in every map', () => {
  const main = doc.createElement('main');
  const data = { task: 'compare', xName: 'X', yName: 'Y', maps } as unknown as ReportData;
  const section = renderMaps(
    data,
    maps,
    main as unknown as HTMLElement,
    doc.createElement('div') as unknown as HTMLElement,
    doc.createElement('p') as unknown as HTMLElement,
  );
  section.update(mode);
  const [a, b] = section.views.map((v) => v.canvas as unknown as FakeElement);
  assert.equal(a.getAttribute('data-highlighted'), '[8]');
  assert.equal(b.getAttribute('data-ringed'), '[15]');
  // the pointer at map 0's point 1 (its centre: 400 px canvas, pad 10)
  (a as unknown as { getBoundingClientRect: () => object }).getBoundingClientRect = () => ({ left: 0, top: 0, width: 400, height: 400 });
  a.dispatch('mousemove', { clientX: 200, clientY: 200 });
  assert.equal(a.getAttribute('data-linked'), '8');
  assert.equal(b.getAttribute('data-linked'), '8');
  a.dispatch('mouseleave', {});
  assert.equal(b.getAttribute('data-linked'), '');
});

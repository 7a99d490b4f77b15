// The density view's paired plot: one line per top sample from its radius under X
// (left column) to under Y (right), on a log scale with 1× dashed; the sentence's
// medians and which side packs the samples tighter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom, type FakeElement } from './fake-dom.js';
import { densityChart, densityText, logTicks } from '../../../../src/report/client/density-chart.js';
import type { DensityEvidence } from '../../../../src/report/density.js';

installDom();
const EV: DensityEvidence = {
  k: 10,
  of: 500,
  index: [7, 3, 9],
  x: [0.1, 0.2, 0.4],
  y: [1, 1, 2],
  refX: [0.5, 0.8, 1, 1.25, 3],
  refY: [0.5, 0.8, 1, 1.25, 3],
  ratio: 5,
  view: 'density',
};

test('logTicks: 1, 2, 5 × 10^k inside the range', () => {
  assert.deepEqual(logTicks(0.08, 3), [0.1, 0.2, 0.5, 1, 2]);
  assert.deepEqual(logTicks(0.5, 12), [0.5, 1, 2, 5, 10]);
});

test('densityChart: a pair per top sample, left under X and right under Y, higher radius drawn higher up on a log scale', () => {
  const svg = densityChart(EV, 'A', 'B', 'x') as unknown as FakeElement;
  const pairs = svg.querySelectorAll('g.pair');
  assert.deepEqual(
    pairs.map((g) => g.getAttribute('data-index')),
    ['7', '3', '9'],
  );
  const ys = pairs.map((g) => g.querySelectorAll('circle').map((c) => Number(c.getAttribute('cy'))));
  const xs = pairs[0].querySelectorAll('circle').map((c) => Number(c.getAttribute('cx')));
  assert.ok(xs[0] < xs[1], 'X on the left');
  // log scale: 0.1 → 0.2 and 0.2 → 0.4 are the same step up; a larger radius sits higher (smaller y)
  assert.ok(Math.abs(ys[0][0] - ys[1][0] - (ys[1][0] - ys[2][0])) < 1e-9);
  assert.ok(
    ys.every(([a, b]) => b < a),
    'each sample more spread under Y',
  );
  const dashed = svg.querySelectorAll('line').filter((l) => l.getAttribute('stroke-dasharray'));
  assert.equal(dashed.length, 1, 'the 1× line');
  assert.ok(svg.querySelectorAll('text').some((t) => t.textContent === 'A') && svg.querySelectorAll('text').some((t) => t.textContent === 'B'));
});

test('densityText: the medians and the tighter side, either way round', () => {
  assert.match(
    densityText(EV, 'x1', 'A', 'B'),
    /are 0\.20× as far as a typical sample's under A and 1\.0× under B \(medians\), so A packs them about 5\.0× tighter than B does/,
  );
  assert.match(densityText({ ...EV, x: EV.y, y: EV.x }, 'y1', 'A', 'B'), /so B packs them about 5\.0× tighter than A does/);
});

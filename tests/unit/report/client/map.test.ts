// The map panel: label colours (≤ 12 distinct labels, sorted), the highlighted
// samples it reports, and where it draws each point (a recording 2-D context).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom, type FakeElement } from './fake-dom.js';
import { COLOR } from '../../../../src/report/client/charts.js';
import { MapView, labelColors } from '../../../../src/report/client/map.js';
import type { ReportMaps } from '../../../../src/report/data.js';

installDom();

test('labelColors: one palette colour per distinct label in sorted order; none for > 12 labels or none at all', () => {
  const c = labelColors(['b', null, 'a', 'b', 'c'])!;
  assert.deepEqual([...c.keys()], ['a', 'b', 'c']);
  assert.deepEqual([...c.values()], ['#4e79a7', '#f28e2b', '#59a14f']);
  assert.equal(labelColors(undefined), undefined);
  assert.equal(labelColors([null, null]), undefined);
  assert.equal(labelColors(Array.from({ length: 13 }, (_, i) => `l${i}`)), undefined);
  assert.equal(labelColors(Array.from({ length: 12 }, (_, i) => `l${i}`))!.size, 12);
});

function recorder() {
  const calls: { op: string; args: number[]; fill: string; alpha: number }[] = [];
  const ctx = {
    fillStyle: '',
    globalAlpha: 1,
    lineWidth: 1,
    strokeStyle: '',
    setTransform() {},
    beginPath() {},
    stroke() {},
    fillRect(...args: number[]) {
      calls.push({ op: 'rect', args, fill: ctx.fillStyle, alpha: ctx.globalAlpha });
    },
    arc(...args: number[]) {
      calls.push({ op: 'arc', args, fill: '', alpha: ctx.globalAlpha });
    },
    fill() {
      calls[calls.length - 1].fill = ctx.fillStyle;
    },
  };
  return { ctx, calls };
}

const maps: ReportMaps = {
  points: { index: [10, 20, 30], set: [0, 1, 0], labels: ['a', 'b', null] },
  layouts: [{ method: 'pca', xy: [-1, 1, 0, 0, 1, -1] }],
  panels: [
    { title: 'X', layout: 0 },
    { title: 'Y', layout: 0, emphasis: 1 },
  ],
  total: 3,
};

test('MapView: points at pad + (x + 1)/2 · span (y up), coloured by label; highlights drawn on top and reported', () => {
  const view = new MapView({ maps, labelColor: labelColors(maps.points.labels) }, maps.panels[0], 'map of X');
  const canvas = view.canvas as unknown as FakeElement;
  assert.equal(canvas.getAttribute('aria-label'), 'map of X');
  assert.equal(canvas.getAttribute('data-highlighted'), '[]');
  const { ctx, calls } = recorder();
  canvas.context = ctx;
  view.draw();
  // no layout here: the canvas is 400 CSS px; pad 10, span 380; rects are 2r = 6 wide around the point
  const pts = calls.filter((c) => c.op === 'rect').slice(1);
  assert.deepEqual(
    pts.map((c) => [c.args[0] + 3, c.args[1] + 3]),
    [
      [10, 10],
      [200, 200],
      [390, 390],
    ],
  );
  assert.deepEqual(
    pts.map((c) => c.fill),
    ['#4e79a7', '#f28e2b', '#718096'],
  );
  assert.deepEqual(
    pts.map((c) => c.alpha),
    [0.6, 0.6, 0.6],
  );
  calls.length = 0;
  view.setHighlight([2, 0], 'y');
  assert.equal(canvas.getAttribute('data-highlighted'), '[10,30]', 'sample indices, sorted');
  const dots = calls.filter((c) => c.op === 'arc');
  assert.deepEqual(
    dots.map((c) => [c.args[0], c.args[1]]),
    [
      [390, 390],
      [10, 10],
    ],
  );
  assert.ok(dots.every((c) => c.fill === COLOR.y));
  assert.deepEqual(
    calls
      .filter((c) => c.op === 'rect')
      .slice(1)
      .map((c) => c.alpha),
    [0.25, 0.25, 0.25],
    'the rest dimmed',
  );
});

test('MapView with an emphasised set (finc): the other set grey and drawn first', () => {
  const view = new MapView({ maps }, maps.panels[1], 'map of Y');
  const { ctx, calls } = recorder();
  (view.canvas as unknown as FakeElement).context = ctx;
  view.draw();
  const pts = calls.filter((c) => c.op === 'rect').slice(1);
  assert.deepEqual(
    pts.map((c) => [c.args[0] + 3, c.fill, c.alpha]),
    [
      [10, '#a0aec0', 0.25],
      [390, '#a0aec0', 0.25],
      [200, COLOR.y, 0.6],
    ],
  );
});

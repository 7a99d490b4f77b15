// The map panel: where it draws each point (a recording 2-D context), in which
// colour (its class's, its set's under finc), how the selected mode's samples are
// marked (outlined, never in a side's or another class's colour), the class picked
// in the legend drawn on top, and the linked hover's ring and tip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom, type FakeElement } from './fake-dom.js';
import { COLOR } from '../../../../src/report/client/charts.js';
import { FAINT, MARK, MapView, OTHER_KEY, PLAIN, type MapState } from '../../../../src/report/client/map.js';
import { classPalette, FEW_CLASSES, OTHER_COLOR } from '../../../../src/report/client/palette.js';
import type { ReportMaps } from '../../../../src/report/data.js';

installDom();

type Call = { op: string; args: number[]; fill: string; alpha: number; stroke?: string; width?: number; dash?: number[] };

function recorder() {
  const calls: Call[] = [];
  let dash: number[] = [];
  const ctx = {
    fillStyle: '',
    globalAlpha: 1,
    lineWidth: 1,
    strokeStyle: '',
    setTransform() {},
    beginPath() {},
    setLineDash(d: number[]) {
      dash = d;
    },
    stroke() {
      const last = calls[calls.length - 1];
      if (last?.op === 'arc') Object.assign(last, { stroke: ctx.strokeStyle, width: ctx.lineWidth, dash });
    },
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

function viewOf(panel: number, state?: MapState, extra = {}) {
  const view = new MapView({ maps, palette: classPalette(maps.points.labels), state, ...extra }, maps.panels[panel], `map ${panel}`);
  const rec = recorder();
  (view.canvas as unknown as FakeElement).context = rec.ctx;
  return { view, canvas: view.canvas as unknown as FakeElement, ...rec };
}

test('MapView: points at pad + (x + 1)/2 · span (y up), in their class colour (unlabelled: plain)', () => {
  const { view, canvas, calls } = viewOf(0);
  assert.equal(canvas.getAttribute('aria-label'), 'map 0');
  assert.equal(canvas.getAttribute('data-highlighted'), '[]');
  view.draw();
  // no layout here: the canvas is 400 CSS px; pad 10, span 380; rects are 2r = 6 wide around the point
  const pts = calls.filter((c) => c.op === 'rect').slice(1);
  assert.deepEqual(
    pts.map((c) => [c.args[0] + 3, c.args[1] + 3, c.fill, c.alpha]),
    [
      [10, 10, FEW_CLASSES[0], 0.65],
      [200, 200, FEW_CLASSES[1], 0.65],
      [390, 390, OTHER_COLOR, 0.65],
    ],
  );
});

test('MapView: the selected mode marked by size and a dark outline in each sample’s own class colour, bottom samples dashed', () => {
  const { view, canvas, calls } = viewOf(0);
  view.setHighlight([1, 0], [2]);
  assert.equal(canvas.getAttribute('data-highlighted'), '[10,20]', 'sample indices, sorted');
  assert.equal(canvas.getAttribute('data-ringed'), '[30]');
  const arcs = calls.filter((c) => c.op === 'arc');
  assert.deepEqual(
    arcs.map((c) => [c.args[0], c.args[1], c.args[2], c.fill, c.stroke, c.width, c.dash!.length > 0]),
    [
      [390, 390, 4.5, OTHER_COLOR, MARK, 1.5, true],
      [200, 200, 5, FEW_CLASSES[1], MARK, 2, false],
      [10, 10, 5, FEW_CLASSES[0], MARK, 2, false],
    ],
  );
  assert.ok(
    arcs.every((c) => c.fill !== COLOR.x && c.fill !== COLOR.y),
    'never a side colour',
  );
  assert.deepEqual(
    calls
      .filter((c) => c.op === 'rect')
      .slice(1)
      .map((c) => c.alpha),
    [0.3, 0.3, 0.3],
    'the rest dimmed',
  );
});

test('MapView with an emphasised set (finc): the other set faint and drawn first; by label, the emphasised set in class colours', () => {
  const state: MapState = { colorBy: 'set', focus: null };
  const { view, calls } = viewOf(1, state);
  view.draw();
  const pts = () => calls.filter((c) => c.op === 'rect').slice(1);
  assert.deepEqual(
    pts().map((c) => [c.args[0] + 3, c.fill, c.alpha]),
    [
      [10, FAINT, 0.25],
      [390, FAINT, 0.25],
      [200, COLOR.y, 0.65],
    ],
  );
  state.colorBy = 'label';
  calls.length = 0;
  view.draw();
  assert.deepEqual(
    pts().map((c) => c.fill),
    [FAINT, FAINT, FEW_CLASSES[1]],
  );
});

test('MapView: a class picked in the legend is drawn last and larger, the rest faded; the canvas reports it', () => {
  const state: MapState = { colorBy: 'label', focus: 'a' };
  const { view, canvas, calls } = viewOf(0, state);
  view.draw();
  const pts = calls.filter((c) => c.op === 'rect').slice(1);
  assert.deepEqual(
    pts.map((c) => [c.args[0] + c.args[2] / 2, c.alpha]),
    [
      [200, 0.1],
      [390, 0.1],
      [10, 0.95],
    ],
  );
  assert.ok(pts[2].args[2] > pts[0].args[2], 'larger');
  assert.equal(canvas.getAttribute('data-focus'), 'a');
  assert.equal(canvas.getAttribute('data-focus-count'), '1');
  state.focus = OTHER_KEY;
  view.draw();
  assert.equal(canvas.getAttribute('data-focus'), 'other');
  assert.equal(canvas.getAttribute('data-focus-count'), '0', 'two classes fit the palette: none is "other"');
});

test('MapView: a linked point gets a ring and a tip with its index, label and score line', () => {
  const { view, canvas, calls } = viewOf(0, undefined, { scoreText: (p: number) => `score of ${p}` });
  view.setLinked(1);
  assert.equal(canvas.getAttribute('data-linked'), '20');
  const ring = calls.filter((c) => c.op === 'arc').at(-1)!;
  assert.deepEqual([ring.args[0], ring.args[1], ring.args[2], ring.stroke], [200, 200, 10, MARK]);
  const tip = (view.el as unknown as FakeElement).querySelector('.tip')!;
  assert.equal(tip.hidden, false);
  assert.deepEqual(
    tip.children.map((c) => c.textContent),
    ['Y #20', 'b', 'score of 1'],
    'the set is named when the maps show sets',
  );
  view.setLinked(null);
  assert.equal(canvas.getAttribute('data-linked'), '');
  assert.equal(tip.hidden, true);
  assert.equal(PLAIN, '#718096');
});

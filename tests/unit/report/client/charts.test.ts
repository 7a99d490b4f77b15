// The SVG charts, built on a stand-in document and read back: bar heights
// proportional to |λ| about one zero line, sorted, selectable by click and key;
// box plots and rank scatters placed by their scales; shares and loss curves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom, type FakeElement } from './fake-dom.js';
import { boxChart, COLOR, frequencyChart, lossChart, markSpectrum, rankChart, spectrumChart } from '../../../../src/report/client/charts.js';

installDom();
const num = (e: FakeElement, k: string) => Number(e.getAttribute(k));
const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-9, `${msg ?? ''} ${a} vs ${b}`);
const svgOf = (x: unknown) => x as FakeElement;

const BARS = [
  { key: 'y1', side: 'y' as const, rank: 1, eigenvalue: -0.5 },
  { key: 'x1', side: 'x' as const, rank: 1, eigenvalue: 2 },
  { key: 'x2', side: 'x' as const, rank: 2, eigenvalue: 1 },
];

test('spectrumChart: bars sorted by λ, heights ∝ |λ| about the zero line, side colours and titles', () => {
  const svg = svgOf(spectrumChart(BARS, 'the spectrum'));
  assert.equal(svg.getAttribute('aria-label'), 'the spectrum');
  const bars = svg.querySelectorAll('g.bar');
  assert.deepEqual(
    bars.map((g) => g.getAttribute('data-mode')),
    ['x1', 'x2', 'y1'],
  );
  const rects = bars.map((g) => g.querySelector('rect[class^=bar-]')!);
  assert.deepEqual(
    rects.map((r) => r.getAttribute('fill')),
    [COLOR.x, COLOR.x, COLOR.y],
  );
  const zero = svg.querySelector('line')!;
  const y0 = num(zero, 'y1');
  close(num(rects[0], 'y') + num(rects[0], 'height'), y0, 'positive bars end on the zero line');
  close(num(rects[2], 'y'), y0, 'negative bars start on it');
  close(num(rects[0], 'height') / num(rects[1], 'height'), 2);
  close(num(rects[0], 'height') / num(rects[2], 'height'), 4);
  assert.ok(num(rects[0], 'x') < num(rects[1], 'x') && num(rects[1], 'x') < num(rects[2], 'x'));
  assert.deepEqual(
    rects.map((r) => r.textContent),
    ['mode x1: λ = 2.0000', 'mode x2: λ = 1.0000', 'mode y1: λ = -0.5000'],
  );
  assert.equal(bars[0].getAttribute('role'), null, 'not selectable without onSelect');
  // the axis labels: top, 0 and bottom
  const ticks = svg.children.filter((c) => c.tagName === 'text').map((t) => t.textContent);
  assert.deepEqual(ticks.slice(0, 3), ['2.0000', '0', '-2.0000']);
});

test('spectrumChart: a shared scale; all-positive spectra have no negative half', () => {
  const a = svgOf(spectrumChart([{ key: 'x1', side: 'x', rank: 1, eigenvalue: 1 }], 'a', undefined, 4));
  const b = svgOf(spectrumChart([{ key: 'x1', side: 'x', rank: 1, eigenvalue: 1 }], 'b'));
  const ha = num(a.querySelector('rect[class^=bar-]')!, 'height'),
    hb = num(b.querySelector('rect[class^=bar-]')!, 'height');
  // b: the bar fills the plot height; a: scale 4 over both halves → 1/8 of it
  close(ha / hb, 1 / 8);
});

test('spectrumChart with onSelect: focusable buttons; click, Enter and Space select; markSpectrum marks one', () => {
  const picked: string[] = [];
  const svg = svgOf(spectrumChart(BARS, 's', (k) => picked.push(k)));
  const bars = svg.querySelectorAll('g.bar');
  assert.deepEqual(
    bars.map((g) => [g.getAttribute('role'), g.getAttribute('tabindex'), g.getAttribute('aria-label')]),
    [
      ['button', '0', 'mode x1, eigenvalue 2.0000'],
      ['button', '0', 'mode x2, eigenvalue 1.0000'],
      ['button', '0', 'mode y1, eigenvalue -0.5000'],
    ],
  );
  bars[1].click();
  bars[2].dispatch('keydown', { key: 'Enter' });
  bars[0].dispatch('keydown', { key: ' ' });
  bars[0].dispatch('keydown', { key: 'a' });
  assert.deepEqual(picked, ['x2', 'y1', 'x1']);
  markSpectrum(svg as unknown as Element, 'x2');
  assert.deepEqual(
    bars.map((g) => g.getAttribute('aria-pressed')),
    ['false', 'true', 'false'],
  );
  assert.deepEqual(
    bars.map((g) => g.querySelector('rect[class^=bar-]')!.getAttribute('stroke')),
    ['none', '#1a202c', 'none'],
  );
  markSpectrum(svg as unknown as Element, null);
  assert.deepEqual(
    bars.map((g) => g.getAttribute('aria-pressed')),
    ['false', 'false', 'false'],
  );
});

test('boxChart: whiskers, box and median at their values on one linear scale; a NaN box draws only its name', () => {
  const svg = svgOf(
    boxChart(
      [
        { name: 'top', box: [0.2, 0.4, 0.5, 0.6, 1], color: '#111' },
        { name: 'empty', box: [NaN, NaN, NaN, NaN, NaN], color: '#222' },
      ],
      'boxes',
    ),
  );
  const lines = svg.children.filter((c) => c.tagName === 'line' && c.getAttribute('stroke') === '#111');
  const [whisker, median] = lines;
  const box = svg.children.find((c) => c.tagName === 'rect' && c.getAttribute('stroke') === '#111')!;
  // scale: lo = min(values, 0) = 0, hi = 1: x(v) = x(0) + v · (x(1) − x(0))
  const x0 = num(whisker, 'x1') - (0.2 * (num(whisker, 'x2') - num(whisker, 'x1'))) / 0.8;
  const unit = num(whisker, 'x2') - x0;
  close(num(box, 'x'), x0 + 0.4 * unit);
  close(num(box, 'width'), 0.2 * unit);
  close(num(median, 'x1'), x0 + 0.5 * unit);
  assert.equal(median.textContent, 'top: median 0.5000, quartiles 0.4000–0.6000, range 0.2000–1.0000');
  assert.ok(!svg.children.some((c) => c.getAttribute('stroke') === '#222'), 'nothing drawn for the NaN box');
  assert.ok(svg.children.some((c) => c.tagName === 'text' && c.textContent === 'empty'));
});

test('rankChart: points on log₁₀ scales, rank 1 at the origin and `of` at the far corner', () => {
  const svg = svgOf(rankChart([1, 10, 100], [100, 10, 1], 100, 'A', 'B', '#333'));
  const dots = svg.children.filter((c) => c.tagName === 'circle');
  assert.equal(dots.length, 3);
  const [a, b, c] = dots;
  close(num(b, 'cx'), (num(a, 'cx') + num(c, 'cx')) / 2, 'rank 10 halfway between 1 and 100');
  close(num(b, 'cy'), (num(a, 'cy') + num(c, 'cy')) / 2);
  assert.ok(num(a, 'cx') < num(c, 'cx') && num(a, 'cy') < num(c, 'cy'), 'rank under B grows upward');
  assert.equal(svg.getAttribute('aria-label'), 'neighbour ranks under A versus B');
  assert.ok(dots.every((d) => d.getAttribute('fill') === '#333'));
});

test('frequencyChart: two bars per mode (the fraction of X, of Y), heights ∝ frequency, the values as percentages', () => {
  const svg = svgOf(
    frequencyChart(
      [
        { key: 'x1', x: 0.1, y: 0.02 },
        { key: 'y1', x: 0.05, y: 0.4 },
      ],
      'X',
      'Y',
    ),
  );
  assert.equal(svg.getAttribute('aria-label'), 'fraction of X and of Y in each mode');
  const bars = svg.children.filter((c) => c.tagName === 'rect' && c.getAttribute('fill') !== '#fff');
  assert.deepEqual(
    bars.map((r) => r.getAttribute('fill')),
    [COLOR.x, COLOR.y, COLOR.x, COLOR.y],
  );
  assert.deepEqual(
    bars.map((r) => r.getAttribute('class')),
    ['freq-x', 'freq-y', 'freq-x', 'freq-y'],
  );
  assert.deepEqual(
    bars.map((r) => Number(r.getAttribute('data-value'))),
    [0.1, 0.02, 0.05, 0.4],
  );
  const hs = bars.map((r) => num(r, 'height'));
  close(hs[0] / hs[3], 0.25);
  close(hs[1] / hs[3], 0.05);
  close(hs[2] / hs[3], 0.125);
  assert.deepEqual(
    bars.map((r) => r.textContent),
    ['x1: 10% of X', 'x1: 2.0% of Y', 'y1: 5.0% of X', 'y1: 40% of Y'],
  );
  const texts = svg.children.filter((c) => c.tagName === 'text').map((t) => t.textContent);
  assert.ok(texts.includes('40%') && texts.includes('■ fraction of X') && texts.includes('■ fraction of Y'));
});

test('lossChart: training from epoch 1, held-out from epoch 0, on one scale; the best epoch dashed', () => {
  const svg = svgOf(lossChart([3, 2], [4, 2.5, 1], 2));
  const pts = (cls: string) =>
    svg
      .querySelector(`polyline.${cls}`)!
      .getAttribute('points')!
      .split(' ')
      .map((p) => p.split(',').map(Number));
  const train = pts('train'),
    hold = pts('hold');
  assert.equal(train.length, 2);
  assert.equal(hold.length, 3);
  // x: epoch e at x(0) + e · step
  const step = hold[1][0] - hold[0][0];
  close(train[0][0], hold[1][0]);
  close(train[1][0], hold[0][0] + 2 * step);
  // y: linear in the value, 0 (the lower end) at the axis
  const perUnit = (hold[2][1] - hold[0][1]) / (1 - 4);
  assert.ok(Math.abs(train[0][1] - (hold[0][1] + (3 - 4) * perUnit)) < 0.11, 'one decimal of rounding');
  const best = svg.children.find((c) => c.tagName === 'line' && c.getAttribute('stroke-dasharray'))!;
  assert.ok(Math.abs(num(best, 'x1') - hold[2][0]) < 0.06);
  assert.equal(best.textContent, 'best epoch 2');
});

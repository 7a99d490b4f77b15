// SVG charts of the report. Colours are attributes (not CSS classes) so a chart
// exported as PNG looks as it does on the page.
import { s } from './dom.js';
import { formatNumber } from '../format.js';
import type { Box } from '../evidence.js';
import { niceScale, tickLabel } from './ticks.js';

export const COLOR = { x: '#2b6cb0', y: '#c05621', muted: '#5a6475', line: '#555', grid: '#dde1e7' };
const FONT = { 'font-size': 11, 'font-family': 'system-ui, sans-serif', fill: COLOR.muted };

export interface SpectrumBar {
  key: string;
  side: 'x' | 'y';
  rank: number;
  eigenvalue: number;
}

/**
 * Eigenvalue bars, side x up and side y down; with `onSelect` each bar is a focusable button.
 * `width`: the viewBox's width, near the width the chart is shown at, so its 12-unit text
 * shows at ≥ 11 px (760 for a chart across the page, 440 for one of two side by side).
 */
export function spectrumChart(bars: SpectrumBar[], label: string, onSelect?: (key: string) => void, scale?: number, width = 760): SVGElement {
  const sorted = [...bars].sort((a, b) => b.eigenvalue - a.eigenvalue);
  const LABEL = { ...FONT, 'font-size': 12 };
  const W = width,
    H = width < 600 ? 220 : 240,
    L = 64,
    R = 12,
    T = 14,
    B = 26;
  const max = scale ?? Math.max(1e-300, ...sorted.map((m) => Math.abs(m.eigenvalue)));
  const hasPos = scale !== undefined || sorted.some((m) => m.eigenvalue > 0);
  const hasNeg = scale !== undefined || sorted.some((m) => m.eigenvalue < 0);
  const top = hasPos ? max : 0,
    bottom = hasNeg ? -max : 0;
  const y = (v: number) => T + ((top - v) / (top - bottom || 1)) * (H - T - B);
  const slot = (W - L - R) / Math.max(1, sorted.length);
  const bw = Math.max(2, Math.min(36, slot * 0.7));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'group', 'aria-label': label, class: 'spectrum' });
  svg.appendChild(s('rect', { x: 0, y: 0, width: W, height: H, fill: '#fff' }));
  svg.appendChild(s('line', { x1: L, x2: W - R, y1: y(0), y2: y(0), stroke: COLOR.line }));
  for (const v of [top, 0, bottom].filter((v, i, a) => a.indexOf(v) === i)) {
    svg.appendChild(s('text', { class: 'tick', x: L - 6, y: y(v) + 4, 'text-anchor': 'end', ...LABEL }, formatNumber(v)));
  }
  svg.appendChild(s('text', { x: 14, y: T + (H - T - B) / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${T + (H - T - B) / 2})`, ...LABEL }, 'λ'));
  sorted.forEach((m, i) => {
    const x = L + i * slot + (slot - bw) / 2;
    const y1 = y(Math.max(m.eigenvalue, 0)),
      y2 = y(Math.min(m.eigenvalue, 0));
    const g = s(
      'g',
      onSelect
        ? {
            tabindex: 0,
            role: 'button',
            class: 'bar',
            'data-mode': m.key,
            'aria-label': `mode ${m.key}, eigenvalue ${formatNumber(m.eigenvalue)}`,
            onclick: () => onSelect(m.key),
            onkeydown: (e: KeyboardEvent) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect(m.key);
              }
            },
            style: 'cursor:pointer',
          }
        : { class: 'bar', 'data-mode': m.key },
    );
    // A full-height transparent target makes small bars easy to hit.
    if (onSelect) g.appendChild(s('rect', { x: L + i * slot, y: T, width: slot, height: H - T - B, fill: 'transparent' }));
    g.appendChild(
      s(
        'rect',
        { class: `bar-${m.side}`, x, y: y1, width: bw, height: Math.max(0.5, y2 - y1), fill: m.side === 'x' ? COLOR.x : COLOR.y },
        s('title', {}, `mode ${m.key}: λ = ${formatNumber(m.eigenvalue)}`),
      ),
    );
    if (slot >= 18) g.appendChild(s('text', { x: x + bw / 2, y: m.eigenvalue >= 0 ? y(0) + 14 : y(0) - 6, 'text-anchor': 'middle', ...LABEL }, m.key));
    svg.appendChild(g);
  });
  return svg;
}

/** Marks the selected bar of a spectrum chart. */
export function markSpectrum(svg: Element, key: string | null): void {
  svg.querySelectorAll('g.bar').forEach((g) => {
    const on = g.getAttribute('data-mode') === key;
    g.setAttribute('aria-pressed', String(on));
    const bar = g.querySelector('rect[class^=bar-]');
    if (bar) {
      bar.setAttribute('stroke', on ? '#1a202c' : 'none');
      bar.setAttribute('stroke-width', on ? '2' : '0');
    }
  });
}

/** Horizontal box plots (min–max whiskers, q1–q3 box, median line), one row per named box. */
export function boxChart(rows: { name: string; box: Box; color: string }[], label: string): SVGElement {
  const W = 480,
    rowH = 34,
    L = 150,
    R = 16,
    T = 10,
    B = 28,
    H = T + B + rows.length * rowH;
  const vals = rows.flatMap((r) => r.box).filter(Number.isFinite);
  // ticks at round values, the axis from the first tick at or below the data (and 0) to the first at or above
  const scale = niceScale(Math.min(...vals, 0), Math.max(...vals, 1e-12), 5);
  const lo = scale.lo,
    hi = scale.hi;
  const x = (v: number) => L + ((v - lo) / (hi - lo)) * (W - L - R);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label });
  svg.appendChild(s('rect', { x: 0, y: 0, width: W, height: H, fill: '#fff' }));
  for (const t of scale.ticks) {
    svg.appendChild(s('line', { class: 'tick', x1: x(t), x2: x(t), y1: T, y2: H - B, stroke: COLOR.grid }));
    svg.appendChild(s('text', { class: 'tick', x: x(t), y: H - B + 14, 'text-anchor': 'middle', ...FONT }, tickLabel(t, scale.step)));
  }
  svg.appendChild(s('text', { x: (L + W - R) / 2, y: H - 2, 'text-anchor': 'middle', ...FONT }, 'kernel similarity'));
  rows.forEach((r, i) => {
    const cy = T + i * rowH + rowH / 2;
    const [mn, q1, md, q3, mx] = r.box;
    svg.appendChild(s('text', { x: L - 8, y: cy + 4, 'text-anchor': 'end', ...FONT, fill: '#1a202c' }, r.name));
    if (!Number.isFinite(md)) return;
    svg.appendChild(s('line', { x1: x(mn), x2: x(mx), y1: cy, y2: cy, stroke: r.color }));
    svg.appendChild(s('rect', { x: x(q1), y: cy - 9, width: Math.max(1, x(q3) - x(q1)), height: 18, fill: r.color, 'fill-opacity': 0.25, stroke: r.color }));
    svg.appendChild(
      s(
        'line',
        { x1: x(md), x2: x(md), y1: cy - 9, y2: cy + 9, stroke: r.color, 'stroke-width': 2.5 },
        s(
          'title',
          {},
          `${r.name}: median ${formatNumber(md)}, quartiles ${formatNumber(q1)}–${formatNumber(q3)}, range ${formatNumber(mn)}–${formatNumber(mx)}`,
        ),
      ),
    );
  });
  return svg;
}

/** Log–log scatter: rank of j among i's neighbours under X (horizontal) and Y (vertical). */
export function rankChart(rx: number[], ry: number[], of: number, xName: string, yName: string, color: string): SVGElement {
  const W = 360,
    H = 320,
    L = 52,
    R = 12,
    T = 10,
    B = 40;
  const max = Math.max(2, of);
  const lx = (v: number) => L + (Math.log10(Math.max(1, v)) / Math.log10(max)) * (W - L - R);
  const ly = (v: number) => H - B - (Math.log10(Math.max(1, v)) / Math.log10(max)) * (H - T - B);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `neighbour ranks under ${xName} versus ${yName}` });
  svg.appendChild(s('rect', { x: 0, y: 0, width: W, height: H, fill: '#fff' }));
  for (let p = 1; p <= max; p *= 10) {
    svg.appendChild(s('line', { x1: lx(p), x2: lx(p), y1: T, y2: H - B, stroke: COLOR.grid }));
    svg.appendChild(s('line', { x1: L, x2: W - R, y1: ly(p), y2: ly(p), stroke: COLOR.grid }));
    svg.appendChild(s('text', { x: lx(p), y: H - B + 13, 'text-anchor': 'middle', ...FONT }, String(p)));
    svg.appendChild(s('text', { x: L - 5, y: ly(p) + 4, 'text-anchor': 'end', ...FONT }, String(p)));
  }
  svg.appendChild(s('line', { x1: lx(1), y1: ly(1), x2: lx(max), y2: ly(max), stroke: '#a0aec0', 'stroke-dasharray': '4 3' }));
  svg.appendChild(s('text', { x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle', ...FONT }, `rank under ${xName}`));
  svg.appendChild(
    s('text', { x: 12, y: (T + H - B) / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${(T + H - B) / 2})`, ...FONT }, `rank under ${yName}`),
  );
  rx.forEach((r, i) => svg.appendChild(s('circle', { cx: lx(r), cy: ly(ry[i]), r: 3, fill: color, 'fill-opacity': 0.55 })));
  return svg;
}

/** Grouped bars: the fraction of X's and of Y's samples in each mode (finc's freqX, freqY). */
export function frequencyChart(modes: { key: string; x: number; y: number }[], xName: string, yName: string): SVGElement {
  const W = 760,
    H = 220,
    L = 56,
    R = 12,
    T = 12,
    B = 40;
  const max = Math.max(1e-12, ...modes.flatMap((m) => [m.x, m.y]));
  const slot = (W - L - R) / Math.max(1, modes.length),
    bw = Math.min(16, slot * 0.35);
  const y = (v: number) => H - B - (v / max) * (H - T - B);
  const pct = (v: number) => `${(100 * v).toFixed(v < 0.1 ? 1 : 0)}%`;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'fraction of X and of Y in each mode' });
  svg.appendChild(s('rect', { x: 0, y: 0, width: W, height: H, fill: '#fff' }));
  svg.appendChild(s('line', { x1: L, x2: W - R, y1: y(0), y2: y(0), stroke: COLOR.line }));
  svg.appendChild(s('text', { x: L - 6, y: y(max) + 4, 'text-anchor': 'end', ...FONT }, pct(max)));
  svg.appendChild(s('text', { x: L - 6, y: y(0) + 4, 'text-anchor': 'end', ...FONT }, '0'));
  modes.forEach((m, i) => {
    const cx = L + i * slot + slot / 2;
    svg.appendChild(
      s(
        'rect',
        { class: 'freq-x', x: cx - bw, y: y(m.x), width: bw, height: y(0) - y(m.x), fill: COLOR.x, 'data-value': String(m.x) },
        s('title', {}, `${m.key}: ${pct(m.x)} of ${xName}`),
      ),
    );
    svg.appendChild(
      s(
        'rect',
        { class: 'freq-y', x: cx, y: y(m.y), width: bw, height: y(0) - y(m.y), fill: COLOR.y, 'data-value': String(m.y) },
        s('title', {}, `${m.key}: ${pct(m.y)} of ${yName}`),
      ),
    );
    svg.appendChild(s('text', { x: cx, y: H - B + 14, 'text-anchor': 'middle', ...FONT }, m.key));
  });
  svg.appendChild(s('text', { x: L, y: H - 6, ...FONT, fill: COLOR.x }, `■ fraction of ${xName}`));
  svg.appendChild(s('text', { x: L + 260, y: H - 6, ...FONT, fill: COLOR.y }, `■ fraction of ${yName}`));
  return svg;
}

/** Loss curves: training (epochs 1…) and held-out (epoch 0 = the initial map), best epoch dashed; round ticks and axis titles. */
export function lossChart(train: number[], holdout: number[], best: number): SVGElement {
  const W = 640,
    H = 240,
    L = 72,
    R = 12,
    T = 12,
    B = 44;
  const all = [...train, ...holdout].filter(Number.isFinite);
  const ys = niceScale(Math.min(...all, 0), Math.max(...all, 1e-12), 4);
  const epochs = Math.max(1, holdout.length - 1, train.length);
  const xs = niceScale(0, epochs, 6);
  const x = (e: number) => L + (e / xs.hi) * (W - L - R);
  const y = (v: number) => T + ((ys.hi - v) / (ys.hi - ys.lo || 1)) * (H - T - B);
  const line = (vals: number[], first: number, color: string, cls: string) =>
    s('polyline', {
      class: cls,
      fill: 'none',
      stroke: color,
      'stroke-width': 2,
      points: vals.map((v, i) => `${x(i + first).toFixed(1)},${y(v).toFixed(1)}`).join(' '),
    });
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'loss curves' });
  svg.appendChild(s('rect', { x: 0, y: 0, width: W, height: H, fill: '#fff' }));
  for (const t of ys.ticks) {
    svg.appendChild(s('line', { x1: L, x2: W - R, y1: y(t), y2: y(t), stroke: COLOR.grid }));
    svg.appendChild(s('text', { class: 'tick', x: L - 6, y: y(t) + 4, 'text-anchor': 'end', ...FONT }, tickLabel(t, ys.step)));
  }
  for (const t of xs.ticks) svg.appendChild(s('text', { class: 'tick', x: x(t), y: H - B + 15, 'text-anchor': 'middle', ...FONT }, tickLabel(t, xs.step)));
  svg.appendChild(s('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: '#888' }));
  svg.appendChild(s('text', { class: 'axis-title', x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle', ...FONT }, 'epoch (0: the initial map)'));
  const mid = (T + H - B) / 2;
  svg.appendChild(s('text', { class: 'axis-title', x: 14, y: mid, 'text-anchor': 'middle', transform: `rotate(-90 14 ${mid})`, ...FONT }, 'loss'));
  svg.appendChild(s('line', { x1: x(best), x2: x(best), y1: T, y2: H - B, stroke: '#999', 'stroke-dasharray': '4 3' }, s('title', {}, `best epoch ${best}`)));
  svg.appendChild(line(train, 1, COLOR.x, 'train'));
  svg.appendChild(line(holdout, 0, COLOR.y, 'hold'));
  return svg;
}

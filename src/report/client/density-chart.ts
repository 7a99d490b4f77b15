// The view of a density mode: how spread out its top samples are under X and
// under Y (each one's k-NN radius over a typical sample's), as a paired plot — one
// line per top sample from its value under X to its value under Y, over the range
// of typical samples — and a sentence saying what it shows.
import { s } from './dom.js';
import { COLOR } from './charts.js';
import type { DensityEvidence } from '../density.js';
import { ratioText } from './text.js';

const FONT = { 'font-size': 12, 'font-family': 'system-ui, sans-serif', fill: COLOR.muted };

const median = (v: number[]) => {
  const a = v.filter(Number.isFinite).sort((p, q) => p - q);
  if (!a.length) return NaN;
  const m = (a.length - 1) / 2;
  return (a[Math.floor(m)] + a[Math.ceil(m)]) / 2;
};

/** Log-scale ticks 1, 2, 5 × 10^k within [lo, hi]. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  }
  return out;
}

/** Paired plot: the top samples' relative k-NN radii under X (left) and Y (right), log scale. */
export function densityChart(ev: DensityEvidence, xName: string, yName: string, side: 'x' | 'y'): SVGElement {
  const W = 420,
    H = 330,
    L = 64,
    R = 20,
    T = 14,
    B = 44;
  const vals = [...ev.x, ...ev.y, ...ev.refX, ...ev.refY].filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.min(0.5, ...vals) / 1.15,
    hi = Math.max(2, ...vals) * 1.15;
  const y = (v: number) => T + ((Math.log(hi) - Math.log(Math.max(v, lo))) / (Math.log(hi) - Math.log(lo))) * (H - T - B);
  const cx = [L + (W - L - R) * 0.28, L + (W - L - R) * 0.72];
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    class: 'density-chart',
    'aria-label': `spread of the top samples under ${xName} and under ${yName}, relative to a typical sample`,
  });
  svg.appendChild(s('rect', { x: 0, y: 0, width: W, height: H, fill: '#fff' }));
  for (const t of logTicks(lo, hi)) {
    svg.appendChild(
      s('line', { x1: L, x2: W - R, y1: y(t), y2: y(t), stroke: t === 1 ? '#a0aec0' : COLOR.grid, 'stroke-dasharray': t === 1 ? '4 3' : undefined }),
    );
    svg.appendChild(s('text', { x: L - 6, y: y(t) + 4, 'text-anchor': 'end', ...FONT }, `${t}×`));
  }
  const mid = (T + H - B) / 2;
  svg.appendChild(
    s('text', { x: 14, y: mid, 'text-anchor': 'middle', transform: `rotate(-90 14 ${mid})`, ...FONT }, `k-NN radius ÷ a typical sample's (k = ${ev.k})`),
  );
  // typical samples: their range (whisker) and middle half (box), per embedding
  [ev.refX, ev.refY].forEach((b, i) => {
    if (!b.every(Number.isFinite)) return;
    svg.appendChild(s('line', { class: 'ref', x1: cx[i], x2: cx[i], y1: y(b[0]), y2: y(b[4]), stroke: '#a0aec0', 'stroke-width': 2 }));
    svg.appendChild(
      s('rect', { class: 'ref', x: cx[i] - 16, y: y(b[3]), width: 32, height: Math.max(1, y(b[1]) - y(b[3])), fill: '#edf0f4', stroke: '#a0aec0' }),
    );
    svg.appendChild(s('text', { x: cx[i], y: H - B + 18, 'text-anchor': 'middle', ...FONT, fill: '#1a202c', 'font-weight': 600 }, i === 0 ? xName : yName));
  });
  svg.appendChild(
    s('text', { x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle', ...FONT }, 'grey: typical samples (middle half, range); lines: top samples'),
  );
  const color = side === 'x' ? COLOR.x : COLOR.y;
  ev.x.forEach((vx, i) => {
    const vy = ev.y[i];
    if (!Number.isFinite(vx) || !Number.isFinite(vy)) return;
    const g = s(
      'g',
      { class: 'pair', 'data-index': ev.index[i] },
      s('title', {}, `#${ev.index[i]}: ${ratioText(vx)}× under ${xName}, ${ratioText(vy)}× under ${yName}`),
    );
    g.appendChild(s('line', { x1: cx[0], x2: cx[1], y1: y(vx), y2: y(vy), stroke: color, 'stroke-opacity': 0.45, 'stroke-width': 1.5 }));
    g.appendChild(s('circle', { cx: cx[0], cy: y(vx), r: 3.5, fill: color, 'fill-opacity': 0.8 }));
    g.appendChild(s('circle', { cx: cx[1], cy: y(vy), r: 3.5, fill: color, 'fill-opacity': 0.8 }));
    svg.appendChild(g);
  });
  return svg;
}

/** What the paired plot shows, in one or two sentences. */
export function densityText(ev: DensityEvidence, key: string, xName: string, yName: string): string {
  const mx = median(ev.x),
    my = median(ev.y);
  const tighter = mx <= my ? xName : yName,
    looser = mx <= my ? yName : xName;
  const f = mx <= my ? my / mx : mx / my;
  return `Mode ${key} is a difference of density: its top samples' ${ev.k}th-nearest neighbours are ${ratioText(mx)}× as far as a typical sample's under ${xName} and ${ratioText(my)}× under ${yName} (medians), so ${tighter} packs them about ${ratioText(f)}× tighter than ${looser} does. A 2-D layout evens out density: the maps would draw the group about as tight in both, so they are folded away.`;
}

/** How to read the paired plot. */
export function densityGuide(xName: string, yName: string): string {
  return `How to read it: one line per top sample, from its spread under ${xName} (left) to its spread under ${yName} (right), each as its k-NN radius over a typical sample's (1× = as spread as the median sample, log scale). The grey boxes are the typical samples' middle half, the whiskers their range. Lines rising to the right: ${yName} spreads the samples more than ${xName}; falling: less.`;
}

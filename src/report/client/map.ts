// One 2-D map of the plotted samples on a <canvas> (thousands of points stay
// cheap to draw and hit-test): points coloured by label (few distinct labels)
// or by set (finc), the selected mode's top samples drawn on top (its bottom
// samples as rings), and a hover
// tooltip with the sample's index, label and thumbnail.
import { h, safeSrc } from './dom.js';
import { COLOR } from './charts.js';
import type { ReportMaps } from '../data.js';

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#17becf', '#bcbd22'];

export interface MapContext {
  maps: ReportMaps;
  thumbs?: Record<string, string>;
  /** Colour of each label (when there are ≤ 12 distinct ones). */
  labelColor?: Map<string, string>;
}

export function labelColors(labels: (string | null)[] | undefined): Map<string, string> | undefined {
  if (!labels) return undefined;
  const distinct = [...new Set(labels.filter((l): l is string => l !== null))].sort();
  if (distinct.length === 0 || distinct.length > PALETTE.length) return undefined;
  return new Map(distinct.map((l, i) => [l, PALETTE[i]]));
}

export class MapView {
  readonly el: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private tip: HTMLElement;
  private highlight: number[] = [];
  private ringed: number[] = [];
  private highlightSide: 'x' | 'y' = 'x';
  private xy: number[];
  private size = 0;

  constructor(
    private ctx: MapContext,
    private panel: ReportMaps['panels'][number],
    description: string,
  ) {
    this.xy = ctx.maps.layouts[panel.layout].xy;
    this.canvas = h('canvas', { role: 'img', 'aria-label': description, 'data-highlighted': '[]', tabindex: -1 });
    this.tip = h('div', { class: 'tip', hidden: true });
    this.el = h('div', { class: 'map chart' }, this.canvas, this.tip);
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => {
      this.tip.hidden = true;
    });
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.draw()).observe(this.canvas);
  }

  /** Highlights the plotted points `points` (positions in the point arrays; a mode's top end), and rings `bottom` (its bottom end). */
  setHighlight(points: number[], side: 'x' | 'y', bottom: number[] = []): void {
    this.highlight = points;
    this.ringed = bottom;
    this.highlightSide = side;
    const indices = (ps: number[]) => JSON.stringify(ps.map((p) => this.ctx.maps.points.index[p]).sort((a, b) => a - b));
    this.canvas.setAttribute('data-highlighted', indices(points));
    this.canvas.setAttribute('data-ringed', indices(bottom));
    this.draw();
  }

  private px(p: number): [number, number] {
    const pad = 10,
      span = this.size - 2 * pad;
    return [pad + ((this.xy[2 * p] + 1) / 2) * span, pad + ((1 - this.xy[2 * p + 1]) / 2) * span];
  }

  draw(): void {
    const cssSize = this.canvas.clientWidth || 400;
    const dpr = (typeof devicePixelRatio === 'number' && devicePixelRatio) || 1;
    this.size = cssSize;
    if (this.canvas.width !== Math.round(cssSize * dpr)) {
      this.canvas.width = Math.round(cssSize * dpr);
      this.canvas.height = Math.round(cssSize * dpr);
    }
    const g = this.canvas.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = '#fff';
    g.fillRect(0, 0, cssSize, cssSize);
    const { points } = this.ctx.maps;
    const n = points.index.length;
    const dim = this.highlight.length + this.ringed.length > 0;
    const r = n > 2000 ? 1.6 : n > 500 ? 2.2 : 3;
    const emph = this.panel.emphasis;
    // Background points, the emphasised set last (finc) so it sits on top.
    for (const pass of emph === undefined ? [null] : [1 - emph, emph]) {
      for (let p = 0; p < n; p++) {
        if (pass !== null && points.set[p] !== pass) continue;
        let color = '#718096',
          alpha = dim ? 0.25 : 0.6;
        if (emph !== undefined) {
          if (points.set[p] === emph) color = emph === 0 ? COLOR.x : COLOR.y;
          else {
            color = '#a0aec0';
            alpha = dim ? 0.12 : 0.25;
          }
        } else if (this.ctx.labelColor && points.labels?.[p] != null) {
          color = this.ctx.labelColor.get(points.labels[p]!) ?? color;
        }
        g.globalAlpha = alpha;
        g.fillStyle = color;
        const [x, y] = this.px(p);
        g.fillRect(x - r, y - r, 2 * r, 2 * r);
      }
    }
    g.globalAlpha = 1;
    const hc = this.highlightSide === 'x' ? COLOR.x : COLOR.y;
    for (const p of this.ringed) {
      const [x, y] = this.px(p);
      g.beginPath();
      g.arc(x, y, 4.5, 0, 2 * Math.PI);
      g.fillStyle = '#fff';
      g.fill();
      g.lineWidth = 2;
      g.strokeStyle = hc;
      g.stroke();
    }
    for (const p of this.highlight) {
      const [x, y] = this.px(p);
      g.beginPath();
      g.arc(x, y, 4.5, 0, 2 * Math.PI);
      g.fillStyle = hc;
      g.fill();
      g.lineWidth = 1.5;
      g.strokeStyle = '#1a202c';
      g.stroke();
    }
  }

  private hover(e: MouseEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    const mx = e.clientX - rect.left,
      my = e.clientY - rect.top;
    const { points } = this.ctx.maps;
    let best = -1,
      bd = 64;
    for (let p = 0; p < points.index.length; p++) {
      const [x, y] = this.px(p);
      const d = (x - mx) ** 2 + (y - my) ** 2;
      if (d < bd) {
        bd = d;
        best = p;
      }
    }
    if (best < 0) {
      this.tip.hidden = true;
      return;
    }
    const set = points.set[best],
      index = points.index[best];
    const label = points.labels?.[best];
    const thumb = safeSrc(this.ctx.thumbs?.[`${set}:${index}`]);
    const setName =
      this.ctx.maps.panels.length > 1 && this.ctx.maps.panels.some((q) => q.emphasis !== undefined)
        ? `${this.ctx.maps.panels.find((q) => q.emphasis === set)?.title ?? ''} `
        : '';
    const kids: Node[] = [h('div', {}, `${setName}#${index}`)];
    if (label != null) kids.push(h('div', {}, label));
    if (thumb) kids.push(h('img', { src: thumb, alt: '' }));
    this.tip.replaceChildren(...kids);
    this.tip.hidden = false;
    const left = Math.min(mx + 12, rect.width - 120);
    this.tip.style.left = `${Math.max(0, left)}px`;
    this.tip.style.top = `${my + 12}px`;
  }
}

// One 2-D map of the plotted samples on a <canvas> (thousands of points stay
// cheap to draw and hit-test). Points take their class's colour (or their set's,
// finc); the selected mode's samples are marked by shape, never by a colour a
// class could have: its top samples larger and outlined, its bottom samples with
// a dashed outline, each keeping its class's colour. A class picked in the legend
// is drawn on top of the others. Hovering a point shows its index, label, score
// in the selected mode and thumbnail, and marks the same sample in the other maps.
import { h, safeSrc } from './dom.js';
import { COLOR } from './charts.js';
import type { ClassPalette } from './palette.js';
import type { ReportMaps } from '../data.js';

/** The legend key of the classes grouped as "other". */
export const OTHER_KEY = '\u0000other';
/** Colour of unlabelled points of a compare map and of the other set's points in a finc map. */
export const PLAIN = '#718096';
export const FAINT = '#a0aec0';
/** Outline of the marked samples: a colour no class has. */
export const MARK = '#111111';

/** What all maps of a page share: how points are coloured and which legend class is picked. */
export interface MapState {
  colorBy: 'label' | 'set';
  /** A class picked in the legend (OTHER_KEY: the grouped classes), or null. */
  focus: string | null;
}

export interface MapContext {
  maps: ReportMaps;
  thumbs?: Record<string, string>;
  palette?: ClassPalette;
  state?: MapState;
  /** The tip's line about the point's score in the selected mode (null: none). */
  scoreText?: (p: number) => string | null;
  /** The pointer is over point p of this map (null: left it). */
  onHover?: (p: number | null, from: MapView) => void;
}

export class MapView {
  readonly el: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private tip: HTMLElement;
  private highlight: number[] = [];
  private ringed: number[] = [];
  private linked: number | null = null;
  private xy: number[];
  private size = 0;
  private state: MapState;

  constructor(
    private ctx: MapContext,
    private panel: ReportMaps['panels'][number],
    description: string,
  ) {
    this.xy = ctx.maps.layouts[panel.layout].xy;
    this.state = ctx.state ?? { colorBy: 'label', focus: null };
    this.canvas = h('canvas', { role: 'img', 'aria-label': description, 'data-highlighted': '[]', 'data-linked': '', tabindex: -1 });
    this.tip = h('div', { class: 'tip', hidden: true });
    this.el = h('div', { class: 'map chart' }, this.canvas, this.tip);
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => ctx.onHover?.(null, this));
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.draw()).observe(this.canvas);
  }

  /** Marks the plotted points `points` (positions in the point arrays; a mode's top end) and `bottom` (its bottom end). */
  setHighlight(points: number[], bottom: number[] = []): void {
    this.highlight = points;
    this.ringed = bottom;
    const indices = (ps: number[]) => JSON.stringify(ps.map((p) => this.ctx.maps.points.index[p]).sort((a, b) => a - b));
    this.canvas.setAttribute('data-highlighted', indices(points));
    this.canvas.setAttribute('data-ringed', indices(bottom));
    this.draw();
  }

  /** Marks point p (hovered here or in another map) with a ring and its tip; null clears. */
  setLinked(p: number | null): void {
    if (p === this.linked) return;
    this.linked = p;
    this.canvas.setAttribute('data-linked', p === null ? '' : String(this.ctx.maps.points.index[p]));
    this.draw();
    if (p === null) this.tip.hidden = true;
    else {
      const [x, y] = this.px(p);
      this.showTip(p, x, y);
    }
  }

  /** Position of point p in CSS pixels of the canvas. */
  px(p: number): [number, number] {
    const pad = 10,
      span = this.size - 2 * pad;
    return [pad + ((this.xy[2 * p] + 1) / 2) * span, pad + ((1 - this.xy[2 * p + 1]) / 2) * span];
  }

  /** The colour point p is drawn in: its class's, or its set's (finc by set). */
  colorOf(p: number): string {
    const { points } = this.ctx.maps;
    const emph = this.panel.emphasis;
    const pal = this.ctx.palette;
    if (emph !== undefined && points.set[p] !== emph) return FAINT;
    if (pal && (emph === undefined || this.state.colorBy === 'label')) return pal.colorOf(points.labels?.[p]);
    if (emph !== undefined) return emph === 0 ? COLOR.x : COLOR.y;
    return PLAIN;
  }

  /** Whether point p belongs to the class picked in the legend. */
  private focused(p: number): boolean {
    const f = this.state.focus;
    if (f === null) return false;
    const l = this.ctx.maps.points.labels?.[p];
    if (this.panel.emphasis !== undefined && this.ctx.maps.points.set[p] !== this.panel.emphasis) return false;
    return f === OTHER_KEY ? (this.ctx.palette?.isOther(l) ?? false) : l === f;
  }

  draw(): void {
    this.markFocus();
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
    const focus = this.state.focus !== null;
    const dim = focus || this.highlight.length + this.ringed.length > 0;
    const r = n > 2000 ? 1.6 : n > 500 ? 2.2 : 3;
    const emph = this.panel.emphasis;
    const square = (p: number, rad: number, alpha: number) => {
      g.globalAlpha = alpha;
      g.fillStyle = this.colorOf(p);
      const [x, y] = this.px(p);
      g.fillRect(x - rad, y - rad, 2 * rad, 2 * rad);
    };
    // Background points, the emphasised set last (finc) so it sits on top; a picked class after all of them.
    const picked: number[] = [];
    for (const pass of emph === undefined ? [null] : [1 - emph, emph]) {
      for (let p = 0; p < n; p++) {
        if (pass !== null && points.set[p] !== pass) continue;
        if (focus && this.focused(p)) {
          picked.push(p);
          continue;
        }
        const own = emph === undefined || points.set[p] === emph;
        square(p, r, focus ? 0.1 : own ? (dim ? 0.3 : 0.65) : dim ? 0.12 : 0.25);
      }
    }
    for (const p of picked) square(p, r + 0.8, 0.95);
    g.globalAlpha = 1;
    const mark = (p: number, rad: number, width: number, dash: number[]) => {
      const [x, y] = this.px(p);
      g.beginPath();
      g.arc(x, y, rad, 0, 2 * Math.PI);
      g.fillStyle = this.colorOf(p);
      g.fill();
      g.setLineDash?.(dash);
      g.lineWidth = width;
      g.strokeStyle = MARK;
      g.stroke();
      g.setLineDash?.([]);
    };
    for (const p of this.ringed) mark(p, 4.5, 1.5, [2, 2]);
    for (const p of this.highlight) mark(p, 5, 2, []);
    if (this.linked !== null) {
      const [x, y] = this.px(this.linked);
      g.beginPath();
      g.arc(x, y, 10, 0, 2 * Math.PI);
      g.lineWidth = 4;
      g.strokeStyle = '#fff';
      g.stroke();
      g.lineWidth = 2;
      g.strokeStyle = MARK;
      g.stroke();
    }
  }

  /** Says on the canvas which legend class is picked and how many of its points this map shows. */
  private markFocus(): void {
    const f = this.state.focus;
    let count = 0;
    if (f !== null) for (let p = 0; p < this.ctx.maps.points.index.length; p++) if (this.focused(p)) count++;
    this.canvas.setAttribute('data-focus', f === null ? '' : f === OTHER_KEY ? 'other' : f);
    this.canvas.setAttribute('data-focus-count', String(count));
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
    if (this.ctx.onHover) this.ctx.onHover(best < 0 ? null : best, this);
    else this.setLinked(best < 0 ? null : best);
  }

  private showTip(p: number, x: number, y: number): void {
    const { points, panels } = this.ctx.maps;
    const set = points.set[p],
      index = points.index[p];
    const label = points.labels?.[p];
    const thumb = safeSrc(this.ctx.thumbs?.[`${set}:${index}`]);
    const setName = panels.some((q) => q.emphasis !== undefined) ? `${panels.find((q) => q.emphasis === set)?.title ?? ''} ` : '';
    const kids: Node[] = [h('div', {}, `${setName}#${index}`)];
    if (label != null) kids.push(h('div', { class: 'tip-label' }, label));
    const score = this.ctx.scoreText?.(p);
    if (score) kids.push(h('div', { class: 'tip-score' }, score));
    if (thumb) kids.push(h('img', { src: thumb, alt: '' }));
    this.tip.replaceChildren(...kids);
    this.tip.hidden = false;
    const width = this.canvas.clientWidth || this.size;
    this.tip.style.left = `${Math.max(0, Math.min(x + 12, width - 150))}px`;
    this.tip.style.top = `${y + 12}px`;
  }
}

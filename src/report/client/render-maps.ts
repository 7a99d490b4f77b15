// The maps section of the compare and finc pages: the two maps (illustrations),
// their legend, the hover linked across maps, and — for a mode that is a difference
// of density, which a 2-D layout cannot show — the paired plot of its top samples'
// spread under X and Y in place of the maps.
import { h } from './dom.js';
import { formatNumber } from '../format.js';
import { MapView, type MapState } from './map.js';
import { mapLegend } from './legend.js';
import { classPalette } from './palette.js';
import { densityChart, densityGuide, densityText } from './density-chart.js';
import type { ReportData, ReportMaps } from '../data.js';
import { type AnyMode, type Listed, chartBox, pngButton } from './render-common.js';
import { possessive } from './text.js';

export interface MapsSection {
  views: MapView[];
  /** Shows mode m (null: none): marks its ends in the maps, or its spread when it is a density mode. */
  update(m: AnyMode | null): void;
}

const key = (m: AnyMode) => `${m.side}${m.rank}`;

/** The tip's score line of plotted point p in mode m. */
export function scoreLine(maps: ReportMaps, m: AnyMode | null, p: number, finc: boolean, names: [string, string]): string | null {
  if (!m) return null;
  const k = key(m);
  const own = finc && m.side === 'y' ? 1 : 0;
  if (finc && maps.points.set[p] !== own) return `no score in ${k} (a mode of ${possessive(names[own])} samples)`;
  const v = maps.scores?.[k]?.[p];
  if (v !== undefined && v !== null) return `score in ${k}: ${formatNumber(v)}`;
  const index = maps.points.index[p];
  const find = (list: Listed | undefined, end: string) => {
    const i = (list ?? []).findIndex((t) => t.index === index);
    return i < 0 ? null : `score in ${k}: ${formatNumber(list![i].score)} (${end} #${i + 1})`;
  };
  return find(m.top, 'top') ?? find(m.bottom, 'bottom') ?? `score in ${k}: not among its listed samples`;
}

export function renderMaps(data: ReportData, maps: ReportMaps, main: HTMLElement, chooser: HTMLElement, selInfo: HTMLElement): MapsSection {
  const finc = data.task === 'finc';
  const x = data.xName,
    y = data.yName;
  const labels = maps.points.labels;
  // finc colours by label within the emphasised set: the palette of each set's labels pooled
  const palette = classPalette(labels);
  const state: MapState = { colorBy: finc ? 'set' : 'label', focus: null };
  let mode: AnyMode | null = null;
  const views: MapView[] = [];
  const ctx = {
    maps,
    thumbs: data.thumbs,
    palette,
    state,
    scoreText: (p: number) => scoreLine(maps, mode, p, finc, [x, y]),
    onHover: (p: number | null) => views.forEach((v) => v.setLinked(p)),
  };
  const n = maps.points.index.length;
  const methods = maps.layouts
    .map((l) => l.method.toUpperCase())
    .filter((v, i, a) => a.indexOf(v) === i)
    .join(' / ');
  main.append(
    h('h2', {}, 'Maps'),
    h(
      'p',
      { class: 'muted', id: 'maps-caption' },
      h('b', {}, 'An illustration, not the evidence. '),
      `${n === maps.total ? `All ${n}` : `${n} of ${maps.total}`} samples (a seeded sample that includes every mode's top samples), laid out in 2-D by ${methods}${
        finc ? ` once for both sets pooled; left: ${possessive(x)} samples, right: ${possessive(y)}.` : ` under ${x} (left) and under ${y} (right).`
      } A layout keeps neighbours near but not distances or density: the evidence for a mode is in the panels below the maps, computed in the embeddings themselves. Hover a point to find it in both maps.`,
    ),
    chooser,
    selInfo,
  );
  const densityView = h('div', { class: 'density-view', id: 'density-view', hidden: true });
  const row = h('div', { class: 'maps', id: 'maps-row' });
  const showMaps = h('button', { type: 'button', id: 'show-maps' }, 'show the maps anyway');
  showMaps.addEventListener('click', () => {
    row.hidden = !row.hidden;
    legend.hidden = row.hidden;
    showMaps.textContent = row.hidden ? 'show the maps anyway' : 'hide the maps';
    if (!row.hidden) views.forEach((v) => v.draw());
  });
  maps.panels.forEach((p, i) => {
    const view = new MapView(ctx, p, `map ${i + 1}: samples laid out under ${p.title} (an illustration)`);
    view.canvas.id = `map-${i}`;
    views.push(view);
    row.append(
      h(
        'div',
        {},
        h(
          'div',
          { class: 'chart-head' },
          h('h4', {}, `${p.title} · illustration`),
          pngButton(() => view.canvas, `map-${i + 1}.png`, `map ${p.title}`),
        ),
        view.el,
      ),
    );
  });
  const legend = mapLegend({ palette, state, sets: finc ? { x, y } : undefined, onChange: () => views.forEach((v) => v.draw()) });
  main.append(densityView, row, legend);
  requestAnimationFrame(() => views.forEach((v) => v.draw()));

  const pos = new Map<string, number>();
  maps.points.index.forEach((idx, p) => pos.set(`${maps.points.set[p]}:${idx}`, p));
  return {
    views,
    update(m) {
      mode = m;
      const set = m?.side === 'y' && finc ? 1 : 0;
      const at = (list: Listed | undefined) => (list ?? []).map((t) => pos.get(`${set}:${t.index}`)).filter((p): p is number => p !== undefined);
      const ev = m ? data.density?.[key(m)] : undefined;
      const density = ev?.view === 'density';
      densityView.hidden = !density;
      row.hidden = density;
      legend.hidden = density;
      // after the row's visibility: a map draws at the size it is shown at
      views.forEach((v) => v.setHighlight(m ? at(m.top) : [], m ? at(m.bottom) : []));
      showMaps.textContent = 'show the maps anyway';
      densityView.replaceChildren();
      if (m && ev && density) {
        densityView.append(
          chartBox(`spread of mode ${key(m)}'s top samples under ${x} and ${y}`, densityChart(ev, x, y, m.side), `spread-${key(m)}.png`),
          h(
            'div',
            { class: 'density-side' },
            h('p', { class: 'density-text' }, densityText(ev, key(m), x, y)),
            h('p', { class: 'guide' }, densityGuide(x, y)),
            showMaps,
          ),
        );
      }
    },
  };
}

// The maps' legend, always drawn: the classes' colours (a click on one picks that
// class in every map; again, or another, to change), or the sets' colours (finc,
// with a toggle between colour by set and by label when labels are given), and
// what the marks of the selected mode and of the hovered sample look like.
import { h, s } from './dom.js';
import { COLOR } from './charts.js';
import { OTHER_COLOR, type ClassPalette } from './palette.js';
import { FAINT, MARK, OTHER_KEY, PLAIN, type MapState } from './map.js';

export interface LegendOptions {
  palette?: ClassPalette;
  state: MapState;
  /** finc: the two sets' names (the maps colour by set, or by label when `palette`). */
  sets?: { x: string; y: string };
  /** The state changed: redraw the maps. */
  onChange: () => void;
}

const swatch = (color: string) => h('i', { style: `background:${color}` });

function markIcon(kind: 'top' | 'bottom' | 'hover'): SVGElement {
  const attrs =
    kind === 'top'
      ? { r: 5, fill: PLAIN, stroke: MARK, 'stroke-width': 2 }
      : kind === 'bottom'
        ? { r: 4.5, fill: PLAIN, stroke: MARK, 'stroke-width': 1.5, 'stroke-dasharray': '2 2' }
        : { r: 6, fill: 'none', stroke: MARK, 'stroke-width': 2 };
  return s('svg', { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': 'true' }, s('circle', { cx: 8, cy: 8, ...attrs }));
}

/** The legend element; it re-renders itself when the colouring changes. */
export function mapLegend(o: LegendOptions): HTMLElement {
  const el = h('div', { class: 'legend', id: 'map-legend' });
  const render = () => {
    const kids: Node[] = [];
    const byLabel = o.palette && (!o.sets || o.state.colorBy === 'label');
    if (o.sets && o.palette) {
      const toggle = (by: 'set' | 'label') =>
        h(
          'button',
          {
            type: 'button',
            id: `color-by-${by}`,
            'aria-pressed': String(o.state.colorBy === by),
            onclick: () => {
              o.state.colorBy = by;
              o.state.focus = null;
              render();
              o.onChange();
            },
          },
          by,
        );
      kids.push(h('span', { class: 'legend-toggle', role: 'group', 'aria-label': 'colour the maps by' }, 'colour by ', toggle('set'), toggle('label')));
    }
    if (byLabel && o.palette) {
      const item = (key: string, color: string, text: string, attrs: Record<string, string>) =>
        h(
          'button',
          {
            type: 'button',
            class: 'legend-item',
            ...attrs,
            'aria-pressed': String(o.state.focus === key),
            title: 'show this class on top in every map (click again to clear)',
            onclick: () => {
              o.state.focus = o.state.focus === key ? null : key;
              render();
              o.onChange();
            },
          },
          swatch(color),
          text,
        );
      for (const e of o.palette.entries) kids.push(item(e.label, e.color, `${e.label} (${e.count})`, { 'data-label': e.label }));
      const other = o.palette.other;
      if (other) kids.push(item(OTHER_KEY, OTHER_COLOR, `other: ${other.classes} classes (${other.count})`, { 'data-other': '' }));
      if (o.sets) kids.push(h('span', {}, swatch(FAINT), "the other set's samples"));
    } else if (o.sets) {
      kids.push(h('span', { 'data-set': 'x' }, swatch(COLOR.x), o.sets.x), h('span', { 'data-set': 'y' }, swatch(COLOR.y), o.sets.y));
    } else {
      kids.push(h('span', {}, swatch(PLAIN), 'samples'));
    }
    kids.push(
      h('span', { class: 'legend-mark' }, markIcon('top'), 'top samples of the selected mode (larger, outlined)'),
      h('span', { class: 'legend-mark' }, markIcon('bottom'), 'its bottom samples (dashed outline)'),
      h('span', { class: 'legend-mark' }, markIcon('hover'), 'the hovered sample, in every map'),
    );
    el.replaceChildren(...kids);
  };
  render();
  return el;
}

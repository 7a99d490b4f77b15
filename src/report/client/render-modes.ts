// The compare and finc pages: summary, spectrum, maps and the list of mode cards.
import { h } from './dom.js';
import { formatNumber, formatSeconds, rffErrorText } from '../format.js';
import { frequencyChart, markSpectrum, spectrumChart } from './charts.js';
import { MapView, labelColors } from './map.js';
import type { ReportData } from '../data.js';
import type { CliJson } from '../json.js';
import type { FincCliJson } from '../finc-json.js';
import { type AnyMode, type Listed, chartBox, kernelText, pngButton, type ReportHandle } from './render-common.js';
import { keys as pageKeys } from './render-common.js';
import { modeCard, renderEvidence } from './mode-card.js';
import { compareMetricLines, fincMetricLines } from '../metrics-text.js';

export function renderModes(data: ReportData, header: HTMLElement, main: HTMLElement, handle: ReportHandle): void {
  const j = data.json as CliJson | FincCliJson;
  const finc = data.task === 'finc';
  const fj = j as FincCliJson;
  const x = data.xName,
    y = data.yName;
  const modes = j.modes as AnyMode[];
  const key = (m: AnyMode) => `${m.side}${m.rank}`;
  header.append(
    h(
      'p',
      { class: 'muted' },
      finc
        ? `X = ${x} (${fj.nx} samples), Y = ${y} (${fj.ny} samples), one embedding. Modes are eigenvectors of CX − η·CY (η = ${j.eta}): side x (λ > 0) is a sample type over-represented in X, side y (λ < 0) one over-represented in Y.`
        : `X = ${x}, Y = ${y}, n = ${j.n} samples. Modes are eigenvectors of Λ = KX − η·KY (η = ${j.eta}): side x (λ > 0) groups samples that X clusters more tightly than Y, side y (λ < 0) the reverse.`,
    ),
  );
  // the metrics, one line each with its meaning
  const metrics = finc ? (fj.metrics ? fincMetricLines(fj.metrics) : []) : (j as CliJson).metrics ? compareMetricLines((j as CliJson).metrics!) : [];
  if (metrics.length)
    header.append(
      h('p', { class: 'muted', id: 'metrics' }, ...metrics.flatMap((l, i) => [i ? h('br', {}) : null, h('b', {}, `${l.name} ${l.value}`), ` — ${l.meaning}`])),
    );

  // Summary boxes.
  const total = modes.reduce((a, m) => a + Math.abs(m.eigenvalue), 0);
  main.append(
    h(
      'div',
      { class: 'summary' },
      h(
        'div',
        { class: 'box', id: 'spec-diff' },
        h('div', { class: 'muted' }, 'SPEC-diff (spectral norm)'),
        h('div', { class: 'big', 'data-value': String(j.specDiff.norm) }, formatNumber(j.specDiff.norm)),
        h('div', {}, `x-not-y (λmax) ${formatNumber(j.specDiff.xNotY)}`),
        h('div', {}, `y-not-x (−λmin) ${formatNumber(j.specDiff.yNotX)}`),
        j.rffError ? h('div', { class: 'muted', id: 'rff-error' }, `random-feature error: ${rffErrorText(j.rffError)}`) : null,
      ),
      h(
        'div',
        { class: 'box', id: 'kernels' },
        h('div', { class: 'muted' }, finc ? 'Kernel' : 'Kernels'),
        finc ? h('div', {}, kernelText(j.kernelX, data.sigmaAuto?.x)) : h('div', {}, `X: ${kernelText(j.kernelX, data.sigmaAuto?.x)}`),
        finc ? null : h('div', {}, `Y: ${kernelText(j.kernelY, data.sigmaAuto?.y)}`),
      ),
      h(
        'div',
        { class: 'box', id: 'method' },
        h('div', { class: 'muted' }, 'Method'),
        h('div', {}, h('b', {}, j.method)),
        data.methodReason ? h('div', { class: 'muted' }, data.methodReason) : null,
        j.noiseDropped > 0 ? h('div', { class: 'muted' }, `${j.noiseDropped} eigenvalue(s) within round-off not listed`) : null,
      ),
      h(
        'div',
        { class: 'box', id: 'timings' },
        h('div', { class: 'muted' }, 'Timings'),
        ...Object.entries(j.timings).map(([k, v]) => h('div', {}, `${k}: ${formatSeconds(v)}`)),
      ),
      agreementBox(j, finc, x, y),
    ),
  );

  if (!modes.length) {
    main.append(h('p', { id: 'no-modes' }, 'No modes: the two sides agree to numerical precision.'));
    return;
  }

  // Spectrum.
  const select = (k: string | null) => handle.select(k);
  const spectrum = spectrumChart(
    modes.map((m) => ({ key: key(m), side: m.side, rank: m.rank, eigenvalue: m.eigenvalue })),
    'eigenvalue spectrum: select a bar to show its mode',
    select,
  );
  main.append(h('h2', {}, 'Spectrum'), chartBox('eigenvalues (select a bar)', spectrum, 'spectrum.png'));
  if (finc) {
    main.append(
      h('h2', {}, 'Frequencies'),
      h(
        'p',
        { class: 'muted' },
        `The fraction of ${x}'s and of ${y}'s samples in each mode: those past the cut at the mode's end where its side's set is the more over-represented.`,
      ),
      chartBox(
        `fraction of ${x} and of ${y} in each mode`,
        frequencyChart(
          modes.map((m) => ({ key: key(m), x: m.freqX ?? 0, y: m.freqY ?? 0 })),
          x,
          y,
        ),
        'frequencies.png',
      ),
    );
  }

  // Mode chooser, maps and the selected mode's evidence.
  const chooser = h(
    'div',
    { class: 'chooser', role: 'toolbar', 'aria-label': 'modes (← → to step)' },
    ...modes.map((m) =>
      h('button', { type: 'button', class: `side-${m.side}`, 'data-mode': key(m), 'aria-pressed': 'false', onclick: () => select(key(m)) }, key(m)),
    ),
    h('button', { type: 'button', 'data-mode': '', onclick: () => select(null) }, 'none'),
  );
  const maps: MapView[] = [];
  const detail = h('div', { class: 'detail', id: 'evidence' });
  const selInfo = h(
    'p',
    { class: 'muted', id: 'selection', 'aria-live': 'polite' },
    'Select a mode (spectrum bar, button, card, or ← →) to highlight its top samples in the maps.',
  );
  if (data.maps) {
    const ctx = { maps: data.maps, thumbs: data.thumbs, labelColor: finc ? undefined : labelColors(data.maps.points.labels) };
    const n = data.maps.points.index.length;
    main.append(
      h('h2', {}, 'Maps'),
      h(
        'p',
        { class: 'muted' },
        `${n === data.maps.total ? `All ${n}` : `${n} of ${data.maps.total}`} samples (a seeded sample that includes every mode's top samples), laid out in 2-D by ${data.maps.layouts
          .map((l) => l.method.toUpperCase())
          .filter((v, i, a) => a.indexOf(v) === i)
          .join(
            ' / ',
          )}${finc ? " once for both sets pooled; left: X's samples, right: Y's." : ` under ${x} (left) and under ${y} (right).`} Hover a point for its index${data.maps.points.labels ? ' and label' : ''}.`,
      ),
    );
    main.append(chooser, selInfo);
    const row = h('div', { class: 'maps' });
    data.maps.panels.forEach((p, i) => {
      const view = new MapView(ctx, p, `map ${i + 1}: samples laid out under ${p.title}`);
      view.canvas.id = `map-${i}`;
      maps.push(view);
      row.append(
        h(
          'div',
          {},
          h(
            'div',
            { class: 'chart-head' },
            h('h4', {}, p.title),
            pngButton(() => view.canvas, `map-${i + 1}.png`, `map ${p.title}`),
          ),
          view.el,
        ),
      );
    });
    main.append(row);
    if (ctx.labelColor) {
      main.append(h('div', { class: 'legend' }, ...[...ctx.labelColor].map(([l, c]) => h('span', {}, h('i', { style: `background:${c}` }), l))));
    }
    main.append(detail);
    requestAnimationFrame(() => maps.forEach((m) => m.draw()));
  } else {
    main.append(chooser, selInfo, detail);
  }

  // Cards.
  const cards = new Map<string, HTMLElement>();
  for (const side of ['x', 'y'] as const) {
    const ms = modes.filter((m) => m.side === side);
    if (!ms.length) continue;
    main.append(
      h(
        'h2',
        {},
        finc
          ? `Side ${side}: over-represented in ${side === 'x' ? x : y}`
          : `Side ${side}: clustered by ${side === 'x' ? x : y} more than by ${side === 'x' ? y : x}`,
      ),
    );
    const grid = h('div', { class: 'cards' });
    for (const m of ms) {
      const c = modeCard(m, total, data, select);
      cards.set(key(m), c);
      grid.append(c);
    }
    main.append(grid);
  }

  // Positions of each mode's top samples among the plotted points.
  const pos = new Map<string, number>();
  data.maps?.points.index.forEach((idx, p) => pos.set(`${data.maps!.points.set[p]}:${idx}`, p));
  const keys = modes.map(key);
  handle.select = (k) => {
    const m = modes.find((q) => key(q) === k) ?? null;
    handle.selected = m ? key(m) : null;
    markSpectrum(spectrum, handle.selected);
    chooser.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.getAttribute('data-mode') === (handle.selected ?? ''))));
    cards.forEach((c, ck) => c.classList.toggle('selected', ck === handle.selected));
    const set = m?.side === 'y' && finc ? 1 : 0;
    const at = (list: Listed | undefined) => (list ?? []).map((t) => pos.get(`${set}:${t.index}`)).filter((p): p is number => p !== undefined);
    const pts = m ? at(m.top) : [],
      low = m ? at(m.bottom) : [];
    maps.forEach((v) => v.setHighlight(pts, m?.side ?? 'x', low));
    root().setAttribute('data-selected', handle.selected ?? '');
    selInfo.textContent = m
      ? `Mode ${key(m)} (λ = ${formatNumber(m.eigenvalue)}${m.kind ? `, ${m.kind}` : ''}): its ${m.top.length} top samples ${finc ? `(from ${m.side === 'x' ? x : y})` : ''} are highlighted${m.bottom?.length ? `, its ${m.bottom.length} bottom samples ringed,` : ''}${data.maps ? ' in both maps' : ''}. ${finc ? '' : m.side === 'x' ? `${x} should keep them together and ${y} scatter them.` : `${y} should keep them together and ${x} scatter them.`}`
      : 'No mode selected.';
    renderEvidence(detail, m, data);
  };
  const root = () => main.closest('[data-spec-root]') ?? document.body;
  pageKeys.stepper = (dir) => {
    const i = handle.selected ? keys.indexOf(handle.selected) : -1;
    handle.select(keys[dir > 0 ? (i + 1) % keys.length : (i - 1 + keys.length) % keys.length]);
  };
  handle.select(keys[0]);
}

/** NMI/AMI of each side's mode assignment against the labels (the --json `agreement`), when given. */
function agreementBox(j: CliJson | FincCliJson, finc: boolean, x: string, y: string): HTMLElement | null {
  const a = j.agreement;
  if (!a) return null;
  const line = (side: 'x' | 'y') => {
    const s = a[side];
    if (!s) return null;
    const set = finc ? ` (${side === 'x' ? x : y})` : '';
    return h('div', { 'data-side': side }, `side ${side}${set}: NMI ${formatNumber(s.nmi)} · AMI ${formatNumber(s.ami)} · none ${s.unassigned}`);
  };
  return h(
    'div',
    { class: 'box', id: 'agreement' },
    h('div', { class: 'muted' }, 'Agreement with the labels'),
    line('x'),
    line('y'),
    h(
      'div',
      { class: 'muted' },
      `each sample to its side's highest-scoring mode, none below that mode's top cut (${a.cut} of the way from its baseline to its peak); NMI and AMI with arithmetic normalisation`,
    ),
  );
}

// Renders a ReportData into a container: the report page and the in-browser app
// both call this one function (the app after its worker has computed the data).
import { chartPng, download, h, safeSrc } from './dom.js';
import { formatNumber, formatSeconds, labelHistogram, percent, rffErrorText } from '../format.js';
import { boxChart, COLOR, frequencyChart, lossChart, markSpectrum, rankChart, spectrumChart, type SpectrumBar } from './charts.js';
import { MapView, labelColors } from './map.js';
import type { ReportData } from '../data.js';
import type { CliJson } from '../json.js';
import type { FincCliJson } from '../finc-json.js';
import type { AlignJson } from '../data.js';

type Listed = { index: number; score: number; label?: string }[];
type AnyMode = {
  rank: number;
  side: 'x' | 'y';
  eigenvalue: number;
  shareX?: number;
  shareY?: number;
  top: Listed;
  share?: number;
  purity?: number;
  entropy?: number;
  bottom?: Listed;
  kind?: 'cluster' | 'contrast' | 'diffuse';
  massTop?: number;
  massBottom?: number;
  countTop?: number;
  countBottom?: number;
  freqX?: number;
  freqY?: number;
  freqEnd?: 'top' | 'bottom';
  meanSquareX?: number;
  meanSquareY?: number;
  bottomPurity?: number;
  bottomEntropy?: number;
};

/** What each kind of mode means, for the cards. */
const KIND_TEXT = {
  cluster: 'one end holds the mode',
  contrast: 'the samples at one end against those at the other',
  diffuse: 'spread over many samples: neither end stands out',
} as const;

/** What the page exposes for scripts and tests (window.specReport). */
export interface ReportHandle {
  data: ReportData;
  /** The selected mode ("x1", …) or null. */
  selected: string | null;
  select(key: string | null): void;
}

function pngButton(target: () => Element, name: string, what: string) {
  return h('button', { class: 'png', type: 'button', 'aria-label': `download ${what} as PNG`, onclick: () => void chartPng(target(), name) }, 'PNG');
}

function chartBox(title: string, chart: Element, file: string): HTMLElement {
  return h(
    'div',
    { class: 'chart' },
    h(
      'div',
      { class: 'chart-head' },
      h('h4', {}, title),
      pngButton(() => chart, file, title),
    ),
    chart,
  );
}

function kernelText(k: { type: string; sigma?: number; rffDim?: number }, auto?: boolean): string {
  let t = k.type;
  if (k.sigma !== undefined) t += `, σ = ${formatNumber(k.sigma)}${auto ? ' (auto: median pairwise distance)' : ''}`;
  if (k.rffDim !== undefined) t += `, ${k.rffDim} random Fourier frequencies`;
  return t;
}

/** ← / → step through the modes of the report last rendered (one listener for the page). */
let stepper: ((dir: number) => void) | null = null;
let listening = false;

export function render(data: ReportData, root: HTMLElement): ReportHandle {
  root.replaceChildren();
  stepper = null;
  if (!listening) {
    listening = true;
    document.addEventListener('keydown', (e) => {
      const t = e.target as HTMLElement | null;
      if (!stepper || (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      stepper(e.key === 'ArrowRight' ? 1 : -1);
      e.preventDefault();
    });
  }
  document.title = data.title;
  const handle: ReportHandle = { data, selected: null, select: () => {} };
  const header = h(
    'header',
    {},
    h('h1', {}, data.title),
    data.local ? h('p', { class: 'local' }, 'Computed in this page: nothing left this machine.') : null,
    data.description ? h('p', {}, data.description) : null,
  );
  const main = h('main', {});
  root.append(header, main);
  const footer = h(
    'footer',
    {},
    `spec-embed ${data.version} · ${data.task === 'finc' ? 'FINC (Zhang, Jalali, Li & Farnia, CVPR 2025)' : 'SPEC (Jalali, Dibaei Nia & Farnia, ICML 2025)'}${data.generated ? ` · ${data.generated}` : ''}`,
  );
  root.append(footer);
  main.append(
    h(
      'div',
      { class: 'toolbar' },
      h(
        'button',
        {
          type: 'button',
          id: 'export-json',
          onclick: () => download(`spec-embed-${data.task}.json`, new Blob([`${JSON.stringify(data.json, null, 1)}\n`], { type: 'application/json' })),
        },
        'Export JSON',
      ),
    ),
  );
  if (data.task === 'align') renderAlign(data, data.json as AlignJson, header, main);
  else renderModes(data, header, main, handle);
  return handle;
}

/** A mode of align's JSON (its top samples carry labels, and the mode its label mix, when the CLI was given labels). */
type AlignMode = AlignJson['modesBefore'][number];
type AlignChange = { before: number; after: number; relative: number | null; warn: boolean };

/** "−80.8%", "+440%", "from 0": how a held-out quantity changed (the CLI's wording). */
function alignChangeText(c: AlignChange): string {
  if (c.relative === null) return 'from 0';
  const pct = 100 * c.relative,
    a = Math.abs(pct);
  if (pct === 0) return '0%';
  return `${pct < 0 ? '−' : '+'}${a < 100 ? a.toPrecision(3) : Math.round(a)}%`;
}

/** The change of one quantity, from the JSON's specDiffChange or (older objects) from before and after. */
function alignChange(j: AlignJson, key: 'xNotY' | 'yNotX' | 'norm'): AlignChange {
  const c = j.specDiffChange?.[key];
  if (c) return c;
  const b = j.specDiffBefore[key],
    a = j.specDiffAfter[key];
  return { before: b, after: a, relative: b !== 0 ? (a - b) / b : a === 0 ? 0 : null, warn: a > 1.1 * b };
}

function renderAlign(data: ReportData, j: AlignJson, header: HTMLElement, main: HTMLElement): void {
  const y = data.yName,
    x = data.xName;
  const objective =
    j.objective === 'norm'
      ? 'Objective: the spectral norm max(λmax, −λmin) of KX − K_ψ(Y), both directions.'
      : "Objective: x-not-y, λmax(KX − K_ψ(Y)) (the paper's): ψ(Y) is asked to hold the clusters X has, not to avoid clusters X lacks.";
  header.append(
    h(
      'p',
      { class: 'muted' },
      `ψ(y) = W·y maps ${y} so that its cosine kernel groups the samples as ${x}'s ${j.kernelX.type} kernel does. n = ${j.n}: ${j.nTrain} training, ${j.nHoldout} held-out samples; ${j.epochs} epochs run, best epoch ${j.bestEpoch}. ${objective}`,
    ),
  );
  main.append(alignWarningsBox(j));
  const row = (name: string, key: 'xNotY' | 'yNotX' | 'norm') => {
    const c = alignChange(j, key);
    return h(
      'tr',
      c.warn ? { class: 'warn', 'data-quantity': key, style: 'color:#9c4221' } : { 'data-quantity': key },
      h('th', {}, name),
      h('td', {}, formatNumber(c.before)),
      h('td', {}, formatNumber(c.after)),
      h('td', {}, `${alignChangeText(c)}${c.warn ? ' ⚠' : ''}`),
    );
  };
  main.append(
    h('h2', {}, 'SPEC-diff on the held-out split'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { id: 'spec-diff' },
        h('tr', {}, h('th', {}), h('th', {}, `before (${y})`), h('th', {}, `after (ψ(${y}))`), h('th', {}, 'change')),
        row('x-not-y (λmax)', 'xNotY'),
        row('y-not-x (−λmin)', 'yNotX'),
        row('norm', 'norm'),
      ),
    ),
    h(
      'p',
      { class: 'muted' },
      `x-not-y: clusters ${x} has that the other side lacks; y-not-x: clusters the other side has that ${x} lacks; norm: the larger of the two. ⚠: rose by more than ${Math.round(100 * (j.specDiffChange?.limit ?? 0.1))}%.`,
    ),
  );
  main.append(
    h('h2', {}, 'Loss'),
    h('p', { class: 'muted' }, 'Blue: training (mean over batches); orange: held-out; dashed: the kept epoch.'),
    chartBox('loss curves', lossChart(j.loss.train, j.loss.holdout, j.bestEpoch), 'loss.png'),
  );
  const scale = Math.max(1e-300, ...[...j.modesBefore, ...j.modesAfter].map((m) => Math.abs(m.eigenvalue)));
  const bars = (ms: AlignJson['modesBefore']): SpectrumBar[] =>
    ms.map((m) => ({ key: `${m.side}${m.rank}`, side: m.side, rank: m.rank, eigenvalue: m.eigenvalue }));
  main.append(
    h('h2', {}, 'Spectrum of Λ (held-out)'),
    h(
      'div',
      { class: 'maps' },
      chartBox('before', spectrumChart(bars(j.modesBefore), 'spectrum before alignment', undefined, scale), 'spectrum-before.png'),
      chartBox('after', spectrumChart(bars(j.modesAfter), 'spectrum after alignment', undefined, scale), 'spectrum-after.png'),
    ),
  );
  const removedSet = new Set(j.removedModes);
  const createdSet = new Set((j.createdModes ?? []).map((m) => `${m.side}${m.rank}`));
  const removed = j.modesBefore.filter((m) => m.side === 'x' && removedSet.has(m.rank));
  const created = j.modesAfter.filter((m) => createdSet.has(`${m.side}${m.rank}`));
  main.append(
    h('h2', {}, 'Removed modes'),
    h(
      'p',
      { class: 'muted' },
      `Side-x modes before alignment (clusters ${x} has and ${y} lacked) with no counterpart after it: the map made ψ(${y}) hold these clusters.`,
    ),
    removed.length
      ? alignCards(removed, 'removed', data)
      : h('p', { id: 'no-removed' }, 'None: every side-x mode before alignment still has a counterpart after it.'),
  );
  main.append(
    h('h2', {}, 'New modes'),
    h(
      'p',
      { class: 'muted' },
      `Modes after alignment with no counterpart before it. Side y: clusters ψ(${y}) has that ${x} does not — what a rise of y-not-x is made of; side x: clusters of ${x} that ψ(${y}) now misses.`,
    ),
    created.length ? alignCards(created, 'new', data) : h('p', { id: 'no-new' }, 'None: every mode after alignment has a counterpart before it.'),
  );
  for (const [when, ms] of [
    ['before', j.modesBefore],
    ['after', j.modesAfter],
  ] as const) {
    main.append(
      h('h2', {}, `All modes ${when} alignment (held-out)`),
      ms.length
        ? h(
            'details',
            { class: `align-modes-${when}` },
            h('summary', {}, `${ms.length} modes of ${x} vs ${when === 'before' ? y : `ψ(${y})`}`),
            alignCards(ms, when, data, when === 'before' ? removedSet : undefined, when === 'after' ? createdSet : undefined),
          )
        : h('p', {}, 'No modes: the two sides agree to numerical precision.'),
    );
  }
  main.append(
    h('h2', {}, 'Timings'),
    h(
      'p',
      { class: 'muted' },
      Object.entries(j.timings)
        .map(([k, v]) => `${k} ${formatSeconds(v)}`)
        .join(' · '),
    ),
  );
}

/** The warnings of align's JSON (a rise of more than 10% in either direction or the norm), or a line saying there were none. */
function alignWarningsBox(j: AlignJson): HTMLElement {
  const names = { xNotY: 'x-not-y (λmax)', yNotX: 'y-not-x (−λmin)', norm: 'norm (max |λ|)' } as const;
  const warnings =
    j.warnings ?? (['xNotY', 'yNotX', 'norm'] as const).filter((k) => alignChange(j, k).warn).map((k) => `held-out ${names[k]} rose by more than 10%`);
  if (!warnings.length) {
    return h(
      'div',
      { class: 'summary' },
      h(
        'div',
        { class: 'box', id: 'align-warnings', 'data-count': '0' },
        h('div', { class: 'muted' }, 'What the map did'),
        h('div', {}, 'Neither direction nor the norm rose by more than 10% on the held-out split.'),
      ),
    );
  }
  const hint =
    j.objective !== 'norm' && (alignChange(j, 'yNotX').warn || alignChange(j, 'norm').warn)
      ? h(
          'div',
          { class: 'muted' },
          'The objective x-not-y does not count clusters that ψ(Y) has and X lacks; objective norm (--objective norm) minimises both directions.',
        )
      : null;
  return h(
    'div',
    { class: 'summary' },
    h(
      'div',
      { class: 'box', id: 'align-warnings', role: 'alert', 'data-count': String(warnings.length) },
      h('div', { class: 'muted' }, 'Warning: the map made the embeddings differ more'),
      ...warnings.map((w) => h('div', { class: 'warning', style: 'color:#9c4221' }, `⚠ ${w}`)),
      hint,
    ),
  );
}

/** A grid of align mode cards; `removed`/`created` mark the modes of that kind (side-x ranks / "y1" keys). */
function alignCards(
  ms: readonly AlignMode[],
  when: 'before' | 'after' | 'removed' | 'new',
  data: ReportData,
  removed?: Set<number>,
  created?: Set<string>,
): HTMLElement {
  return h(
    'div',
    { class: 'cards' },
    ...ms.map((m) => {
      const k = `${m.side}${m.rank}`;
      const tag = when === 'removed' || (removed && m.side === 'x' && removed.has(m.rank)) ? 'removed' : when === 'new' || created?.has(k) ? 'new' : undefined;
      return alignModeCard(m, when === 'removed' ? 'before' : when === 'new' ? 'after' : when, tag, `align-${when}-${k}`, data);
    }),
  );
}

/** One mode of align's before/after comparison: eigenvalue, label mix, thumbnails and top samples (as text). */
function alignModeCard(m: AlignMode, when: 'before' | 'after', tag: 'removed' | 'new' | undefined, id: string, data: ReportData): HTMLElement {
  const k = `${m.side}${m.rank}`;
  const x = data.xName,
    y = when === 'before' ? data.yName : `ψ(${data.yName})`;
  const card = h('section', {
    class: `card side-${m.side}`,
    id,
    'data-mode': k,
    'data-when': when,
    ...(tag ? { 'data-tag': tag } : {}),
    'data-eigenvalue': String(m.eigenvalue),
    'aria-label': `mode ${k} ${when} alignment`,
  });
  card.append(h('h3', {}, h('span', { class: `badge bg-${m.side}` }, k), `Mode ${k} ${when} alignment${tag ? ` · ${tag}` : ''}`));
  card.append(
    h('p', { class: 'muted' }, m.side === 'x' ? `${x} groups these samples more tightly than ${y}.` : `${y} groups these samples more tightly than ${x}.`),
  );
  const facts = h('dl', { class: 'facts' }, h('dt', {}, 'eigenvalue'), h('dd', { class: 'eigenvalue' }, formatNumber(m.eigenvalue)));
  if (m.purity !== undefined && m.entropy !== undefined) {
    facts.append(
      h('dt', {}, 'label purity'),
      h('dd', { class: 'purity' }, percent(m.purity, 1, 0)),
      h('dt', {}, 'label entropy'),
      h('dd', { class: 'entropy' }, `${m.entropy.toFixed(3)} nats`),
    );
  }
  facts.append(h('dt', {}, 'top samples'), h('dd', {}, String(m.top.length)));
  card.append(facts);
  const labelled = m.top.some((t) => t.label !== undefined);
  if (labelled) {
    const rows = labelHistogram(m.top.map((t) => t.label ?? '?'));
    card.append(
      h('h4', {}, 'Labels of the top samples'),
      h(
        'div',
        { class: 'hist' },
        ...rows.map(([l, c]) => {
          const p = (100 * c) / (m.top.length || 1);
          return h(
            'div',
            { class: 'hrow' },
            h('span', { class: 'hl', title: l }, l),
            h('span', { class: 'hbar' }, h('span', { class: `hfill bg-${m.side}`, style: `width:${p.toFixed(1)}%` })),
            h('span', { class: 'hc' }, `${c} (${percent(c, m.top.length || 1, 0)})`),
          );
        }),
      ),
    );
  }
  const thumbs = m.top.map((t) => safeSrc(data.thumbs?.[`0:${t.index}`]));
  if (thumbs.some(Boolean)) {
    card.append(
      h('h4', {}, 'Top samples'),
      h(
        'div',
        { class: 'thumbs' },
        ...m.top.map((t, i) =>
          h(
            'figure',
            {},
            thumbs[i] ? h('img', { src: thumbs[i], alt: `sample ${t.index}`, width: 56, height: 56 }) : h('span', { class: 'muted' }, 'no image'),
            h('figcaption', { title: t.label ?? '' }, `#${t.index}${t.label !== undefined ? ` · ${t.label}` : ''}`),
          ),
        ),
      ),
    );
  }
  card.append(
    h(
      'details',
      thumbs.some(Boolean) ? {} : { open: true },
      h('summary', {}, 'Top samples table'),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'top' },
          h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'index'), h('th', {}, 'score'), labelled ? h('th', {}, 'label') : null)),
          h(
            'tbody',
            {},
            ...m.top.map((t, i) =>
              h(
                'tr',
                {},
                h('td', {}, String(i + 1)),
                h('td', { class: 'index' }, String(t.index)),
                h('td', {}, formatNumber(t.score)),
                labelled ? h('td', { class: 'label' }, t.label ?? '') : null,
              ),
            ),
          ),
        ),
      ),
    ),
  );
  return card;
}

function renderModes(data: ReportData, header: HTMLElement, main: HTMLElement, handle: ReportHandle): void {
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
  stepper = (dir) => {
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

function renderEvidence(detail: HTMLElement, m: AnyMode | null, data: ReportData): void {
  detail.replaceChildren();
  if (!m || !data.evidence) return;
  const ev = data.evidence[`${m.side}${m.rank}`];
  if (!ev) return;
  const color = m.side === 'x' ? COLOR.x : COLOR.y;
  const x = data.xName,
    y = data.yName;
  detail.append(
    chartBox(
      `similarities, mode ${m.side}${m.rank}: top samples vs all pairs`,
      boxChart(
        [
          { name: `top · ${x}`, box: ev.topX, color: COLOR.x },
          { name: `all pairs · ${x}`, box: ev.allX, color: '#718096' },
          { name: `top · ${y}`, box: ev.topY, color: COLOR.y },
          { name: `all pairs · ${y}`, box: ev.allY, color: '#718096' },
        ],
        `kernel similarities among the top samples of mode ${m.side}${m.rank} and among random pairs, under ${x} and ${y}`,
      ),
      `similarity-${m.side}${m.rank}.png`,
    ),
    chartBox(`neighbour ranks among ${ev.rankOf + 1} plotted samples`, rankChart(ev.rankX, ev.rankY, ev.rankOf, x, y, color), `ranks-${m.side}${m.rank}.png`),
  );
}

function modeCard(m: AnyMode, total: number, data: ReportData, select: (k: string) => void): HTMLElement {
  const finc = data.task === 'finc';
  const k = `${m.side}${m.rank}`;
  const x = data.xName,
    y = data.yName;
  const set = finc && m.side === 'y' ? 1 : 0;
  const card = h('section', {
    class: `card side-${m.side}`,
    id: `mode-${k}`,
    'data-mode': k,
    'data-eigenvalue': String(m.eigenvalue),
    'aria-label': `mode ${k}`,
  });
  card.append(
    h(
      'h3',
      {},
      h('span', { class: `badge bg-${m.side}` }, k),
      `Mode ${k}`,
      h('button', { type: 'button', class: 'png', onclick: () => select(k), 'aria-label': `show mode ${k} in the maps` }, 'show in maps'),
    ),
  );
  card.append(
    h(
      'p',
      { class: 'muted' },
      finc
        ? `A sample type over-represented in ${m.side === 'x' ? x : y}; top samples from ${m.side === 'x' ? x : y}.`
        : m.side === 'x'
          ? `${x} groups these samples more tightly than ${y}.`
          : `${y} groups these samples more tightly than ${x}.`,
    ),
  );
  const facts = h('dl', { class: 'facts' }, h('dt', {}, 'eigenvalue'), h('dd', { class: 'eigenvalue' }, formatNumber(m.eigenvalue)));
  if (m.kind) facts.append(h('dt', {}, 'kind'), h('dd', { class: 'kind', title: KIND_TEXT[m.kind] }, `${m.kind}: ${KIND_TEXT[m.kind]}`));
  if (m.massTop !== undefined && m.massBottom !== undefined) {
    facts.append(
      h('dt', {}, 'ends (samples past the cut, share of the mode)'),
      h('dd', { class: 'ends' }, `top ${m.countTop ?? 0}, ${percent(m.massTop, 1, 0)} · bottom ${m.countBottom ?? 0}, ${percent(m.massBottom, 1, 0)}`),
    );
  }
  if (finc) {
    if (m.freqX !== undefined && m.freqY !== undefined) {
      facts.append(
        h('dt', {}, `frequency in ${x}`),
        h('dd', { class: 'freq-x' }, percent(m.freqX)),
        h('dt', {}, `frequency in ${y}`),
        h('dd', { class: 'freq-y' }, percent(m.freqY)),
      );
    }
    facts.append(
      h('dt', {}, `mean squared score in ${x} (vᵀCXv)`),
      h('dd', {}, formatNumber(m.meanSquareX ?? m.shareX ?? 0)),
      h('dt', {}, `mean squared score in ${y} (vᵀCYv)`),
      h('dd', {}, formatNumber(m.meanSquareY ?? m.shareY ?? 0)),
    );
  } else if (m.share !== undefined) {
    const of = (data.json as CliJson).shareOf === 'spectrum' ? 'share of |spectrum|' : "share of the listed modes' Σ|λ|";
    facts.append(h('dt', {}, of), h('dd', { class: 'share' }, percent(m.share, 1, 1)));
  } else facts.append(h('dt', {}, "share of the listed modes' Σ|λ|"), h('dd', {}, total > 0 ? percent(Math.abs(m.eigenvalue), total, 1) : '0%'));
  if (m.purity !== undefined && m.entropy !== undefined) {
    facts.append(
      h('dt', {}, 'label purity'),
      h('dd', { class: 'purity' }, percent(m.purity, 1, 0)),
      h('dt', {}, 'label entropy'),
      h('dd', { class: 'entropy' }, `${m.entropy.toFixed(3)} nats`),
    );
  }
  if (m.bottomPurity !== undefined && m.bottomEntropy !== undefined) {
    facts.append(
      h('dt', {}, 'bottom label purity'),
      h('dd', { class: 'bottom-purity' }, percent(m.bottomPurity, 1, 0)),
      h('dt', {}, 'bottom label entropy'),
      h('dd', { class: 'bottom-entropy' }, `${m.bottomEntropy.toFixed(3)} nats`),
    );
  }
  facts.append(h('dt', {}, 'top samples'), h('dd', {}, String(m.top.length)));
  if (m.bottom) facts.append(h('dt', {}, 'bottom samples'), h('dd', {}, String(m.bottom.length)));
  card.append(facts);
  // Both ends, each with its label mix, thumbnails and table: the top end (largest scores), then the bottom end (most negative).
  const ends: { name: 'top' | 'bottom'; title: string; list: Listed }[] = [{ name: 'top', title: 'Top end (largest scores)', list: m.top }];
  if (m.bottom) ends.push({ name: 'bottom', title: 'Bottom end (most negative scores)', list: m.bottom });
  for (const end of ends) {
    const list = end.list;
    const group = h('div', { class: `end end-${end.name}`, 'data-end': end.name });
    if (m.bottom) group.append(h('h4', {}, end.title));
    const labelled = list.some((t) => t.label !== undefined);
    if (labelled) {
      const rows = labelHistogram(list.map((t) => t.label ?? '?'));
      group.append(
        h('h5', {}, `Labels of the ${end.name} samples`),
        h(
          'div',
          { class: 'hist' },
          ...rows.map(([l, c]) => {
            const p = (100 * c) / (list.length || 1);
            return h(
              'div',
              { class: 'hrow' },
              h('span', { class: 'hl', title: l }, l),
              h('span', { class: 'hbar' }, h('span', { class: `hfill bg-${m.side}`, style: `width:${p.toFixed(1)}%` })),
              h('span', { class: 'hc' }, `${c} (${percent(c, list.length || 1, 0)})`),
            );
          }),
        ),
      );
    }
    const thumbs = list.map((t) => safeSrc(data.thumbs?.[`${set}:${t.index}`]));
    if (thumbs.some(Boolean)) {
      group.append(
        h('h5', {}, `${end.name === 'top' ? 'Top' : 'Bottom'} samples`),
        h(
          'div',
          { class: 'thumbs' },
          ...list.map((t, i) =>
            h(
              'figure',
              {},
              thumbs[i] ? h('img', { src: thumbs[i], alt: `sample ${t.index}`, width: 56, height: 56 }) : h('span', { class: 'muted' }, 'no image'),
              h('figcaption', { title: t.label ?? '' }, `#${t.index}${t.label !== undefined ? ` · ${t.label}` : ''}`),
            ),
          ),
        ),
      );
    }
    // without thumbnails the table is the end's view: open for the top, and for the bottom of a contrast
    const open = !thumbs.some(Boolean) && (end.name === 'top' || m.kind === 'contrast');
    group.append(
      h(
        'details',
        open ? { open: true } : {},
        h('summary', {}, `${end.name === 'top' ? 'Top' : 'Bottom'} samples table`),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: end.name },
            h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'index'), h('th', {}, 'score'), labelled ? h('th', {}, 'label') : null)),
            h(
              'tbody',
              {},
              ...list.map((t, i) =>
                h(
                  'tr',
                  {},
                  h('td', {}, String(i + 1)),
                  h('td', { class: 'index' }, String(t.index)),
                  h('td', {}, formatNumber(t.score)),
                  labelled ? h('td', { class: 'label' }, t.label ?? '') : null,
                ),
              ),
            ),
          ),
        ),
      ),
    );
    card.append(group);
  }
  card.addEventListener('click', (e) => {
    if (!(e.target as Element).closest('button,summary,a')) select(k);
  });
  return card;
}

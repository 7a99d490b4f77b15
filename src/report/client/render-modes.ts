// The compare and finc pages: summary, spectrum, maps and the list of mode cards.
import { h } from './dom.js';
import { formatNumber, formatSeconds, rffErrorText } from '../format.js';
import { frequencyChart, markSpectrum, spectrumChart } from './charts.js';
import { renderMaps } from './render-maps.js';
import { possessive, withCount } from './text.js';
import type { ReportData } from '../data.js';
import type { CliJson } from '../json.js';
import type { FincCliJson } from '../finc-json.js';
import { type AnyMode, chartBox, kernelText, type ReportHandle } from './render-common.js';
import { keys as pageKeys } from './render-common.js';
import { modeCard, renderEvidence, SCORE_HELP } from './mode-card.js';
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
        ? `X = ${withCount(x, fj.nx)}, Y = ${withCount(y, fj.ny)}, one embedding. Modes are eigenvectors of CX − η·CY (η = ${j.eta}): side x (λ > 0) is a sample type over-represented in X, side y (λ < 0) one over-represented in Y.`
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
        `The fraction of ${possessive(x)} and of ${possessive(y)} samples in each mode: those past the cut at the mode's end where its side's set is the more over-represented.`,
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
  const detail = h('div', { class: 'detail', id: 'evidence' });
  const selInfo = h(
    'p',
    { class: 'muted', id: 'selection', 'aria-live': 'polite' },
    'Select a mode (spectrum bar, button, card, or ← →) to mark its top samples in the maps.',
  );
  const section = data.maps ? renderMaps(data, data.maps, main, chooser, selInfo) : null;
  if (!section) main.append(chooser, selInfo);
  if (data.evidence) {
    main.append(
      h('h3', { class: 'evidence-head' }, 'Evidence of the selected mode'),
      h('p', { class: 'muted' }, 'Computed in the embeddings themselves (not in the maps), over the plotted samples.'),
    );
  }
  main.append(detail);

  // Cards.
  main.append(h('p', { class: 'muted', id: 'score-help' }, finc ? SCORE_HELP.finc : SCORE_HELP.compare));
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

  const keys = modes.map(key);
  handle.select = (k) => {
    const m = modes.find((q) => key(q) === k) ?? null;
    handle.selected = m ? key(m) : null;
    markSpectrum(spectrum, handle.selected);
    chooser.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.getAttribute('data-mode') === (handle.selected ?? ''))));
    cards.forEach((c, ck) => c.classList.toggle('selected', ck === handle.selected));
    section?.update(m);
    root().setAttribute('data-selected', handle.selected ?? '');
    selInfo.textContent = m ? selectionText(m, data) : 'No mode selected.';
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

/** What the selection line says about mode m: which samples are marked and where its evidence is. */
function selectionText(m: AnyMode, data: ReportData): string {
  const k = `${m.side}${m.rank}`;
  const finc = data.task === 'finc';
  const from = finc ? ` (from ${m.side === 'x' ? data.xName : data.yName})` : '';
  const density = data.density?.[k]?.view === 'density';
  const marks = data.maps
    ? density
      ? ' A difference of density: its spread under each embedding is plotted in place of the maps.'
      : ` Its ${m.top.length} top samples${from} are drawn larger and outlined${m.bottom?.length ? `, its ${m.bottom.length} bottom samples with a dashed outline,` : ''} in both maps.`
    : '';
  return `Mode ${k} (λ = ${formatNumber(m.eigenvalue)}${m.kind ? `, ${m.kind}` : ''}).${marks}`;
}

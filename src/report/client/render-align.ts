// The align page: warnings, the held-out SPEC-diff before and after, the loss curves, and mode cards before and after.
import { h, safeSrc } from './dom.js';
import { formatNumber, formatSeconds, labelHistogram, percent } from '../format.js';
import { lossChart, spectrumChart, type SpectrumBar } from './charts.js';
import type { ReportData } from '../data.js';
import type { AlignJson } from '../data.js';
import { chartBox } from './render-common.js';
import { possessive } from './text.js';

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

export function renderAlign(data: ReportData, j: AlignJson, header: HTMLElement, main: HTMLElement): void {
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
      `ψ(y) = W·y maps ${y} so that its cosine kernel groups the samples as ${possessive(x)} ${j.kernelX.type} kernel does. n = ${j.n}: ${j.nTrain} training, ${j.nHoldout} held-out samples; ${j.epochs} epochs run, best epoch ${j.bestEpoch}. ${objective}`,
    ),
  );
  main.append(alignWarningsBox(j, !!data.local));
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
    h('p', { class: 'muted' }, 'Blue: training loss (mean over batches); orange: held-out loss; dashed: the kept epoch.'),
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
      chartBox('before', spectrumChart(bars(j.modesBefore), 'spectrum before alignment', undefined, scale, 440), 'spectrum-before.png'),
      chartBox('after', spectrumChart(bars(j.modesAfter), 'spectrum after alignment', undefined, scale, 440), 'spectrum-after.png'),
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
function alignWarningsBox(j: AlignJson, app: boolean): HTMLElement {
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
          // The app's page has no command line: it names its own field.
          `The objective x-not-y does not count clusters that ψ(Y) has and X lacks; objective norm (${app ? 'the “objective” field' : '--objective norm'}) minimises both directions.`,
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

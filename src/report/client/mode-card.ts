// One mode's card (both ends, label mixes, thumbnails, evidence) and its evidence panel.
import { h, safeSrc } from './dom.js';
import { formatNumber, labelHistogram, percent } from '../format.js';
import { fiveNumbers } from '../evidence.js';
import { ratioText } from './text.js';
import { boxChart, COLOR, rankChart } from './charts.js';
import type { ReportData } from '../data.js';
import type { CliJson } from '../json.js';
import { type AnyMode, type Listed, KIND_TEXT, chartBox } from './render-common.js';

export function renderEvidence(detail: HTMLElement, m: AnyMode | null, data: ReportData): void {
  detail.replaceChildren();
  if (!m || !data.evidence) return;
  const k = `${m.side}${m.rank}`;
  const ev = data.evidence[k];
  if (!ev) return;
  const color = m.side === 'x' ? COLOR.x : COLOR.y;
  const x = data.xName,
    y = data.yName;
  const med = (v: number[]) => fiveNumbers(v)[2];
  const spread = data.density?.[k];
  const facts = h(
    'dl',
    { class: 'facts evidence-facts' },
    h('dt', {}, 'median similarity among the top samples'),
    h('dd', {}, `${x} ${ratioText(ev.topX[2])} · ${y} ${ratioText(ev.topY[2])}`),
    h('dt', {}, 'median similarity of random pairs'),
    h('dd', {}, `${x} ${ratioText(ev.allX[2])} · ${y} ${ratioText(ev.allY[2])}`),
    spread ? h('dt', {}, `spread of the top samples (${spread.k}-NN radius ÷ a typical sample's)`) : null,
    spread ? h('dd', { class: 'spread' }, `${x} ${ratioText(med(spread.x))}× · ${y} ${ratioText(med(spread.y))}×`) : null,
    ev.rankX.length ? h('dt', {}, `median neighbour rank between top samples (of ${ev.rankOf})`) : null,
    ev.rankX.length ? h('dd', {}, `${x} ${Math.round(med(ev.rankX))} · ${y} ${Math.round(med(ev.rankY))}`) : null,
  );
  detail.append(
    h(
      'div',
      { class: 'evidence-col' },
      chartBox(
        `similarities, mode ${k}: top samples vs all pairs`,
        boxChart(
          [
            { name: `top · ${x}`, box: ev.topX, color: COLOR.x },
            { name: `all pairs · ${x}`, box: ev.allX, color: '#718096' },
            { name: `top · ${y}`, box: ev.topY, color: COLOR.y },
            { name: `all pairs · ${y}`, box: ev.allY, color: '#718096' },
          ],
          `kernel similarities among the top samples of mode ${k} and among random pairs, under ${x} and ${y}`,
        ),
        `similarity-${k}.png`,
      ),
      h(
        'p',
        { class: 'guide' },
        `How to read it: each box spans the middle half of the similarities, its whiskers their range, the thick line their median. Mode ${k} says ${m.side === 'x' ? x : y} clusters its top samples more than ${m.side === 'x' ? y : x} does: their box should stand further right of the random pairs' under ${m.side === 'x' ? x : y}.`,
      ),
      facts,
    ),
    h(
      'div',
      { class: 'evidence-col' },
      chartBox(`neighbour ranks among ${ev.rankOf + 1} plotted samples`, rankChart(ev.rankX, ev.rankY, ev.rankOf, x, y, color), `ranks-${k}.png`),
      h(
        'p',
        { class: 'guide', id: 'rank-guide' },
        `How to read it: one dot per pair of top samples (i, j), at j's rank among i's nearest neighbours under ${x} (across) and under ${y} (up); 1 = nearest. Above the dashed diagonal, ${x} keeps the pair closer; below it, ${y} does.`,
      ),
    ),
  );
}

/** What a top sample's score is (shown above the cards and as the column's tooltip). */
export const SCORE_HELP = {
  compare:
    "score: the sample's entry in the mode's eigenvector u of Λ (‖u‖ = 1, sign fixed so Σu ≥ 0). The larger it is, the more the sample makes up the mode; the bottom end's negative scores make up its other end.",
  finc: "score: φ(s)ᵀv, the sample's feature vector projected on the mode's eigenvector v (sign fixed so the side's set sums to ≥ 0). The larger it is, the more the sample is of the mode's type.",
} as const;

export function modeCard(m: AnyMode, total: number, data: ReportData, select: (k: string) => void): HTMLElement {
  const finc = data.task === 'finc';
  const k = `${m.side}${m.rank}`;
  const x = data.xName,
    y = data.yName;
  const set = finc && m.side === 'y' ? 1 : 0;
  const card = h('section', {
    // a weak mode (held-out p > 0.05 or stability < 0.5) is greyed
    class: `card side-${m.side}${m.significance?.weak ? ' weak' : ''}`,
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
  significanceFacts(facts, m);
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
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, '#'),
                h('th', {}, 'index'),
                h('th', { title: finc ? SCORE_HELP.finc : SCORE_HELP.compare }, 'score'),
                labelled ? h('th', {}, 'label') : null,
              ),
            ),
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

/** The held-out replication, bootstrap stability and weak reasons of a mode, when computed. */
function significanceFacts(facts: HTMLElement, m: AnyMode): void {
  const s = m.significance;
  if (!s) return;
  const p = (v: number) => (v < 0.001 ? '< 0.001' : v.toFixed(3));
  if (s.heldOut)
    facts.append(
      h('dt', {}, `held-out eigenvalue (${s.heldOut.splits} halvings)`),
      h(
        'dd',
        { class: 'held-out' },
        `${formatNumber(s.heldOut.mean)} [${formatNumber(s.heldOut.lo)}, ${formatNumber(s.heldOut.hi)}], p ${p(s.heldOut.pValue)}`,
      ),
    );
  if (s.stability)
    facts.append(
      h('dt', {}, `stability (${s.stability.bootstrap} bootstrap resamples)`),
      h(
        'dd',
        { class: 'stability' },
        `${s.stability.value.toFixed(2)}; eigenvalue [${formatNumber(s.stability.eigenvalueLo)}, ${formatNumber(s.stability.eigenvalueHi)}]`,
      ),
    );
  if (s.weak) facts.append(h('dt', {}, 'weak'), h('dd', { class: 'weak-reasons' }, s.weakReasons.join(' ')));
}

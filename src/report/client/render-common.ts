// What the report's page parts share: the mode shape the cards read, chart boxes with their PNG button, kernel text.
import { chartPng, h } from './dom.js';
import { formatNumber } from '../format.js';
import type { ReportData } from '../data.js';
import type { ModeSignificance } from '../../types/significance.js';

export type Listed = { index: number; score: number; label?: string }[];
export type AnyMode = {
  rank: number;
  /** Held-out replication, bootstrap stability and the weak flag (--splits, --bootstrap). */
  significance?: ModeSignificance;
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
export const KIND_TEXT = {
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

export function pngButton(target: () => Element, name: string, what: string) {
  return h('button', { class: 'png', type: 'button', 'aria-label': `download ${what} as PNG`, onclick: () => void chartPng(target(), name) }, 'PNG');
}

export function chartBox(title: string, chart: Element, file: string): HTMLElement {
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

export function kernelText(k: { type: string; sigma?: number; rffDim?: number }, auto?: boolean): string {
  let t = k.type;
  if (k.sigma !== undefined) t += `, σ = ${formatNumber(k.sigma)}${auto ? ' (auto: median pairwise distance)' : ''}`;
  if (k.rffDim !== undefined) t += `, ${k.rffDim} random Fourier frequencies`;
  return t;
}

/** ← / → step through the modes of the report last rendered (one listener for the page). */
export const keys: { stepper: ((dir: number) => void) | null; listening: boolean } = { stepper: null, listening: false };

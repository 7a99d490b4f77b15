// Human-readable output of a compare result (stdout when --json is not given).
import type { KernelInfo, Mode, SpecResult } from '../types/index.js';
import { escapeUnsafe } from '../io/quote.js';
import { formatNumber, formatSeconds, labelHistogram, percent, shares } from '../report/format.js';

/**
 * Text from input files (labels) or the command line (file names) made safe for a terminal:
 * an ESC sequence could recolour or clear the screen and a CR could overwrite a line, so
 * control and bidi characters are shown as \xNN / \uNNNN escapes instead.
 */
export const terminalSafe = escapeUnsafe;

/** "1 (85%), 7 (10%)": the most frequent labels among the top samples. */
export function labelSummary(mode: Mode, labels: readonly string[], max = 3): string {
  const h = labelHistogram(mode.top.map((t) => labels[t.index] ?? '?'));
  const total = mode.top.length || 1;
  const shown = h.slice(0, max).map(([l, c]) => `${terminalSafe(l)} (${percent(c, total, 0)})`);
  if (h.length > max) shown.push('…');
  return shown.join(', ');
}

function topIndices(mode: Mode, max = 6): string {
  const shown = mode.top.slice(0, max).map((t) => String(t.index));
  if (mode.top.length > max) shown.push('…');
  return shown.join(', ');
}

export function kernelText(k: KernelInfo, sigmaAuto?: boolean): string {
  let s = k.type;
  if (k.sigma !== undefined) s += ` σ = ${formatNumber(k.sigma)}${sigmaAuto ? ' (auto: median pairwise distance)' : ''}`;
  if (k.rffDim !== undefined) s += `, ${k.rffDim} random Fourier frequencies`;
  return s;
}

export interface HumanContext {
  xName: string;
  yName: string;
  labels?: readonly string[];
  sigmaAutoX?: boolean;
  sigmaAutoY?: boolean;
}

function table(rows: string[][], rightAlign: boolean[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : rightAlign[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd())
    .join('\n');
}

/** "mode x1: 0.0120 — top samples mostly 1 (85%), 7 (10%)", one line per mode. */
export function modeSummaryLines(result: SpecResult, labels: readonly string[]): string[] {
  return result.modes.map((m) => `mode ${m.side}${m.rank}: ${formatNumber(m.eigenvalue)} — top samples mostly ${labelSummary(m, labels)}`);
}

export function formatHuman(result: SpecResult, ctx: HumanContext): string {
  const out: string[] = [];
  out.push(`SPEC modes of X = ${terminalSafe(ctx.xName)} vs Y = ${terminalSafe(ctx.yName)}, n = ${result.n}`);
  out.push('');
  const modeShares = shares(result.modes.map((m) => m.eigenvalue));
  if (result.modes.length === 0) {
    out.push('No modes: the two kernel matrices agree to numerical precision.');
  } else {
    const rows: string[][] = [['side', 'rank', 'eigenvalue', 'share', ctx.labels ? 'top samples (labels)' : 'top samples (indices)']];
    result.modes.forEach((m, i) => {
      rows.push([m.side, String(m.rank), formatNumber(m.eigenvalue), percent(modeShares[i]), ctx.labels ? labelSummary(m, ctx.labels) : topIndices(m)]);
    });
    out.push(table(rows, [false, true, true, true, false]));
    out.push('');
    out.push('side x: groups X clusters more tightly than Y (λ > 0); side y: the reverse (λ < 0).');
    out.push('share: |λ| over the sum of |λ| of the modes listed.');
  }
  out.push('');
  const d = result.specDiff;
  out.push(`SPEC-diff   x-not-y ${formatNumber(d.xNotY)}   y-not-x ${formatNumber(d.yNotX)}   norm ${formatNumber(d.norm)}`);
  out.push(`kernel X    ${kernelText(result.kernelX, ctx.sigmaAutoX)}`);
  out.push(`kernel Y    ${kernelText(result.kernelY, ctx.sigmaAutoY)}`);
  out.push(`η           ${result.eta}`);
  out.push(`method      ${result.method}${result.methodReason ? ` — ${result.methodReason}` : ''}`);
  if (result.noiseDropped > 0) out.push(`noise       ${result.noiseDropped} eigenvalue${result.noiseDropped === 1 ? '' : 's'} within round-off not listed as modes`);
  const t = Object.entries(result.timings);
  if (t.length) out.push(`timings     ${t.map(([k, v]) => `${k} ${formatSeconds(v)}`).join(' · ')}`);
  return out.join('\n') + '\n';
}

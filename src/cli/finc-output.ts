// FINC's human table on the CLI (the --json object is report/finc-json.ts).
import type { FincMode, FincResult } from '../types/finc.js';
import { formatNumber, formatSeconds, rffErrorText } from '../report/format.js';
import { agreementLines, kernelText, labelSummary, terminalSafe } from './format.js';
import type { FincCliJson, FincLabels } from '../report/finc-json.js';

const sideLabels = (m: FincMode, labels: FincLabels) => (m.side === 'x' ? labels.x : labels.y);

function table(rows: string[][], right: boolean[]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : right[c] ? cell.padStart(w[c]) : cell.padEnd(w[c]))).join('  ').trimEnd()).join('\n');
}

function topText(m: FincMode, labels: FincLabels, max = 6): string {
  const l = sideLabels(m, labels);
  if (l) return labelSummary(m, l);
  const shown = m.top.slice(0, max).map((t) => String(t.index));
  if (m.top.length > max) shown.push('…');
  return shown.join(', ');
}

export function formatFincHuman(result: FincResult, ctx: { xName: string; yName: string; labels: FincLabels; sigmaAuto?: boolean; json?: FincCliJson }): string {
  const out: string[] = [];
  out.push(`FINC modes of X = ${terminalSafe(ctx.xName)} (nx = ${result.nx}) vs Y = ${terminalSafe(ctx.yName)} (ny = ${result.ny})`);
  out.push('');
  if (result.modes.length === 0) {
    out.push('No modes: CX − η·CY is zero to numerical precision (no sample type is over-represented in either set).');
  } else {
    const anyLabels = ctx.labels.x || ctx.labels.y;
    const rows: string[][] = [['side', 'rank', 'eigenvalue', 'shareX', 'shareY', anyLabels ? 'top samples (labels)' : 'top samples (indices into the side\'s set)']];
    for (const m of result.modes) rows.push([m.side, String(m.rank), formatNumber(m.eigenvalue), formatNumber(m.shareX), formatNumber(m.shareY), topText(m, ctx.labels)]);
    out.push(table(rows, [false, true, true, true, true, false]));
    out.push('');
    out.push('side x: sample types over-represented in X (λ > 0), top samples from X; side y: over-represented in Y (λ < 0), top samples from Y.');
    out.push('shareX, shareY: vᵀCX v and vᵀCY v, the mode\'s mean squared score over X and over Y.');
  }
  if (ctx.json) out.push(...agreementLines(ctx.json.agreement, ctx.json.modes, { x: "X's samples", y: "Y's samples" }));
  if (result.noiseDropped > 0) out.push(`${result.noiseDropped} eigenvalue${result.noiseDropped === 1 ? '' : 's'} within rounding error of 0 not reported.`);
  out.push('');
  const d = result.specDiff;
  out.push(`SPEC-diff   x-not-y ${formatNumber(d.xNotY)}   y-not-x ${formatNumber(d.yNotX)}   norm ${formatNumber(d.norm)}`);
  if (result.rffError) out.push(`RFF error   ${rffErrorText(result.rffError)}`);
  out.push(`kernel      ${kernelText(result.kernel, ctx.sigmaAuto)}`);
  out.push(`η           ${result.eta}`);
  out.push(`method      ${result.method}${result.methodReason ? ` — ${result.methodReason}` : ''}`);
  const t = Object.entries(result.timings);
  if (t.length) out.push(`timings     ${t.map(([k, v]) => `${k} ${formatSeconds(v)}`).join(' · ')}`);
  return out.join('\n') + '\n';
}

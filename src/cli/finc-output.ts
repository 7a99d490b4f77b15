// FINC's human table on the CLI (the --json object is report/finc-json.ts).
import { withSignificanceColumns } from './significance.js';
import type { FincMode, FincResult } from '../types/finc.js';
import { formatNumber, formatSeconds, percent, rffErrorText } from '../report/format.js';
import { agreementLines, endsText, kernelText, KIND_LINE, terminalSafe } from './format.js';
import type { FincCliJson, FincLabels } from '../report/finc-json.js';
import { fincMetricLines, metricText, pValueText } from '../report/metrics-text.js';

const sideLabels = (m: FincMode, labels: FincLabels) => (m.side === 'x' ? labels.x : labels.y);

function table(rows: string[][], right: boolean[]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : right[c] ? cell.padStart(w[c]) : cell.padEnd(w[c])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The samples of the mode's end that the frequencies count (both ends of a contrast), from the side's set. */
function samplesText(m: FincMode, labels: FincLabels): string {
  return endsText(m, sideLabels(m, labels), m.kind === 'contrast' || !m.freqEnd ? undefined : m.freqEnd);
}

/** A frequency as a percentage ("10%", "2.0%"); '' when the result has none. */
const freqText = (f: number | undefined) => (f === undefined ? '' : percent(f));

export function formatFincHuman(
  result: FincResult,
  ctx: { xName: string; yName: string; labels: FincLabels; sigmaAuto?: boolean; json?: FincCliJson },
): string {
  const out: string[] = [];
  out.push(`FINC modes of X = ${terminalSafe(ctx.xName)} (nx = ${result.nx}) vs Y = ${terminalSafe(ctx.yName)} (ny = ${result.ny})`);
  out.push('');
  if (result.modes.length === 0) {
    out.push('No modes: CX − η·CY is zero to numerical precision (no sample type is over-represented in either set).');
  } else {
    const anyLabels = ctx.labels.x || ctx.labels.y;
    const rows: string[][] = [
      ['side', 'rank', 'eigenvalue', 'freqX', 'freqY', 'kind', anyLabels ? 'samples (labels)' : "samples (indices into the side's set)"],
    ];
    for (const m of result.modes)
      rows.push([m.side, String(m.rank), formatNumber(m.eigenvalue), freqText(m.freqX), freqText(m.freqY), m.kind ?? '', samplesText(m, ctx.labels)]);
    const t = withSignificanceColumns(rows, [false, true, true, true, true, false, false], result.modes);
    out.push(table(t.rows, t.right));
    out.push('');
    out.push(...t.legend);
    out.push('side x: sample types over-represented in X (λ > 0), samples from X; side y: over-represented in Y (λ < 0), samples from Y.');
    out.push("freqX, freqY: the fraction of X's and of Y's samples in the mode (past the cut at its end where its side's set is the more over-represented).");
    out.push(KIND_LINE);
    const tested = result.modes.filter((m) => m.significance?.permutation);
    if (tested.length) {
      out.push('permutation p per mode (its eigenvalue against the same-rank eigenvalue of random re-splits of the pooled samples; > 0.05: weak):');
      for (const m of tested) out.push(`  ${m.side}${m.rank}  ${pValueText(m.significance!.permutation!)}${m.significance!.weak ? '  weak' : ''}`);
    }
  }
  if (ctx.json) out.push(...agreementLines(ctx.json.agreement, ctx.json.modes, { x: "X's samples", y: "Y's samples" }));
  if (result.noiseDropped > 0) out.push(`${result.noiseDropped} eigenvalue${result.noiseDropped === 1 ? '' : 's'} within rounding error of 0 not reported.`);
  out.push('');
  const d = result.specDiff;
  out.push(`SPEC-diff   x-not-y ${formatNumber(d.xNotY)}   y-not-x ${formatNumber(d.yNotX)}   norm ${formatNumber(d.norm)}`);
  // the RFF error qualifies SPEC-diff: it stays on the line under it
  if (result.rffError) out.push(`RFF error   ${rffErrorText(result.rffError)}`);
  if (result.metrics) out.push(...metricText(fincMetricLines(result.metrics)));
  out.push(`kernel      ${kernelText(result.kernel, ctx.sigmaAuto)}`);
  out.push(`η           ${result.eta}`);
  out.push(`method      ${result.method}${result.methodReason ? ` — ${result.methodReason}` : ''}`);
  // which covariance-route solver ran, and the cost model's reason (absent on the exact route)
  if (result.solver) out.push(`solver      ${result.solver}${result.solverReason ? ` — ${result.solverReason}` : ''}`);
  const t = Object.entries(result.timings);
  if (t.length) out.push(`timings     ${t.map(([k, v]) => `${k} ${formatSeconds(v)}`).join(' · ')}`);
  return out.join('\n') + '\n';
}

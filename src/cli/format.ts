// Human-readable output of a compare result (stdout when --json is not given).
import { withSignificanceColumns } from './significance.js';
import type { KernelInfo, Mode, ModeEnds, SpecResult, TopSample } from '../types/index.js';
import { escapeUnsafe } from '../io/quote.js';
import { formatNumber, formatSeconds, labelHistogram, percent, rffErrorText, shares } from '../report/format.js';
import type { AgreementJson, CliJson, CliModeJson } from '../report/json.js';
import { compareMetricLines, metricText } from '../report/metrics-text.js';

/**
 * Text from input files (labels) or the command line (file names) made safe for a terminal:
 * an ESC sequence could recolour or clear the screen and a CR could overwrite a line, so
 * control and bidi characters are shown as \xNN / \uNNNN escapes instead.
 */
export const terminalSafe = escapeUnsafe;

/** "1 (85%), 7 (10%)": the most frequent labels among the listed samples. */
function mixText(list: readonly TopSample[], labels: readonly string[], max = 3): string {
  const h = labelHistogram(list.map((t) => labels[t.index] ?? '?'));
  const total = list.length || 1;
  const shown = h.slice(0, max).map(([l, c]) => `${terminalSafe(l)} (${percent(c, total, 0)})`);
  if (h.length > max) shown.push('…');
  return shown.join(', ');
}

/** "1 (85%), 7 (10%)": the most frequent labels among the top samples. */
export function labelSummary(mode: Pick<Mode, 'top'>, labels: readonly string[], max = 3): string {
  return mixText(mode.top, labels, max);
}

function indicesText(list: readonly TopSample[], max = 6): string {
  const shown = list.slice(0, max).map((t) => String(t.index));
  if (list.length > max) shown.push('…');
  return shown.join(', ');
}

/**
 * What the table shows of a mode's samples (labels, or indices): both ends of a contrast
 * ("g1 (100%) vs g0 (100%)": top vs bottom), the end that holds a cluster (the bottom one
 * marked), the top samples of a diffuse mode or of a mode without ends (align's).
 */
export function endsText(
  mode: Pick<Mode, 'top'> & Partial<Pick<ModeEnds, 'bottom' | 'kind' | 'massTop' | 'massBottom'>>,
  labels?: readonly string[],
  end?: 'top' | 'bottom',
): string {
  const text = (list: readonly TopSample[]) => (labels ? mixText(list, labels) : indicesText(list));
  const bottom = mode.bottom;
  if (!bottom || !mode.kind) return text(mode.top);
  if (mode.kind === 'contrast') return `${text(mode.top)} vs ${text(bottom)}`;
  const atBottom = end ? end === 'bottom' : mode.kind === 'cluster' && (mode.massBottom ?? 0) > (mode.massTop ?? 0);
  return atBottom ? `${text(bottom)} (bottom end)` : text(mode.top);
}

/** The line under a table with a kind column. */
export const KIND_LINE =
  'kind: cluster — one end holds the mode (its samples shown); contrast — both ends do (top vs bottom); diffuse — neither end stands out (top samples shown).';

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
  /** The run's --json object: its shares, label mixes and agreement are what the table prints. */
  json?: CliJson;
}

/**
 * The footer of a labelled run: each side's NMI/AMI against the labels and each mode's
 * purity and entropy, the figures --json holds under `agreement` and per mode.
 */
export function agreementLines(
  agreement: AgreementJson | undefined,
  modes: readonly Pick<CliModeJson, 'side' | 'rank' | 'purity' | 'entropy'>[],
  sideSet?: { x: string; y: string },
): string[] {
  const out: string[] = [];
  const mixes = modes.filter((m) => m.purity !== undefined);
  if (!agreement && !mixes.length) return out;
  out.push('');
  if (agreement) {
    out.push("labels      NMI and AMI (arithmetic, as scikit-learn) of each side's mode assignment against the labels:");
    out.push(
      `            a sample goes to the side's mode it scores highest on, to none below that mode's top cut (${agreement.cut} of the way from its baseline to its peak)`,
    );
    for (const side of ['x', 'y'] as const) {
      const a = agreement[side];
      if (!a) continue;
      const counts = [...a.assigned.map((c) => `${c.mode} ${c.count}`), `none ${a.unassigned}`].join(', ');
      out.push(
        `  side ${side}${sideSet ? ` (${sideSet[side]})` : ''}: NMI ${formatNumber(a.nmi)}   AMI ${formatNumber(a.ami)}   (samples per mode: ${counts})`,
      );
    }
  }
  if (mixes.length) {
    out.push(
      `top-sample labels per mode, purity / entropy (nats): ${mixes.map((m) => `${m.side}${m.rank} ${percent(m.purity!, 1, 0)} / ${m.entropy!.toFixed(2)}`).join(', ')}`,
    );
  }
  return out;
}

function table(rows: string[][], rightAlign: boolean[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : rightAlign[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** "mode x1: 0.0120 — top samples mostly 1 (85%), 7 (10%)", one line per mode (a contrast: "… vs bottom samples mostly …"). */
export function modeSummaryLines(result: SpecResult, labels: readonly string[]): string[] {
  return result.modes.map(
    (m) =>
      `mode ${m.side}${m.rank}: ${formatNumber(m.eigenvalue)} — top samples mostly ${labelSummary(m, labels)}` +
      (m.kind === 'contrast' && m.bottom ? ` vs bottom samples mostly ${mixText(m.bottom, labels)}` : ''),
  );
}

export function formatHuman(result: SpecResult, ctx: HumanContext): string {
  const out: string[] = [];
  out.push(`SPEC modes of X = ${terminalSafe(ctx.xName)} vs Y = ${terminalSafe(ctx.yName)}, n = ${result.n}`);
  out.push('');
  const modeShares = ctx.json?.modes.every((m) => m.share !== undefined) ? ctx.json.modes.map((m) => m.share!) : shares(result.modes.map((m) => m.eigenvalue));
  if (result.modes.length === 0) {
    out.push('No modes: the two kernel matrices agree to numerical precision.');
  } else {
    const rows: string[][] = [['side', 'rank', 'eigenvalue', 'share', 'kind', ctx.labels ? 'samples (labels)' : 'samples (indices)']];
    result.modes.forEach((m, i) => {
      rows.push([m.side, String(m.rank), formatNumber(m.eigenvalue), percent(modeShares[i]), m.kind ?? '', endsText(m, ctx.labels)]);
    });
    const t = withSignificanceColumns(rows, [false, true, true, true, false, false], result.modes);
    out.push(table(t.rows, t.right));
    out.push('');
    out.push(...t.legend);
    out.push('side x: groups X clusters more tightly than Y (λ > 0); side y: the reverse (λ < 0).');
    out.push(KIND_LINE);
    out.push(
      ctx.json?.shareOf === 'spectrum'
        ? 'share: |λ| over the sum of |λ| of the whole spectrum (every eigenvalue above round-off is listed).'
        : 'share: |λ| over the sum of |λ| of the modes listed.',
    );
  }
  if (ctx.json) out.push(...agreementLines(ctx.json.agreement, ctx.json.modes));
  out.push('');
  const d = result.specDiff;
  out.push(`SPEC-diff   x-not-y ${formatNumber(d.xNotY)}   y-not-x ${formatNumber(d.yNotX)}   norm ${formatNumber(d.norm)}`);
  // the RFF error qualifies SPEC-diff: it stays on the line under it
  if (result.rffError) out.push(`RFF error   ${rffErrorText(result.rffError)}`);
  if (result.metrics) out.push(...metricText(compareMetricLines(result.metrics)));
  out.push(`kernel X    ${kernelText(result.kernelX, ctx.sigmaAutoX)}`);
  out.push(`kernel Y    ${kernelText(result.kernelY, ctx.sigmaAutoY)}`);
  out.push(`η           ${result.eta}`);
  out.push(`method      ${result.method}${result.methodReason ? ` — ${result.methodReason}` : ''}`);
  // which covariance-route solver ran, and the cost model's reason (absent on the exact route)
  if (result.solver) out.push(`solver      ${result.solver}${result.solverReason ? ` — ${result.solverReason}` : ''}`);
  if (result.noiseDropped > 0)
    out.push(`noise       ${result.noiseDropped} eigenvalue${result.noiseDropped === 1 ? '' : 's'} within round-off not listed as modes`);
  const t = Object.entries(result.timings);
  if (t.length) out.push(`timings     ${t.map(([k, v]) => `${k} ${formatSeconds(v)}`).join(' · ')}`);
  return out.join('\n') + '\n';
}

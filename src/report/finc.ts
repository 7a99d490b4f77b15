// A minimal self-contained HTML page for a FINC result: SPEC-diff, and per mode
// its eigenvalue, shares in X and Y, and the top samples of the side's set.
// No scripts, no external assets; every label is escaped.
import { VERSION } from '../version.js';
import type { FincMode, FincResult } from '../finc-types.js';

export interface FincReportOptions {
  title?: string;
  /** Names of the two sets (file names in the CLI). */
  xName?: string;
  yName?: string;
  /** One label per row of X / of Y. */
  labelsX?: readonly string[];
  labelsY?: readonly string[];
  /** Whether σ was chosen automatically. */
  sigmaAuto?: boolean;
}

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function num(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? x.toFixed(4) : x.toExponential(2);
}

const CSS = `body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#1a202c;background:#f7f8fa}
header,main,footer{padding:12px 32px}h1{font-size:22px;margin:8px 0}.muted{color:#5a6475}
.card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:12px 14px;margin:10px 0}
.side-x{border-top:4px solid #2b6cb0}.side-y{border-top:4px solid #c05621}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}td,th{padding:2px 10px;text-align:right;border-bottom:1px solid #dde1e7}
th{color:#5a6475;font-weight:500}`;

function modeCard(m: FincMode, x: string, y: string, labels?: readonly string[]): string {
  const set = m.side === 'x' ? x : y;
  const h: string[] = [];
  h.push(`<section class="card side-${m.side}" id="mode-${m.side}${m.rank}">`);
  h.push(`<h3>Mode ${m.side}${m.rank}: λ = ${esc(num(m.eigenvalue))}</h3>`);
  h.push(`<p class="muted">A sample type over-represented in ${esc(set)}. Share in ${esc(x)}: ${esc(num(m.shareX))}; share in ${esc(y)}: ${esc(num(m.shareY))}.</p>`);
  h.push(`<table class="top"><thead><tr><th>#</th><th>index in ${esc(set)}</th><th>score</th>${labels ? '<th>label</th>' : ''}</tr></thead><tbody>`);
  m.top.forEach((t, i) => h.push(`<tr><td>${i + 1}</td><td>${t.index}</td><td>${esc(num(t.score))}</td>${labels ? `<td>${esc(labels[t.index])}</td>` : ''}</tr>`));
  h.push(`</tbody></table></section>`);
  return h.join('\n');
}

/** Renders a FINC result as one HTML document. */
export function renderFincReport(result: FincResult, opts: FincReportOptions = {}): string {
  const x = opts.xName ?? 'X', y = opts.yName ?? 'Y';
  const title = opts.title ?? `spec-embed FINC: ${x} vs ${y}`;
  const d = result.specDiff, k = result.kernel;
  const kernel = `${esc(k.type)}${k.sigma !== undefined ? `, σ = ${esc(num(k.sigma))}${opts.sigmaAuto ? ' (auto)' : ''}` : ''}${k.rffDim !== undefined ? `, ${esc(k.rffDim)} random Fourier frequencies` : ''}`;
  const h: string[] = [];
  h.push('<!DOCTYPE html>');
  h.push(`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body>`);
  h.push(`<header><h1>${esc(title)}</h1><p class="muted">X = <b>${esc(x)}</b> (${result.nx} samples), Y = <b>${esc(y)}</b> (${result.ny} samples), one embedding. Modes are eigenvectors of C<sub>X</sub> − η·C<sub>Y</sub> (η = ${esc(result.eta)}): side x (λ &gt; 0) is a sample type over-represented in X, side y (λ &lt; 0) one over-represented in Y.</p></header><main>`);
  h.push(`<div class="card" id="spec-diff"><b>SPEC-diff</b>: norm ${esc(num(d.norm))} · x-not-y (λ<sub>max</sub>) ${esc(num(d.xNotY))} · y-not-x (−λ<sub>min</sub>) ${esc(num(d.yNotX))}<br><span class="muted">kernel ${kernel} · method ${esc(result.method)} — ${esc(result.methodReason)}${result.noiseDropped ? ` · ${result.noiseDropped} eigenvalues within rounding error not reported` : ''}</span></div>`);
  if (!result.modes.length) h.push(`<p>No modes: C<sub>X</sub> − η·C<sub>Y</sub> is zero to numerical precision.</p>`);
  for (const side of ['x', 'y'] as const) {
    const modes = result.modes.filter((m) => m.side === side);
    if (!modes.length) continue;
    h.push(`<h2>Side ${side}: over-represented in ${esc(side === 'x' ? x : y)}</h2>`);
    for (const m of modes) h.push(modeCard(m, x, y, side === 'x' ? opts.labelsX : opts.labelsY));
  }
  h.push(`</main><footer class="muted">spec-embed ${esc(VERSION)} · FINC (Zhang, Jalali, Li &amp; Farnia, CVPR 2025)</footer></body></html>\n`);
  return h.join('\n');
}

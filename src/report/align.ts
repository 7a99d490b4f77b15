// A minimal self-contained HTML report of an align() result: SPEC-diff before
// and after (held-out split), the loss curves and the spectra as inline SVG, and
// the modes the alignment removed. No scripts, no external assets; every data
// string is escaped.
import { VERSION } from '../version.js';
import type { AlignResult } from '../align.js';
import type { Mode } from '../types.js';

export interface AlignReportOptions {
  /** Names of the two embeddings (file names in the CLI). */
  xName?: string;
  yName?: string;
  title?: string;
}

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function num(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? x.toFixed(4) : x.toExponential(2);
}

/** Loss curves: training (per epoch) and held-out (epoch 0 = W0, then per epoch), best epoch marked. */
export function lossSvg(train: number[], holdout: number[], best: number): string {
  const W = 640, H = 220, L = 60, R = 12, T = 12, B = 28;
  const all = [...train, ...holdout].filter(Number.isFinite);
  const lo = Math.min(...all, 0), hi = Math.max(...all, 1e-12);
  const epochs = Math.max(1, holdout.length - 1);
  const x = (e: number) => L + (e / epochs) * (W - L - R);
  const y = (v: number) => T + ((hi - v) / (hi - lo || 1)) * (H - T - B);
  const line = (vals: number[], first: number, cls: string) =>
    `<polyline class="${cls}" fill="none" points="${vals.map((v, i) => `${x(i + first).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`;
  return [
    `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="loss curves" xmlns="http://www.w3.org/2000/svg">`,
    `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#888"/>`,
    `<text x="${L - 6}" y="${y(hi) + 4}" text-anchor="end" class="tick">${esc(num(hi))}</text>`,
    `<text x="${L - 6}" y="${y(lo) + 4}" text-anchor="end" class="tick">${esc(num(lo))}</text>`,
    `<text x="${W - R}" y="${H - 8}" text-anchor="end" class="tick">epoch ${epochs}</text>`,
    `<line x1="${x(best).toFixed(1)}" x2="${x(best).toFixed(1)}" y1="${T}" y2="${H - B}" stroke="#999" stroke-dasharray="4 3"><title>best epoch ${best}</title></line>`,
    line(train, 1, 'train'),
    line(holdout, 0, 'hold'),
    '</svg>',
  ].join('');
}

/** Eigenvalue bars of compare() modes (side x up, side y down). */
export function modesSvg(modes: Mode[], scale: number): string {
  const W = 640, H = 180, L = 60, T = 10, B = 10;
  const mid = T + (H - T - B) / 2, half = (H - T - B) / 2;
  const sorted = [...modes].sort((a, b) => b.eigenvalue - a.eigenvalue);
  const slot = (W - L - 10) / Math.max(1, sorted.length);
  const bars = sorted.map((m, i) => {
    const h = (Math.abs(m.eigenvalue) / (scale || 1)) * half;
    const yy = m.eigenvalue >= 0 ? mid - h : mid;
    return `<rect class="bar-${m.side}" x="${(L + i * slot + slot * 0.15).toFixed(1)}" y="${yy.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${Math.max(0.5, h).toFixed(1)}"><title>${esc(`${m.side}${m.rank}: λ = ${num(m.eigenvalue)}`)}</title></rect>`;
  });
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="spectrum" xmlns="http://www.w3.org/2000/svg"><line x1="${L}" x2="${W - 10}" y1="${mid}" y2="${mid}" stroke="#555"/><text x="${L - 6}" y="${T + 10}" text-anchor="end" class="tick">${esc(num(scale))}</text><text x="${L - 6}" y="${H - B}" text-anchor="end" class="tick">${esc(num(-scale))}</text>${bars.join('')}</svg>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222}header,main,footer{padding:12px 32px}
.muted,.tick{color:#666;fill:#666;font-size:12px}table{border-collapse:collapse;font-variant-numeric:tabular-nums}
td,th{padding:2px 12px;text-align:right;border-bottom:1px solid #ddd}th{font-weight:500;color:#666}
.train{stroke:#1f77b4;stroke-width:2}.hold{stroke:#d62728;stroke-width:2}.bar-x{fill:#1f77b4}.bar-y{fill:#d62728}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}`;

/** Renders the align report as one HTML document. */
export function renderAlignReport(r: AlignResult, opts: AlignReportOptions = {}): string {
  const x = opts.xName ?? 'X', y = opts.yName ?? 'Y';
  const title = opts.title ?? `spec-embed align: ${x} ← ψ(${y})`;
  const b = r.specDiffBefore, a = r.specDiffAfter;
  const row = (name: string, vb: number, va: number) => `<tr><th>${esc(name)}</th><td>${esc(num(vb))}</td><td>${esc(num(va))}</td><td>${vb ? esc(`${((va / vb) * 100).toFixed(0)}%`) : '–'}</td></tr>`;
  const scale = Math.max(1e-300, ...[...r.modesBefore, ...r.modesAfter].map((m) => Math.abs(m.eigenvalue)));
  const removed = r.modesBefore.filter((m) => m.side === 'x' && r.removedModes.includes(m.rank));
  const k = r.kernelX;
  const h: string[] = [];
  h.push(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body>`);
  h.push(`<header><h1>${esc(title)}</h1><p class="muted">ψ(y) = W·y${r.bias ? ' + b' : ''}, W ∈ ℝ<sup>${r.dim}×${r.dy}</sup>, trained to minimise λ<sub>max</sub>(K<sub>X</sub> − K<sub>ψ(Y)</sub>) + β‖W − W0‖² with X's ${esc(k.type)} kernel${k.sigma !== undefined ? ` (σ = ${esc(num(k.sigma))})` : ''} and the cosine kernel on ψ(Y). n = ${r.n}: ${r.nTrain} training, ${r.nHoldout} held-out samples; ${r.epochs} epochs run, best epoch ${r.bestEpoch}.</p></header><main>`);
  h.push(`<h2>SPEC-diff on the held-out split</h2><table id="spec-diff"><tr><th></th><th>before (Y)</th><th>after (ψ(Y))</th><th>after/before</th></tr>${row('x-not-y (λmax)', b.xNotY, a.xNotY)}${row('y-not-x (−λmin)', b.yNotX, a.yNotX)}${row('norm', b.norm, a.norm)}</table>`);
  h.push(`<h2>Loss</h2><p class="muted"><span style="color:#1f77b4">■</span> training (mean over batches) <span style="color:#d62728">■</span> held-out; dashed: the kept epoch.</p>${lossSvg(r.loss.train, r.loss.holdout, r.bestEpoch)}`);
  h.push(`<h2>Spectrum of Λ (held-out)</h2><div class="cols"><div><h3>before</h3>${modesSvg(r.modesBefore, scale)}</div><div><h3>after</h3>${modesSvg(r.modesAfter, scale)}</div></div>`);
  h.push(`<h2>Removed modes</h2>`);
  if (!removed.length) h.push(`<p>None: every side-x mode before alignment still has a counterpart after it.</p>`);
  else {
    h.push(`<p class="muted">Side-x modes (groups ${esc(x)} clusters and ${esc(y)} did not) with no counterpart after alignment (overlap ≥ 0.5 and eigenvalue ≥ half).</p><table><tr><th>mode</th><th>λ before</th><th>top samples</th></tr>`);
    for (const m of removed) h.push(`<tr><td>x${m.rank}</td><td>${esc(num(m.eigenvalue))}</td><td style="text-align:left">${esc(m.top.slice(0, 12).map((t) => t.index).join(', '))}</td></tr>`);
    h.push(`</table>`);
  }
  h.push(`<h2>Timings</h2><p class="muted">${Object.entries(r.timings).map(([k2, v]) => `${esc(k2)} ${esc(v.toFixed(2))} s`).join(' · ')}</p>`);
  h.push(`</main><footer class="muted">spec-embed ${esc(VERSION)} · SPEC-align (Jalali, Dibaei Nia &amp; Farnia, ICML 2025)</footer></body></html>\n`);
  return h.join('\n');
}

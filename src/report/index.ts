// The self-contained HTML report of a compare result: one string, no external
// assets, no scripts, no network. Pure TypeScript (runs in Node and browsers).
import { VERSION } from '../version.js';
import type { KernelInfo, Mode, SpecResult } from '../types.js';
import { greyPng, pngDataUri } from './png.js';

export { greyPng, pngDataUri, base64 } from './png.js';

/** Grey images of the samples, for thumbnails (e.g. 28 × 28 MNIST digits). */
export interface ReportImages {
  width: number;
  height: number;
  /** Row-major pixels of sample `index`. */
  pixels(index: number): ArrayLike<number>;
  /** Values shown black and white; default: each image's min and max. */
  range?: [number, number];
  /** Dark ink on white. Default false. */
  invert?: boolean;
}

export interface ReportOptions {
  title?: string;
  /** Names of the two embeddings (file names in the CLI). */
  xName?: string;
  yName?: string;
  /** A paragraph (plain text) under the header. */
  description?: string;
  /** One label per sample. */
  labels?: readonly string[];
  images?: ReportImages;
  /** Whether σ was chosen automatically, per side. */
  sigmaAuto?: { x?: boolean; y?: boolean };
  /** A "generated" note for the footer (e.g. a date); nothing by default so reports are reproducible. */
  generated?: string;
}

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function num(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return x.toFixed(4);
  return x.toExponential(2);
}

function seconds(s: number): string {
  return s < 0.01 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`;
}

function kernelHtml(k: KernelInfo, auto?: boolean): string {
  let s = `<b>${esc(k.type)}</b>`;
  if (k.sigma !== undefined) s += `, σ = ${esc(num(k.sigma))}${auto ? ' <span class="muted">(auto: median pairwise distance)</span>' : ''}`;
  if (k.rffDim !== undefined) s += `, ${esc(k.rffDim)} random Fourier frequencies`;
  return s;
}

const modeId = (m: Mode) => `mode-${m.side}${m.rank}`;

/** Inline SVG: one bar per reported eigenvalue, side x up (positive), side y down (negative). */
export function spectrumSvg(result: SpecResult): string {
  const modes = [...result.modes].sort((a, b) => b.eigenvalue - a.eigenvalue);
  const W = 760, H = 260, padL = 64, padR = 16, padT = 18, padB = 30;
  const plotW = W - padL - padR, plotH = H - padT - padB;
  const max = Math.max(1e-300, ...modes.map((m) => Math.abs(m.eigenvalue)));
  const hasPos = modes.some((m) => m.eigenvalue > 0), hasNeg = modes.some((m) => m.eigenvalue < 0);
  const top = hasPos ? max : 0, bottom = hasNeg ? -max : 0;
  const span = top - bottom || 1;
  const yOf = (v: number) => padT + ((top - v) / span) * plotH;
  const zero = yOf(0);
  const slot = modes.length ? plotW / modes.length : plotW;
  const bw = Math.max(2, Math.min(36, slot * 0.7));
  const parts: string[] = [];
  parts.push(`<svg class="spectrum" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="eigenvalue spectrum" xmlns="http://www.w3.org/2000/svg">`);
  parts.push(`<line x1="${padL}" x2="${W - padR}" y1="${zero.toFixed(1)}" y2="${zero.toFixed(1)}" stroke="#555" stroke-width="1"/>`);
  const ticks = [top, 0, bottom].filter((v, i, a) => a.indexOf(v) === i);
  for (const v of ticks) {
    parts.push(`<text x="${padL - 6}" y="${(yOf(v) + 4).toFixed(1)}" text-anchor="end" class="tick">${esc(num(v))}</text>`);
  }
  modes.forEach((m, i) => {
    const x = padL + i * slot + (slot - bw) / 2;
    const y1 = yOf(Math.max(m.eigenvalue, 0)), y2 = yOf(Math.min(m.eigenvalue, 0));
    const cls = m.side === 'x' ? 'bar-x' : 'bar-y';
    parts.push(
      `<a href="#${modeId(m)}"><rect class="${cls}" x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${bw.toFixed(1)}" height="${Math.max(0.5, y2 - y1).toFixed(1)}">` +
        `<title>mode ${m.side}${m.rank}: λ = ${esc(num(m.eigenvalue))}</title></rect></a>`,
    );
    if (slot >= 18) {
      const ly = m.eigenvalue >= 0 ? zero + 14 : zero - 6;
      parts.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${ly.toFixed(1)}" text-anchor="middle" class="tick">${m.side}${m.rank}</text>`);
    }
  });
  parts.push(`<text x="12" y="${(padT + plotH / 2).toFixed(1)}" class="tick" transform="rotate(-90 12 ${(padT + plotH / 2).toFixed(1)})" text-anchor="middle">λ</text>`);
  parts.push('</svg>');
  return parts.join('');
}

function histogramHtml(mode: Mode, labels: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const t of mode.top) counts.set(labels[t.index] ?? '?', (counts.get(labels[t.index] ?? '?') ?? 0) + 1);
  const rows = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const total = mode.top.length || 1;
  return (
    `<div class="hist">` +
    rows
      .map(([l, c]) => {
        const p = (100 * c) / total;
        return `<div class="hrow"><span class="hl">${esc(l)}</span><span class="hbar"><span class="hfill ${mode.side === 'x' ? 'bar-x' : 'bar-y'}" style="width:${p.toFixed(1)}%"></span></span><span class="hc">${c} (${p.toFixed(0)}%)</span></div>`;
      })
      .join('') +
    `</div>`
  );
}

function modeCard(mode: Mode, share: number, opts: ReportOptions, x: string, y: string): string {
  const labels = opts.labels;
  const side = mode.side === 'x' ? `${esc(x)} groups these samples more tightly than ${esc(y)}` : `${esc(y)} groups these samples more tightly than ${esc(x)}`;
  const out: string[] = [];
  out.push(`<section class="card side-${mode.side}" id="${modeId(mode)}">`);
  out.push(`<h3><span class="badge ${mode.side === 'x' ? 'bar-x' : 'bar-y'}">${mode.side}${mode.rank}</span> Mode ${mode.side}${mode.rank}</h3>`);
  out.push(`<p class="muted">${side}.</p>`);
  out.push(`<dl class="facts"><dt>eigenvalue</dt><dd>${esc(num(mode.eigenvalue))}</dd><dt>share of |spectrum|</dt><dd>${(100 * share).toFixed(1)}%</dd><dt>top samples</dt><dd>${mode.top.length}</dd></dl>`);
  if (labels) {
    out.push(`<h4>Labels of the top samples</h4>`);
    out.push(histogramHtml(mode, labels));
  }
  if (opts.images) {
    const im = opts.images;
    out.push(`<h4>Top samples</h4><div class="thumbs">`);
    for (const t of mode.top) {
      let img = '';
      try {
        img = `<img alt="sample ${t.index}" width="${im.width * 2}" height="${im.height * 2}" src="${pngDataUri(greyPng(im.pixels(t.index), im.width, im.height, { range: im.range, invert: im.invert }))}">`;
      } catch {
        img = `<span class="noimg">no image</span>`;
      }
      const cap = `#${t.index}${labels ? ` · ${esc(labels[t.index])}` : ''}`;
      out.push(`<figure>${img}<figcaption>${cap}</figcaption></figure>`);
    }
    out.push(`</div>`);
  }
  out.push(`<details${opts.images ? '' : ' open'}><summary>Top samples table</summary><table class="top"><thead><tr><th>#</th><th>index</th><th>score</th>${labels ? '<th>label</th>' : ''}</tr></thead><tbody>`);
  mode.top.forEach((t, i) => {
    out.push(`<tr><td>${i + 1}</td><td>${t.index}</td><td>${esc(num(t.score))}</td>${labels ? `<td>${esc(labels[t.index])}</td>` : ''}</tr>`);
  });
  out.push(`</tbody></table></details>`);
  out.push(`</section>`);
  return out.join('\n');
}

const CSS = `
:root{--x:#2b6cb0;--y:#c05621;--fg:#1a202c;--muted:#5a6475;--bg:#f7f8fa;--card:#fff;--line:#dde1e7}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:24px 32px 8px}
h1{margin:0 0 4px;font-size:24px}
h2{font-size:18px;margin:28px 0 10px}
h3{margin:0 0 4px;font-size:16px;display:flex;align-items:center;gap:8px}
h4{margin:14px 0 6px;font-size:13px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
main{padding:0 32px 32px}
.muted{color:var(--muted)}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:12px}
.box{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.box .big{font-size:22px;font-weight:600}
.bar-x{fill:var(--x);background:var(--x)}
.bar-y{fill:var(--y);background:var(--y)}
.tick{font-size:11px;fill:var(--muted)}
.spectrum{background:var(--card);border:1px solid var(--line);border-radius:8px;max-width:900px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:14px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px}
.card.side-x{border-top:4px solid var(--x)}
.card.side-y{border-top:4px solid var(--y)}
.badge{color:#fff;border-radius:4px;padding:1px 7px;font-size:13px}
.facts{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:8px 0}
.facts dt{color:var(--muted)}
.facts dd{margin:0;font-variant-numeric:tabular-nums}
.hist .hrow{display:grid;grid-template-columns:72px 1fr 72px;gap:8px;align-items:center;margin:2px 0}
.hl{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.hbar{background:#eef0f3;height:12px;border-radius:3px;overflow:hidden;display:block}
.hfill{display:block;height:100%}
.hc{font-variant-numeric:tabular-nums;color:var(--muted);font-size:12px}
.thumbs{display:flex;flex-wrap:wrap;gap:6px}
figure{margin:0;text-align:center}
figure img{image-rendering:pixelated;display:block;border:1px solid var(--line)}
figcaption{font-size:11px;color:var(--muted)}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
td,th{padding:2px 10px;text-align:right;border-bottom:1px solid var(--line)}
th{color:var(--muted);font-weight:500}
details{margin-top:10px}
summary{cursor:pointer;color:var(--muted)}
footer{padding:16px 32px;color:var(--muted);font-size:12px}
`;

/** Renders the report as one HTML document. */
export function renderReport(result: SpecResult, opts: ReportOptions = {}): string {
  const x = opts.xName ?? 'X', y = opts.yName ?? 'Y';
  const title = opts.title ?? `spec-embed: ${x} vs ${y}`;
  const total = result.modes.reduce((s, m) => s + Math.abs(m.eigenvalue), 0);
  const share = (m: Mode) => (total > 0 ? Math.abs(m.eigenvalue) / total : 0);
  const d = result.specDiff;
  const timings = Object.entries(result.timings);
  const h: string[] = [];
  h.push('<!DOCTYPE html>');
  h.push(`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  h.push(`<title>${esc(title)}</title><style>${CSS}</style></head><body>`);
  h.push(`<header><h1>${esc(title)}</h1>`);
  h.push(`<p class="muted">X = <b>${esc(x)}</b>, Y = <b>${esc(y)}</b>, n = ${result.n} samples. Modes are eigenvectors of Λ = K<sub>X</sub> − η·K<sub>Y</sub> (η = ${esc(result.eta)}): side x (λ &gt; 0) groups samples X clusters more tightly than Y, side y (λ &lt; 0) the reverse.</p>`);
  if (opts.description) h.push(`<p>${esc(opts.description)}</p>`);
  h.push(`</header><main>`);
  h.push(`<div class="summary">`);
  h.push(`<div class="box" id="spec-diff"><div class="muted">SPEC-diff (spectral norm of Λ)</div><div class="big">${esc(num(d.norm))}</div><div>x-not-y (λ<sub>max</sub>) ${esc(num(d.xNotY))}<br>y-not-x (−λ<sub>min</sub>) ${esc(num(d.yNotX))}</div></div>`);
  h.push(`<div class="box" id="kernels"><div class="muted">Kernels</div><div>X: ${kernelHtml(result.kernelX, opts.sigmaAuto?.x)}</div><div>Y: ${kernelHtml(result.kernelY, opts.sigmaAuto?.y)}</div></div>`);
  h.push(`<div class="box" id="method"><div class="muted">Method</div><div><b>${esc(result.method)}</b></div><div class="muted">${esc(result.methodReason)}</div>${result.noiseDropped > 0 ? `<div class="muted">${result.noiseDropped} eigenvalue(s) within round-off not listed</div>` : ''}</div>`);
  h.push(`<div class="box" id="timings"><div class="muted">Timings</div>${timings.map(([k, v]) => `<div>${esc(k)}: ${esc(seconds(v))}</div>`).join('')}</div>`);
  h.push(`</div>`);
  h.push(`<h2>Spectrum</h2>`);
  if (result.modes.length) {
    h.push(spectrumSvg(result));
    h.push(`<p class="muted">Reported eigenvalues of Λ, largest first. <span style="color:var(--x)">■</span> side x, <span style="color:var(--y)">■</span> side y. Click a bar for its mode.</p>`);
  } else {
    h.push(`<p>No modes: the two kernel matrices agree to numerical precision.</p>`);
  }
  for (const side of ['x', 'y'] as const) {
    const modes = result.modes.filter((m) => m.side === side);
    if (!modes.length) continue;
    h.push(`<h2>Side ${side}: clustered by ${esc(side === 'x' ? x : y)} more than by ${esc(side === 'x' ? y : x)}</h2>`);
    h.push(`<div class="cards">`);
    for (const m of modes) h.push(modeCard(m, share(m), opts, x, y));
    h.push(`</div>`);
  }
  h.push(`</main><footer>spec-embed ${esc(VERSION)} · SPEC (Jalali, Dibaei Nia &amp; Farnia, ICML 2025)${opts.generated ? ` · ${esc(opts.generated)}` : ''}</footer>`);
  h.push(`</body></html>\n`);
  return h.join('\n');
}

// The report page: one self-contained HTML document — the stylesheet, the
// renderer's script (bundled by scripts/build-web.mjs) and the report data are
// all inlined; nothing is fetched, so it opens from file:// with no network.
import { REPORT_CLIENT_JS } from '../generated/report-client.js';
import { REPORT_CSS } from './client/style.js';
import type { ReportData } from './data.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * JSON safe inside <script>: '<' (so no `</script>` or `<!--` can end or alter
 * the element), U+2028/2029 escaped; JSON.parse reads it back unchanged.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A script's source made safe to inline (no `</script` inside). */
export const inlineScript = (js: string) => js.replace(/<\/(script)/gi, '<\\/$1');

/** The report as one HTML document. */
export function reportHtml(data: ReportData): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    // No network at all: scripts and styles only inline, images only data: URIs.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">`,
    `<title>${esc(data.title)}</title><style>${REPORT_CSS}</style></head>`,
    `<body><div id="spec-root" data-spec-root><noscript><p>This report draws its charts with JavaScript; the data are in the element #spec-embed-data of this file.</p></noscript></div>`,
    `<script type="application/json" id="spec-embed-data">${scriptJson(data)}</script>`,
    `<script>${inlineScript(REPORT_CLIENT_JS)}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

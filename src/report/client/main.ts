// Entry of the report page's script: renders the JSON embedded in the page, and
// exposes the renderer for the in-browser app (window.SpecEmbedReport.render).
import { render, type ReportHandle } from './render.js';
import type { ReportData } from '../data.js';

declare global {
  interface Window {
    SpecEmbedReport: { render: typeof render };
    specReport?: ReportHandle;
  }
}

window.SpecEmbedReport = { render };
const embedded = document.getElementById('spec-embed-data');
const root = document.getElementById('spec-root');
if (embedded && root) {
  window.specReport = render(JSON.parse(embedded.textContent ?? '{}') as ReportData, root);
}

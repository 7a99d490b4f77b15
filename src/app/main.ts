// The in-browser app (dist/app.html): pick or drop two embedding files and
// optional labels and images, choose compare / finc / align and their options; the work
// runs in a Web Worker (the library and its wasm are inlined in this page), and
// the result is drawn by the report's own renderer. No request leaves the page.
import { render, type ReportHandle } from '../report/client/render.js';
import { h } from '../report/client/dom.js';
import { REPORT_CSS } from '../report/client/style.js';
import type { ReportData } from '../report/data.js';
import { chosen, el, refresh, sections } from './form.js';
import { mapButtons } from './map-download.js';
import { listArrays } from './npz-keys.js';
import { FormError, readRequest } from './request.js';
import type { RunRequest, WorkerMessage } from './protocol.js';

declare const __WORKER_SOURCE__: string;

declare global {
  interface Window {
    /** State for scripts and tests: 'idle' | 'running' | 'done' | 'error' | 'cancelled'. */
    specApp: { state: string; data?: ReportData; error?: string; notes?: string[]; report?: ReportHandle; runs: number };
  }
}

const APP_CSS = `
.app{padding:0 24px 16px;max-width:1400px}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px;margin:10px 0}
.drop{border:2px dashed #a0aec0;border-radius:8px;padding:16px;text-align:center;color:var(--muted)}
.drop.over{border-color:var(--x);background:#ebf4ff}
.tasks{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:8px;margin-bottom:10px}
.task{display:flex;gap:8px;align-items:baseline;border:1px solid var(--line);border-radius:8px;padding:8px 10px;cursor:pointer;font-size:13px;color:var(--muted)}
.task b{color:var(--fg);font-size:15px}
.task:has(input:checked){border-color:var(--x);background:#ebf4ff}
fieldset{border:none;border-top:1px solid var(--line);margin:8px 0 0;padding:6px 0 0}
legend{font-weight:600;padding-right:8px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:10px 16px;margin-top:4px}
.field{display:flex;flex-direction:column;gap:3px;font-size:13px;color:var(--muted)}
.field[hidden],fieldset[hidden]{display:none}
.picker{display:flex;align-items:center;gap:6px;flex-wrap:wrap}
.row-start{grid-column:1}
.field input,.field select{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:5px;color:var(--fg);max-width:100%}
.field input[type=checkbox]{align-self:flex-start}
.run{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin-top:12px}
.run progress{flex:1;min-width:160px;height:14px}
button.primary{background:var(--x);color:#fff;border-color:var(--x)}
button:disabled{opacity:.5;cursor:default}
.error{color:#c53030;overflow-wrap:anywhere}
.notes{color:var(--muted);font-size:13px;margin:4px 0}
`;

window.specApp = { state: 'idle', runs: 0 };
document.head.appendChild(h('style', {}, REPORT_CSS + APP_CSS));
const root = document.getElementById('app')!;

const runBtn = h('button', { id: 'run', type: 'button', class: 'primary' }, 'Run');
const cancelBtn = h('button', { id: 'cancel', type: 'button', disabled: true }, 'Cancel');
const bar = h('progress', { id: 'progress', max: 1, value: 0, 'aria-label': 'progress' });
const status = h('span', { id: 'status', class: 'muted', 'aria-live': 'polite' }, 'Choose two files.');
const error = h('p', { id: 'error', class: 'error', role: 'alert' });
const notes = h('ul', { id: 'notes', class: 'notes' });
const drop = h(
  'div',
  { class: 'drop', id: 'drop', tabindex: 0 },
  'Drop two embedding files here (X first, then Y) — .npy, .npz, .csv, .tsv, .json or .jsonl — or pick them below.',
);
const form = h('div', { class: 'panel', id: 'form' }, el.task, drop, ...sections, h('div', { class: 'run' }, runBtn, cancelBtn, bar, status), error, notes);
const out = h('div', { id: 'report', 'data-spec-root': true });
root.replaceChildren(
  h(
    'header',
    {},
    h('h1', {}, 'spec-embed: what does one embedding group that the other does not?'),
    h(
      'p',
      { class: 'local', id: 'local-note' },
      'Everything runs in this page: your files are read by this browser, computed here with WebAssembly, and nothing leaves this machine — the page makes no network requests.',
    ),
  ),
  h('div', { class: 'app' }, form),
  out,
);

/** A new X or Y: list an archive's arrays, show the fields that now apply. */
async function choose(side: 'x' | 'y', f: File | undefined): Promise<void> {
  chosen[side] = f;
  await listArrays(f, side === 'x' ? el.keyX : el.keyY, side);
  refresh();
  if (window.specApp.state === 'idle') status.textContent = chosen.x && chosen.y ? 'Ready: choose the options, then Run.' : 'Choose two files.';
}

el.task.addEventListener('change', refresh);
for (const s of [el.kernelX, el.kernelY]) s.addEventListener('change', refresh);
el.fileX.addEventListener('change', () => void choose('x', el.fileX.files?.[0]));
el.fileY.addEventListener('change', () => void choose('y', el.fileY.files?.[0]));
refresh();

drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const files = Array.from(e.dataTransfer?.files ?? []);
  if (files[0]) void choose('x', files[0]);
  if (files[1]) void choose('y', files[1]);
  drop.textContent = `X: ${files[0]?.name ?? chosen.x?.name ?? '—'} · Y: ${files[1]?.name ?? chosen.y?.name ?? '—'}`;
});

let worker: Worker | null = null;
const workerUrl = URL.createObjectURL(new Blob([__WORKER_SOURCE__], { type: 'text/javascript' }));

function setRunning(on: boolean): void {
  runBtn.disabled = on;
  cancelBtn.disabled = !on;
}

function stop(state: string): void {
  worker?.terminate();
  worker = null;
  setRunning(false);
  window.specApp.state = state;
}

function fail(message: string): void {
  stop('error');
  window.specApp.error = message;
  error.textContent = message;
  status.textContent = 'failed';
}

async function start(): Promise<void> {
  error.textContent = '';
  notes.replaceChildren();
  let req: RunRequest;
  try {
    req = await readRequest();
  } catch (e) {
    if (!(e instanceof FormError)) throw e;
    error.textContent = e.message;
    return;
  }
  stop('running');
  window.specApp.runs++;
  window.specApp.error = undefined;
  setRunning(true);
  bar.value = 0;
  status.textContent = 'starting…';
  const w = new Worker(workerUrl);
  worker = w;
  w.onmessage = (e: MessageEvent<WorkerMessage>) => {
    if (w !== worker) return;
    const m = e.data;
    if (m.type === 'progress') {
      bar.value = Math.max(0, Math.min(1, m.fraction));
      status.textContent = m.message ? `${m.stage}: ${m.message}` : m.stage;
    } else if (m.type === 'done') {
      stop('done');
      bar.value = 1;
      status.textContent = 'done';
      window.specApp.data = m.data;
      window.specApp.notes = m.notes ?? [];
      notes.replaceChildren(...(m.notes ?? []).map((n) => h('li', {}, n)));
      window.specApp.report = render(m.data, out);
      if (m.map) out.querySelector('.toolbar')?.append(...mapButtons(m.map));
      document.title = `${m.data.title} (spec-embed app)`;
    } else fail(m.message);
  };
  w.onerror = (e) => {
    if (w !== worker) return;
    fail(e.message || 'the computation stopped unexpectedly');
  };
  w.postMessage(req, [req.x.bytes, req.y.bytes]);
}

runBtn.addEventListener('click', () => void start());
cancelBtn.addEventListener('click', () => {
  stop('cancelled');
  status.textContent = 'cancelled';
  bar.value = 0;
});

// The in-browser app (dist/app.html): pick or drop two embedding files and
// optional labels, choose compare / finc / align and their options; the work
// runs in a Web Worker (the library and its wasm are inlined in this page), and
// the result is drawn by the report's own renderer. No request leaves the page.
import { render, type ReportHandle } from '../report/client/render.js';
import { h } from '../report/client/dom.js';
import { REPORT_CSS } from '../report/client/style.js';
import type { ReportData } from '../report/data.js';
import type { InFile, RunRequest, Task, WorkerMessage } from './protocol.js';

declare const __WORKER_SOURCE__: string;

declare global {
  interface Window {
    /** State for scripts and tests: 'idle' | 'running' | 'done' | 'error' | 'cancelled'. */
    specApp: { state: string; data?: ReportData; error?: string; report?: ReportHandle; runs: number };
  }
}

const APP_CSS = `
.app{padding:0 24px 16px;max-width:1400px}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px;margin:10px 0}
.drop{border:2px dashed #a0aec0;border-radius:8px;padding:16px;text-align:center;color:var(--muted)}
.drop.over{border-color:var(--x);background:#ebf4ff}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:10px 16px;margin-top:10px}
.grid label{display:flex;flex-direction:column;gap:3px;font-size:13px;color:var(--muted)}
.grid input,.grid select{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:5px;color:var(--fg);max-width:100%}
.run{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin-top:12px}
.run progress{flex:1;min-width:160px;height:14px}
button.primary{background:var(--x);color:#fff;border-color:var(--x)}
button:disabled{opacity:.5;cursor:default}
.error{color:#c53030;overflow-wrap:anywhere}
.only-finc,.only-align{display:none}
.task-finc .only-finc,.task-align .only-align{display:flex}
.task-align .not-align{display:none}
`;

window.specApp = { state: 'idle', runs: 0 };
document.head.appendChild(h('style', {}, REPORT_CSS + APP_CSS));
const root = document.getElementById('app')!;

const field = (label: string, input: HTMLElement, cls?: string) => h('label', cls ? { class: cls } : {}, label, input);
const num = (id: string, value: string, attrs: Record<string, string> = {}) => h('input', { id, type: 'number', value, ...attrs });
const taskSel = h(
  'select',
  { id: 'task' },
  h('option', { value: 'compare' }, 'compare: two embeddings of the same samples'),
  h('option', { value: 'finc' }, 'finc: two sample sets under one embedding'),
  h('option', { value: 'align' }, 'align: map Y so it groups samples as X does'),
);
const fileX = h('input', { id: 'file-x', type: 'file', accept: '.npy,.npz,.csv,.tsv,.json,.jsonl' });
const fileY = h('input', { id: 'file-y', type: 'file', accept: '.npy,.npz,.csv,.tsv,.json,.jsonl' });
const labelsX = h('input', { id: 'labels-x', type: 'file', accept: '.txt,.csv,.tsv,text/plain' });
const labelsY = h('input', { id: 'labels-y', type: 'file', accept: '.txt,.csv,.tsv,text/plain' });
const kernel = h(
  'select',
  { id: 'kernel' },
  h('option', { value: 'cosine' }, 'cosine'),
  h('option', { value: 'gaussian' }, 'gaussian'),
  h('option', { value: 'linear' }, 'linear'),
);
const sigma = h('input', { id: 'sigma', type: 'text', value: 'auto' });
const method = h(
  'select',
  { id: 'method' },
  h('option', { value: 'auto' }, 'auto'),
  h('option', { value: 'exact' }, 'exact'),
  h('option', { value: 'covariance' }, 'covariance'),
);
const top = num('top', '10', { min: '1' });
const spm = num('samples-per-mode', '20', { min: '1' });
const eta = num('eta', '1', { min: '0', step: 'any' });
const seed = num('seed', '0', { min: '0' });
// Empty unless the user sets it, as the CLI's --rff-dim: a given m on the exact route earns a note.
const rff = num('rff-dim', '', { min: '1', placeholder: '1000' });
const key = h('input', { id: 'key', type: 'text', placeholder: '(.npz only)' });
const epochs = num('epochs', '100', { min: '1' });
const lr = num('lr', '0.03', { min: '0', step: 'any' });
const runBtn = h('button', { id: 'run', type: 'button', class: 'primary' }, 'Run');
const cancelBtn = h('button', { id: 'cancel', type: 'button', disabled: true }, 'Cancel');
const bar = h('progress', { id: 'progress', max: 1, value: 0, 'aria-label': 'progress' });
const status = h('span', { id: 'status', class: 'muted', 'aria-live': 'polite' }, 'Choose two files.');
const error = h('p', { id: 'error', class: 'error', role: 'alert' });
const drop = h(
  'div',
  { class: 'drop', id: 'drop', tabindex: 0 },
  'Drop two embedding files here (X first, then Y) — .npy, .npz, .csv, .tsv, .json or .jsonl — or pick them below.',
);
const form = h(
  'div',
  { class: 'panel task-compare', id: 'form' },
  drop,
  h(
    'div',
    { class: 'grid' },
    field('task', taskSel),
    field('X: embedding file (or the first set, finc)', fileX),
    field('Y: embedding file (or the second set, finc)', fileY),
    field("labels of X's rows (optional, one per line)", labelsX),
    field("labels of Y's rows (optional)", labelsY, 'only-finc'),
    field('kernel', kernel),
    field('Gaussian σ (a number or auto)', sigma),
    field('method', method, 'not-align'),
    field('modes per side', top),
    field('top samples per mode', spm),
    field('η (weight of Y)', eta, 'not-align'),
    field('random Fourier frequencies (Gaussian, covariance route)', rff, 'not-align'),
    field('seed', seed),
    field('.npz array name', key),
    field('epochs', epochs, 'only-align'),
    field('learning rate', lr, 'only-align'),
  ),
  h('div', { class: 'run' }, runBtn, cancelBtn, bar, status),
  error,
);
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

taskSel.addEventListener('change', () => {
  form.className = `panel task-${taskSel.value}`;
});
const dropped: { x?: File; y?: File } = {};
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const files = Array.from(e.dataTransfer?.files ?? []);
  if (files[0]) dropped.x = files[0];
  if (files[1]) dropped.y = files[1];
  drop.textContent = `X: ${dropped.x?.name ?? '—'} · Y: ${dropped.y?.name ?? '—'}`;
});

let worker: Worker | null = null;
const workerUrl = URL.createObjectURL(new Blob([__WORKER_SOURCE__], { type: 'text/javascript' }));

async function read(f: File | undefined): Promise<InFile | undefined> {
  return f ? { name: f.name, bytes: await f.arrayBuffer() } : undefined;
}

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

async function start(): Promise<void> {
  error.textContent = '';
  const fx = fileX.files?.[0] ?? dropped.x,
    fy = fileY.files?.[0] ?? dropped.y;
  if (!fx || !fy) {
    error.textContent = 'Choose two files: X and Y.';
    return;
  }
  const sig = sigma.value.trim();
  const sigmaValue: number | 'auto' = sig === '' || sig === 'auto' ? 'auto' : Number(sig);
  if (sigmaValue !== 'auto' && !(sigmaValue > 0)) {
    error.textContent = `σ must be a positive number or 'auto', got '${sig}'`;
    return;
  }
  const int = (el: HTMLInputElement, name: string, min: number) => {
    const v = Number(el.value);
    if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}, got '${el.value}'`);
    return v;
  };
  let req: RunRequest;
  try {
    const task = taskSel.value as Task;
    req = {
      task,
      x: (await read(fx))!,
      y: (await read(fy))!,
      labelsX: await read(labelsX.files?.[0]),
      labelsY: task === 'finc' ? await read(labelsY.files?.[0]) : undefined,
      key: key.value.trim() || undefined,
      kernel: kernel.value as RunRequest['kernel'],
      sigma: sigmaValue,
      rffDim: rff.value.trim() === '' ? undefined : int(rff, 'random Fourier frequencies', 1),
      eta: Number(eta.value),
      topK: int(top, 'modes per side', 1),
      samplesPerMode: int(spm, 'top samples per mode', 1),
      method: method.value as RunRequest['method'],
      seed: int(seed, 'seed', 0),
      epochs: int(epochs, 'epochs', 1),
      lr: Number(lr.value),
    };
    if (!(req.eta! >= 0)) throw new Error(`η must be a number ≥ 0, got '${eta.value}'`);
    if (!(req.lr! > 0)) throw new Error(`the learning rate must be a number > 0, got '${lr.value}'`);
  } catch (e) {
    error.textContent = (e as Error).message;
    return;
  }
  stop('running');
  window.specApp.runs++;
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
      window.specApp.report = render(m.data, out);
      document.title = `${m.data.title} (spec-embed app)`;
    } else {
      stop('error');
      window.specApp.error = m.message;
      error.textContent = m.message;
      status.textContent = 'failed';
    }
  };
  w.onerror = (e) => {
    if (w !== worker) return;
    stop('error');
    error.textContent = e.message || 'the worker failed';
  };
  w.postMessage(req, [req.x.bytes, req.y.bytes]);
}

runBtn.addEventListener('click', () => void start());
cancelBtn.addEventListener('click', () => {
  stop('cancelled');
  status.textContent = 'cancelled';
  bar.value = 0;
});

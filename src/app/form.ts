// The app's form: the CLI's options per task and side, each shown only where it applies
// (the chosen task; a σ only for a Gaussian side; the .npz array only for an archive; the
// CSV options only for a .csv/.tsv input). Labels say what a field means in the chosen task.
import { h } from '../report/client/dom.js';
import type { Task } from './protocol.js';
import { FIELD } from './wording.js';

type Labels = string | (Partial<Record<Task, string>> & { other: string });

interface Field {
  box: HTMLElement;
  title: HTMLElement;
  label: Labels;
  tasks: readonly Task[];
  when?: () => boolean;
}

const ALL: readonly Task[] = ['compare', 'finc', 'align'];
const fields: Field[] = [];

function field(label: Labels, tasks: readonly Task[], control: HTMLElement, when?: () => boolean, cls = ''): HTMLElement {
  const title = h('span', {});
  // A form control: the label wraps it; a group of buttons (the images picker): a group named by the title.
  const box =
    control.tagName === 'SPAN' ? h('div', { class: `field ${cls}`, role: 'group' }, title, control) : h('label', { class: `field ${cls}` }, title, control);
  fields.push({ box, title, label, tasks, when });
  return box;
}

/**
 * Image files or a folder of them, through buttons: the file inputs themselves stay hidden (one
 * picking several files draws no count some headless builds can render). Picking one source
 * clears the other.
 */
function imagePicker(files: HTMLInputElement, folder: HTMLInputElement): HTMLElement {
  const status = h('span', { class: 'muted', id: `${files.id}-status` }, 'none chosen');
  const show = () => {
    const n = (files.files?.length ?? 0) + (folder.files?.length ?? 0);
    status.textContent = n ? `${n} file${n === 1 ? '' : 's'} chosen` : 'none chosen';
  };
  files.addEventListener('change', () => {
    folder.value = '';
    show();
  });
  folder.addEventListener('change', () => {
    files.value = '';
    show();
  });
  const button = (id: string, text: string, input: HTMLInputElement) => h('button', { type: 'button', id, onclick: () => input.click() }, text);
  return h(
    'span',
    { class: 'picker' },
    files,
    folder,
    button(`${files.id}-files`, 'Choose images…', files),
    button(`${files.id}-folder`, 'Choose a folder…', folder),
    status,
  );
}

const select = (id: string, options: [string, string][], value?: string) =>
  h('select', { id }, ...options.map(([v, text]) => h('option', { value: v, ...(v === value ? { selected: true } : {}) }, text)));
const num = (id: string, value: string, attrs: Record<string, string> = {}) => h('input', { id, type: 'text', inputmode: 'decimal', value, ...attrs });
const file = (id: string, accept: string, attrs: Record<string, string | boolean> = {}) => h('input', { id, type: 'file', accept, ...attrs });
const hiddenFile = (id: string, accept: string, attrs: Record<string, string | boolean>) => file(id, accept, { ...attrs, hidden: true });

const EMBEDDING = '.npy,.npz,.csv,.tsv,.json,.jsonl,.ndjson';
const LABELS = '.txt,.csv,.tsv,.json,text/plain';
const IMAGES = 'image/png,image/jpeg,image/gif,image/webp,.txt,.lst,.list';
const KERNELS: [string, string][] = [
  ['cosine', 'cosine'],
  ['gaussian', 'Gaussian'],
  ['linear', 'linear'],
];

export const TASKS: [Task, string, string][] = [
  ['compare', 'compare', 'two embeddings of the same samples: what does each group that the other does not?'],
  ['finc', 'finc', 'two sets of samples under one embedding: which kinds of sample is each richer in?'],
  ['align', 'align', 'learn a linear map of Y so that it groups the samples as X does'],
];

export const el = {
  task: h(
    'div',
    { class: 'tasks', role: 'radiogroup', 'aria-label': 'task' },
    ...TASKS.map(([t, name, what]) =>
      h(
        'label',
        { class: 'task' },
        h('input', { type: 'radio', name: 'task', id: `task-${t}`, value: t, ...(t === 'compare' ? { checked: true } : {}) }),
        h('b', {}, name),
        h('span', {}, what),
      ),
    ),
  ),
  fileX: file('file-x', EMBEDDING),
  fileY: file('file-y', EMBEDDING),
  keyX: select('key-x', []),
  keyY: select('key-y', []),
  header: select('header', [
    ['', 'detect (a header when no cell is a number)'],
    ['header', 'a header'],
    ['data', 'data'],
  ]),
  indexColumn: select('index-col', [
    ['', 'ask when one is found'],
    ['drop', 'drop it'],
    ['keep', 'keep it as a feature'],
  ]),
  labelsX: file('labels-x', LABELS),
  labelsY: file('labels-y', LABELS),
  imagesX: hiddenFile('images-x', IMAGES, { multiple: true }),
  imagesXDir: hiddenFile('images-x-dir', '', { webkitdirectory: true }),
  imagesY: hiddenFile('images-y', IMAGES, { multiple: true }),
  imagesYDir: hiddenFile('images-y-dir', '', { webkitdirectory: true }),
  kernelX: select('kernel-x', KERNELS),
  sigmaX: num('sigma-x', 'auto', { inputmode: 'text' }),
  rffX: num('rff-x', '', { placeholder: '1000' }),
  kernelY: select('kernel-y', KERNELS),
  sigmaY: num('sigma-y', 'auto', { inputmode: 'text' }),
  rffY: num('rff-y', '', { placeholder: '1000' }),
  method: select('method', [
    ['auto', 'auto (by size)'],
    ['exact', 'exact (n × n kernels)'],
    ['covariance', 'covariance (linear in n)'],
  ]),
  eta: num('eta', '1'),
  top: num('top', '10'),
  spm: num('samples-per-mode', '20'),
  seed: num('seed', '0'),
  objective: select('objective', [
    ['x-not-y', "x-not-y: λmax, the paper's"],
    ['norm', 'norm: max(λmax, −λmin), both directions'],
  ]),
  epochs: num('epochs', '100'),
  lr: num('lr', '0.03'),
  beta: num('beta', '0.0001'),
  batch: num('batch', '', { placeholder: 'min(training samples, 2000)' }),
  holdout: num('holdout', '0.2'),
  patience: num('patience', '10'),
  dim: num('dim', '', { placeholder: "Y's columns" }),
  bias: h('input', { id: 'bias', type: 'checkbox' }),
};

/** The chosen task. */
export const task = (): Task => (el.task.querySelector('input:checked') as HTMLInputElement | null)?.value as Task;

/** The files X and Y as chosen (an input, or a drop on the page). */
export const chosen: { x?: File; y?: File } = {};

const isArchive = (f?: File) => !!f && /\.npz$/i.test(f.name);
const isTable = (f?: File) => !!f && /\.(csv|tsv|tab)$/i.test(f.name);
const gaussianX = () => el.kernelX.value === 'gaussian';
const gaussianY = () => el.kernelY.value === 'gaussian';
const CMP_FINC: Task[] = ['compare', 'finc'];

const section = (title: string, cls: string, ...kids: HTMLElement[]) =>
  h('fieldset', { class: cls }, h('legend', {}, title), h('div', { class: 'grid' }, ...kids));

export const sections = [
  section(
    'Files',
    'files',
    field({ compare: 'X: embedding file', align: 'X: embedding file (the target grouping)', finc: 'X: the first set of samples', other: '' }, ALL, el.fileX),
    field(`X: ${FIELD.key}`, ALL, el.keyX, () => isArchive(chosen.x)),
    field(
      { compare: 'Y: embedding file', align: 'Y: embedding file (the side that is mapped)', finc: 'Y: the second set of samples', other: '' },
      ALL,
      el.fileY,
    ),
    field(`Y: ${FIELD.key}`, ALL, el.keyY, () => isArchive(chosen.y)),
    field(FIELD.header, ALL, el.header, () => isTable(chosen.x) || isTable(chosen.y)),
    field(FIELD.indexColumn, ALL, el.indexColumn, () => isTable(chosen.x) || isTable(chosen.y)),
    field({ finc: "labels of X's rows (optional, one per line)", other: 'labels of the samples (optional, one per line)' }, ALL, el.labelsX),
    field("labels of Y's rows (optional)", ['finc'], el.labelsY),
    field({ finc: "images of X's rows (optional)", other: 'images of the samples (optional)' }, ALL, imagePicker(el.imagesX, el.imagesXDir)),
    field("images of Y's rows (optional)", ['finc'], imagePicker(el.imagesY, el.imagesYDir)),
  ),
  section(
    'Kernels',
    'kernels',
    field({ compare: 'X: kernel', finc: 'kernel (both sets)', align: 'X: kernel (ψ(Y) always uses cosine)', other: '' }, ALL, el.kernelX),
    field({ finc: 'Gaussian σ (a number, or auto)', other: 'X: Gaussian σ (a number, or auto)' }, ALL, el.sigmaX, gaussianX),
    field({ finc: `${FIELD.rffDim} (covariance route)`, other: `X: ${FIELD.rffDim} (covariance route)` }, CMP_FINC, el.rffX, gaussianX),
    field('Y: kernel', ['compare'], el.kernelY, undefined, 'row-start'),
    field('Y: Gaussian σ (a number, or auto)', ['compare'], el.sigmaY, gaussianY),
    field(`Y: ${FIELD.rffDim} (covariance route)`, ['compare'], el.rffY, gaussianY),
  ),
  section(
    'Analysis',
    'analysis',
    field(FIELD.method, CMP_FINC, el.method),
    field({ finc: 'η (weight of Y in CX − η·CY)', other: 'η (weight of Y in KX − η·KY)' }, CMP_FINC, el.eta),
    field({ align: `${FIELD.topK} (before/after)`, other: FIELD.topK }, ALL, el.top),
    field(FIELD.samplesPerMode, ALL, el.spm),
    field({ align: 'seed (split, shuffles, σ auto)', other: 'seed (random features, σ auto)' }, ALL, el.seed),
  ),
  section(
    'Training the map',
    'training',
    field('objective', ['align'], el.objective),
    field('epochs (at most)', ['align'], el.epochs),
    field('learning rate (peak)', ['align'], el.lr),
    field('β (pull towards the initial map)', ['align'], el.beta),
    field('samples per mini-batch', ['align'], el.batch),
    field('held-out fraction', ['align'], el.holdout),
    field('patience (epochs)', ['align'], el.patience),
    field("output dimension d'", ['align'], el.dim),
    field('also learn a bias b', ['align'], el.bias),
  ),
];

/** Shows the fields that apply to the task and the inputs as chosen, with the task's labels. */
export function refresh(): void {
  const t = task();
  for (const f of fields) {
    f.box.hidden = !(f.tasks.includes(t) && (f.when?.() ?? true));
    f.title.textContent = typeof f.label === 'string' ? f.label : (f.label[t] ?? f.label.other);
  }
  for (const s of sections) s.hidden = !s.querySelector('.field:not([hidden])');
}

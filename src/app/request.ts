// The form's values as a run request, checked in the form's own words: a field left
// empty takes the library's default, as an option the CLI is not given.
import { chosen, el, task } from './form.js';
import { isListName } from './images.js';
import type { ImagePick, InFile, KernelName, RunRequest, SideKernel } from './protocol.js';
import { FIELD } from './wording.js';

/** A value the user must fix; its message goes to the page as is. */
export class FormError extends Error {}

const text = (e: HTMLInputElement | HTMLSelectElement) => e.value.trim();

function integer(e: HTMLInputElement, name: string, min: number): number | undefined {
  const s = text(e);
  if (s === '') return undefined;
  const v = Number(s);
  if (!Number.isInteger(v) || v < min) throw new FormError(`“${name}” must be a whole number ≥ ${min}, got '${s}'`);
  return v;
}

function number(e: HTMLInputElement, name: string, ok: (v: number) => boolean, what: string): number | undefined {
  const s = text(e);
  if (s === '') return undefined;
  const v = Number(s);
  if (!Number.isFinite(v) || !ok(v)) throw new FormError(`“${name}” must be ${what}, got '${s}'`);
  return v;
}

function sigma(e: HTMLInputElement, side: string): number | 'auto' {
  const s = text(e);
  if (s === '' || s.toLowerCase() === 'auto') return 'auto';
  const v = Number(s);
  if (!(Number.isFinite(v) && v > 0)) throw new FormError(`${side}Gaussian σ must be a positive number or auto, got '${s}'`);
  return v;
}

function kernel(k: HTMLSelectElement, s: HTMLInputElement, rff: HTMLInputElement | undefined, side: string): SideKernel {
  const type = k.value as KernelName;
  if (type !== 'gaussian') return { type };
  const m = rff ? integer(rff, `${side}${FIELD.rffDim}`, 1) : undefined;
  return { type, sigma: sigma(s, side), ...(m !== undefined ? { rffDim: m } : {}) };
}

async function read(f: File | undefined): Promise<InFile | undefined> {
  return f ? { name: f.name, bytes: await f.arrayBuffer() } : undefined;
}

/** The picked images (files, or a folder's files) and the list among them, if any. */
async function images(inputs: HTMLInputElement[], what: string): Promise<ImagePick | undefined> {
  const picked = inputs.flatMap((i) => Array.from(i.files ?? []));
  if (picked.length === 0) return undefined;
  const path = (f: File) => f.webkitRelativePath || f.name;
  const lists = picked.filter((f) => isListName(path(f)));
  if (lists.length > 1) throw new FormError(`${what}: pick at most one list file (${lists.map(path).join(', ')})`);
  const files = picked.filter((f) => !isListName(path(f)) && /\.(png|jpe?g|gif|webp)$/i.test(path(f))).map((f) => ({ path: path(f), blob: f as Blob }));
  if (files.length === 0) throw new FormError(`${what}: none of the picked files is a PNG, JPEG, GIF or WebP image`);
  return { files, ...(lists[0] ? { list: { name: lists[0].name, text: await lists[0].text() } } : {}) };
}

/** The run request the form describes; a FormError names the field to fix. */
export async function readRequest(): Promise<RunRequest> {
  const t = task();
  const fx = chosen.x,
    fy = chosen.y;
  if (!fx || !fy) throw new FormError(t === 'finc' ? 'Choose two files: the sets X and Y.' : 'Choose two files: X and Y.');
  for (const [side, f, key] of [
    ['X', fx, el.keyX],
    ['Y', fy, el.keyY],
  ] as const) {
    if (/\.npz$/i.test(f.name) && key.options.length > 1 && key.value === '')
      throw new FormError(`${f.name} holds ${key.options.length - 1} arrays: choose which is ${side} under “${side}: ${FIELD.key}”.`);
  }
  const compare = t === 'compare',
    align = t === 'align';
  const req: RunRequest = {
    task: t,
    x: (await read(fx))!,
    y: (await read(fy))!,
    kernelX: kernel(el.kernelX, el.sigmaX, align ? undefined : el.rffX, t === 'finc' ? '' : 'X: '),
    topK: integer(el.top, FIELD.topK, 1),
    samplesPerMode: integer(el.spm, FIELD.samplesPerMode, 1),
    seed: integer(el.seed, 'seed', 0),
  };
  const put = <K extends keyof RunRequest>(k: K, v: RunRequest[K] | undefined) => {
    if (v !== undefined) req[k] = v;
  };
  if (/\.npz$/i.test(fx.name)) put('keyX', el.keyX.value || undefined);
  if (/\.npz$/i.test(fy.name)) put('keyY', el.keyY.value || undefined);
  if (el.header.value) req.header = el.header.value === 'header';
  put('indexColumn', (el.indexColumn.value || undefined) as RunRequest['indexColumn']);
  put('labelsX', await read(el.labelsX.files?.[0]));
  put('imagesX', await images([el.imagesX, el.imagesXDir], t === 'finc' ? "X's images" : 'images'));
  if (t === 'finc') {
    put('labelsY', await read(el.labelsY.files?.[0]));
    put('imagesY', await images([el.imagesY, el.imagesYDir], "Y's images"));
  }
  if (compare) req.kernelY = kernel(el.kernelY, el.sigmaY, el.rffY, 'Y: ');
  if (!align) {
    req.method = el.method.value as RunRequest['method'];
    put(
      'eta',
      number(el.eta, 'η', (v) => v >= 0, 'a number ≥ 0'),
    );
  } else {
    req.objective = el.objective.value as RunRequest['objective'];
    put('epochs', integer(el.epochs, 'epochs', 1));
    put(
      'lr',
      number(el.lr, 'learning rate', (v) => v > 0, 'a number > 0'),
    );
    put(
      'beta',
      number(el.beta, 'β', (v) => v >= 0, 'a number ≥ 0'),
    );
    put('batch', integer(el.batch, 'samples per mini-batch', 2));
    put(
      'holdout',
      number(el.holdout, 'held-out fraction', (v) => v > 0 && v < 1, 'a fraction between 0 and 1'),
    );
    put('patience', integer(el.patience, 'patience', 1));
    put('dim', integer(el.dim, "output dimension d'", 1));
    if (el.bias.checked) req.bias = true;
  }
  return req;
}

// The app's Web Worker: parses the dropped files with the library's readers,
// runs compare / finc / align with the same wasm as Node, prepares the report
// data (maps, evidence) exactly as the CLI does, and posts it back. Cancelling
// terminates this worker.
import { init } from '../wasm/loader.js';
import { compare } from '../methods/compare.js';
import { finc } from '../methods/finc.js';
import { align } from '../methods/align/index.js';
import { extensionOf, parseMatrix, type ParsedMatrix } from '../io/matrix.js';
import { listNpzKeys } from '../io/npz.js';
import { clipInput } from '../io/quote.js';
import { parseLabels } from '../io/text-json.js';
import { matrixSource } from '../validate/source.js';
import { InputError } from '../errors.js';
import { OutputBudgetError, outputBudgetMessage } from '../score/modes.js';
import { fileJson, inputJson, sigmaChoice, toCliJson, type CliExtras } from '../report/json.js';
import { toFincCliJson } from '../report/finc-json.js';
import { alignJson } from '../report/align-json.js';
import { prepareAlignReport, prepareCompareReport, prepareFincReport, type ThumbFn } from '../report/data.js';
import type { ProgressEvent } from '../types/index.js';
import { alignOptions, compareOptions, fincOptions, parseOptions, sigmaIsAuto } from './options.js';
import { imageThumbs, rowImages } from './images.js';
import { FIELD, appWording } from './wording.js';
import type { ImagePick, RunRequest, WorkerMessage } from './protocol.js';

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);
const STAGE_SHARE = 0.8; // of the bar for the analysis; the rest is the report's layouts

function onProgress(e: ProgressEvent): void {
  post({ type: 'progress', stage: e.stage, fraction: STAGE_SHARE * (e.total > 0 ? e.done / e.total : 0), message: e.message });
}

function labelsOf(f: RunRequest['labelsX'], rows: number): string[] | undefined {
  if (!f) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(f.bytes);
  } catch {
    throw new InputError('is not valid UTF-8 text', f.name);
  }
  return parseLabels(text, f.name, rows);
}

/** One input; an archive of several arrays needs the form's choice (said in the form's words). */
function readInput(req: RunRequest, side: 'x' | 'y'): ParsedMatrix {
  const f = side === 'x' ? req.x : req.y;
  const bytes = new Uint8Array(f.bytes);
  const opts = parseOptions(req, side);
  if (extensionOf(f.name) === '.npz' && opts.key === undefined) {
    const keys = listNpzKeys(bytes, f.name);
    if (keys.length > 1)
      throw new InputError(
        `the archive holds ${keys.length} arrays (${keys.map((k) => `'${clipInput(k)}'`).join(', ')}); choose which is ${side.toUpperCase()} under “${side.toUpperCase()}: ${FIELD.key}”`,
        f.name,
      );
  }
  return parseMatrix(bytes, f.name, opts);
}

/** A dedicated worker reads a picked image synchronously, when the report asks for its thumbnail. */
function readBlobSync(b: Blob): Uint8Array {
  const R = (globalThis as { FileReaderSync?: new () => { readAsArrayBuffer(b: Blob): ArrayBuffer } }).FileReaderSync;
  return R ? new Uint8Array(new R().readAsArrayBuffer(b)) : new Uint8Array(0);
}

function thumbsOf(pick: ImagePick | undefined, rows: number, set: 0 | 1, what: string, notes: string[]): ThumbFn | undefined {
  if (!pick || pick.files.length === 0) return undefined;
  const r = rowImages(pick, rows, what);
  if (r.note) notes.push(r.note);
  return imageThumbs(pick, r, set, readBlobSync);
}

/** Both thumbnail sources as one function (finc: X's rows are set 0, Y's set 1). */
const bothThumbs = (a?: ThumbFn, b?: ThumbFn): ThumbFn | undefined => (a || b ? (s, i) => a?.(s, i) ?? b?.(s, i) ?? null : undefined);

async function run(req: RunRequest): Promise<void> {
  await init();
  post({ type: 'progress', stage: 'reading files', fraction: 0 });
  const X = readInput(req, 'x');
  const Y = readInput(req, 'y');
  const inputs = { X: inputJson(X.table), Y: inputJson(Y.table) };
  const names = { xName: req.x.name, yName: req.y.name, seed: req.seed ?? 0 };
  const layoutProgress = (message: string, f: number) => post({ type: 'progress', stage: 'report', fraction: STAGE_SHARE + (1 - STAGE_SHARE) * f, message });
  const notes: string[] = [];
  const files = { X: fileJson(req.x.name, X), Y: fileJson(req.y.name, Y) };
  if (req.task === 'compare') {
    if (X.rows !== Y.rows)
      throw new InputError(
        `row counts differ: X ${req.x.name} has ${X.rows} rows but Y ${req.y.name} has ${Y.rows} rows (row i of both must describe sample i)`,
      );
    const labels = labelsOf(req.labelsX, X.rows);
    const thumb = thumbsOf(req.imagesX, X.rows, 0, 'images', notes);
    // As the CLI: per-sample scores only when the labels' agreement needs them.
    const result = await compare(X, Y, { ...compareOptions(req), ...(labels ? { returnScores: true } : {}), onProgress });
    const auto = { x: sigmaIsAuto(req.kernelX), y: sigmaIsAuto(req.kernelY ?? req.kernelX) };
    const extras: CliExtras = { seed: req.seed ?? 0, sigma: { X: sigmaChoice(result.kernelX, auto.x), Y: sigmaChoice(result.kernelY, auto.y) }, files };
    const data = await prepareCompareReport(result, toCliJson(result, labels, inputs, extras), matrixSource(X, 'X'), matrixSource(Y, 'Y'), labels, {
      ...names,
      sigmaAuto: auto,
      onProgress: layoutProgress,
      ...(thumb ? { thumb } : {}),
    });
    post({ type: 'done', data: { ...data, local: true }, notes: [...notes, ...(result.notes ?? []).map(appWording)] });
  } else if (req.task === 'finc') {
    if (X.cols !== Y.cols)
      throw new InputError(
        `dimensions differ: X ${req.x.name} has ${X.cols} columns but Y ${req.y.name} has ${Y.cols}; finc compares two sets under the same embedding`,
      );
    const labels = { x: labelsOf(req.labelsX, X.rows), y: labelsOf(req.labelsY, Y.rows) };
    const thumb = bothThumbs(thumbsOf(req.imagesX, X.rows, 0, "X's images", notes), thumbsOf(req.imagesY, Y.rows, 1, "Y's images", notes));
    const result = await finc(X, Y, { ...fincOptions(req), ...(labels.x || labels.y ? { returnScores: true } : {}), onProgress });
    const auto = sigmaIsAuto(req.kernelX);
    const sigma = sigmaChoice(result.kernel, auto);
    const extras: CliExtras = { seed: req.seed ?? 0, sigma: { X: sigma, Y: sigma }, files };
    const data = await prepareFincReport(result, toFincCliJson(result, labels, inputs, extras), matrixSource(X, 'X'), matrixSource(Y, 'Y'), labels, {
      ...names,
      sigmaAuto: { x: auto },
      onProgress: layoutProgress,
      ...(thumb ? { thumb } : {}),
    });
    post({ type: 'done', data: { ...data, local: true }, notes: [...notes, ...(result.notes ?? []).map(appWording)] });
  } else {
    if (X.rows !== Y.rows) throw new InputError(`row counts differ: X ${req.x.name} has ${X.rows} rows but Y ${req.y.name} has ${Y.rows} rows`);
    const labels = labelsOf(req.labelsX, X.rows);
    const thumb = thumbsOf(req.imagesX, X.rows, 0, 'images', notes);
    const result = await align(X, Y, { ...alignOptions(req), onProgress });
    const data = prepareAlignReport(alignJson(result, { labels, inputs }), { ...names, ...(thumb ? { thumb } : {}) });
    const map = { W: result.W, dim: result.dim, dy: result.dy, ...(result.bias ? { bias: result.bias } : {}) };
    post({ type: 'done', data: { ...data, local: true }, map, notes });
  }
}

/** The message the page shows: the app's words, never a command-line flag. */
export function errorMessage(err: unknown): string {
  if (err instanceof OutputBudgetError)
    return outputBudgetMessage(err.topK, err.samplesPerMode, err.dim, err.rows, { topK: `“${FIELD.topK}”`, samplesPerMode: `“${FIELD.samplesPerMode}”` });
  return appWording(err instanceof Error ? err.message : String(err));
}

self.onmessage = (e: MessageEvent<RunRequest>) => {
  run(e.data).catch((err: unknown) => post({ type: 'error', message: errorMessage(err) }));
};

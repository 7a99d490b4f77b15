// The app's Web Worker: parses the dropped files with the library's readers,
// runs compare / finc / align with the same wasm as Node, prepares the report
// data (maps, evidence) exactly as the CLI does, and posts it back. Cancelling
// terminates this worker.
import { init } from '../wasm/loader.js';
import { compare } from '../methods/compare.js';
import { finc } from '../methods/finc.js';
import { align } from '../methods/align/index.js';
import { parseMatrix } from '../io/matrix.js';
import { parseLabels } from '../io/text-json.js';
import { matrixSource } from '../validate/source.js';
import { InputError } from '../errors.js';
import { fileJson, inputJson, sigmaChoice, toCliJson, type CliExtras } from '../report/json.js';
import { toFincCliJson } from '../report/finc-json.js';
import { alignJson } from '../report/align-json.js';
import { prepareAlignReport, prepareCompareReport, prepareFincReport } from '../report/data.js';
import type { KernelOption, ProgressEvent } from '../types/index.js';
import type { RunRequest, WorkerMessage } from './protocol.js';

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

async function run(req: RunRequest): Promise<void> {
  await init();
  post({ type: 'progress', stage: 'reading files', fraction: 0 });
  const opt = req.key ? { key: req.key } : {};
  const X = parseMatrix(new Uint8Array(req.x.bytes), req.x.name, opt);
  const Y = parseMatrix(new Uint8Array(req.y.bytes), req.y.name, opt);
  const inputs = { X: inputJson(X.table), Y: inputJson(Y.table) };
  const kernel: KernelOption = req.kernel === 'gaussian' ? { type: 'gaussian', sigma: req.sigma, ...(req.rffDim ? { rffDim: req.rffDim } : {}) } : req.kernel;
  const common = {
    ...(req.eta !== undefined ? { eta: req.eta } : {}),
    ...(req.topK !== undefined ? { topK: req.topK } : {}),
    ...(req.samplesPerMode !== undefined ? { samplesPerMode: req.samplesPerMode } : {}),
    ...(req.method !== undefined ? { method: req.method } : {}),
    ...(req.seed !== undefined ? { seed: req.seed } : {}),
    onProgress,
  };
  const names = { xName: req.x.name, yName: req.y.name, seed: req.seed ?? 0 };
  const layoutProgress = (message: string, f: number) => post({ type: 'progress', stage: 'report', fraction: STAGE_SHARE + (1 - STAGE_SHARE) * f, message });
  const sigmaAuto = req.kernel === 'gaussian' && req.sigma === 'auto';
  if (req.task === 'compare') {
    if (X.rows !== Y.rows)
      throw new InputError(
        `row counts differ: X ${req.x.name} has ${X.rows} rows but Y ${req.y.name} has ${Y.rows} rows (row i of both must describe sample i)`,
      );
    const labels = labelsOf(req.labelsX, X.rows);
    // As the CLI: per-sample scores only when the labels' agreement needs them.
    const result = await compare(X, Y, { kernel, ...common, ...(labels ? { returnScores: true } : {}) });
    const extras: CliExtras = {
      seed: req.seed ?? 0,
      sigma: { X: sigmaChoice(result.kernelX, sigmaAuto), Y: sigmaChoice(result.kernelY, sigmaAuto) },
      files: { X: fileJson(req.x.name, X), Y: fileJson(req.y.name, Y) },
    };
    const data = await prepareCompareReport(result, toCliJson(result, labels, inputs, extras), matrixSource(X, 'X'), matrixSource(Y, 'Y'), labels, {
      ...names,
      sigmaAuto: { x: sigmaAuto, y: sigmaAuto },
      onProgress: layoutProgress,
    });
    post({ type: 'done', data: { ...data, local: true } });
  } else if (req.task === 'finc') {
    if (X.cols !== Y.cols)
      throw new InputError(
        `dimensions differ: X ${req.x.name} has ${X.cols} columns but Y ${req.y.name} has ${Y.cols}; finc compares two sets under the same embedding`,
      );
    const labels = { x: labelsOf(req.labelsX, X.rows), y: labelsOf(req.labelsY, Y.rows) };
    const result = await finc(X, Y, { kernel, ...common, ...(labels.x || labels.y ? { returnScores: true } : {}) });
    const sigma = sigmaChoice(result.kernel, sigmaAuto);
    const extras: CliExtras = { seed: req.seed ?? 0, sigma: { X: sigma, Y: sigma }, files: { X: fileJson(req.x.name, X), Y: fileJson(req.y.name, Y) } };
    const data = await prepareFincReport(result, toFincCliJson(result, labels, inputs, extras), matrixSource(X, 'X'), matrixSource(Y, 'Y'), labels, {
      ...names,
      sigmaAuto: { x: sigmaAuto },
      onProgress: layoutProgress,
    });
    post({ type: 'done', data: { ...data, local: true } });
  } else {
    if (X.rows !== Y.rows) throw new InputError(`row counts differ: X ${req.x.name} has ${X.rows} rows but Y ${req.y.name} has ${Y.rows} rows`);
    const result = await align(X, Y, {
      kernel: req.kernel === 'gaussian' ? { type: 'gaussian', sigma: req.sigma } : req.kernel,
      ...(req.epochs !== undefined ? { epochs: req.epochs } : {}),
      ...(req.lr !== undefined ? { lr: req.lr } : {}),
      ...(req.topK !== undefined ? { topK: req.topK } : {}),
      ...(req.samplesPerMode !== undefined ? { samplesPerMode: req.samplesPerMode } : {}),
      ...(req.seed !== undefined ? { seed: req.seed } : {}),
      onProgress,
    });
    post({ type: 'done', data: { ...prepareAlignReport(alignJson(result), names), local: true } });
  }
}

self.onmessage = (e: MessageEvent<RunRequest>) => {
  run(e.data).catch((err: unknown) => {
    const message = err instanceof InputError || err instanceof Error ? err.message : String(err);
    post({ type: 'error', message });
  });
};

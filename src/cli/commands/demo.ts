// spec-embed demo: the three tasks on real data, the MNIST digits of the 'mnist'
// package. compare: raw pixels vs a gradient-orientation descriptor of the same
// digits; finc: all digits vs the same model's output with one class missing;
// align: learn a map of the descriptor onto the pixels' clusters.
import { SIGNIFICANCE_OPTIONS, significanceOption, withCostNote } from '../significance.js';
import type { SignificanceOptions } from '../../types/significance.js';
import { align, type AlignResult } from '../../methods/align/index.js';
import { compare } from '../../methods/compare.js';
import { finc } from '../../methods/finc.js';
import { init } from '../../wasm/loader.js';
import { DemoDataUnavailable, hogMatrix, loadMnistPackage, pixelMatrix, selectDigits, type DigitSet, type MnistDigit } from '../../demo/mnist.js';
import { imageThumbs, prepareAlignReport, prepareCompareReport, prepareFincReport, reportHtml, workerLayouts } from '../../report/index.js';
import { matrixSource } from '../../validate/source.js';
import type { CompareOptions, Matrix } from '../../types/index.js';
import { UsageError, parseChoice, parseInteger } from '../args.js';
import type { Command } from '../command.js';
import { formatHuman, modeSummaryLines, terminalSafe } from '../format.js';
import { fileJson, toCliJson, type CliExtras } from '../../report/json.js';
import { formatFincHuman } from '../finc-output.js';
import { toFincCliJson } from '../../report/finc-json.js';
import { alignJson, alignHuman } from './align.js';
import { createProgress, type Progress } from '../progress.js';
import { METHODS, checkOutputs, flag, stringOption } from '../shared.js';
import { ALIGN_OBJECTIVES } from '../../validate/option-names.js';
import type { AlignObjective } from '../../types/align.js';
import { writeOutput } from '../files.js';

const TASKS = ['compare', 'finc', 'align', 'all'] as const;
type Task = (typeof TASKS)[number];
const DEFAULT_RFF = 500;
const DEFAULT_TOP = 8;
/** The class the finc scene removes from Y. */
const HELD_OUT_DIGIT = '7';
const FINC_SET = 5000;
const ALIGN_SET = 3000;
/** Points per report map: UMAP of 3,000 MNIST rows takes ~3 s, keeping the whole demo well under 30 s. */
const MAP_POINTS = 3000;

const defaultPath = (task: Exclude<Task, 'all'>, ext: 'html' | 'json') => (task === 'compare' ? `spec-embed-demo.${ext}` : `spec-embed-demo-${task}.${ext}`);

export const demoCommand: Command = {
  name: 'demo',
  summary: 'compare, finc and align on MNIST digits (built-in real data); writes reports',
  usage: `usage: spec-embed demo [--task compare|finc|align|all] [options]

Runs spec-embed on the 10,000 MNIST digits of the 'mnist' package (a development
dependency), taken in a fixed seeded order:
  compare  X = the raw 28 × 28 pixels (784 values), Y = a HOG-like descriptor (gradient
           orientations in 9 bins over 4 × 4 cells, 144 values) of the same 10,000 digits,
           Gaussian kernels (σ = auto) on the covariance route: which digits does each
           representation group that the other does not?
  finc     one embedding (pixels), two sample sets: X = ${FINC_SET} digits of every class,
           Y = ${FINC_SET} other digits with every ${HELD_OUT_DIGIT} removed: the top mode novel in X
           must be the ${HELD_OUT_DIGIT}s.
  align    learn W (144 × 144) so that the cosine kernel of W·HOG groups ${ALIGN_SET} digits as
           the pixels' Gaussian kernel does; held-out SPEC-diff before and after in both
           directions (x-not-y, the paper's objective, falls; y-not-x and the norm rise:
           --objective norm minimises the norm instead).
Each task prints its table and writes an HTML report and its --json object:
spec-embed-demo.html/.json (compare), spec-embed-demo-finc.*, spec-embed-demo-align.*.`,
  options: [
    { name: 'task', value: 'T', help: 'compare, finc, align or all (default all)' },
    { name: 'out', value: 'FILE', help: 'HTML report path (one task only; default spec-embed-demo[-task].html)' },
    { name: 'json-out', value: 'FILE', help: 'JSON result path (one task only; default spec-embed-demo[-task].json)' },
    { name: 'json', help: 'print the JSON object (with --task all: one object keyed by task) instead of the tables' },
    { name: 'top', value: 'K', help: `modes per side (default ${DEFAULT_TOP})` },
    { name: 'samples-per-mode', value: 'N', help: 'top samples per mode (default 20)' },
    { name: 'rff-dim', value: 'M', help: `random Fourier frequencies per side (default ${DEFAULT_RFF})` },
    { name: 'method', value: 'M', help: 'auto, exact or covariance (compare; default covariance)' },
    { name: 'epochs', value: 'N', help: 'align epochs (default 40)' },
    { name: 'objective', value: 'O', help: "align objective: x-not-y (default, the paper's) or norm" },
    { name: 'seed', value: 'N', help: 'seed for the digit order, random features and σ (default 0)' },
    ...SIGNIFICANCE_OPTIONS.map((o) => ({ ...o, help: `${o.help} (compare and finc scenes)` })),
    { name: 'limit', value: 'N', help: 'use only the first N digits (for quick runs)', hidden: true },
  ],
  positionals: { min: 0, max: 0, names: 'no arguments' },
  async run(args) {
    const get = (n: string) => stringOption(args, n);
    const task: Task = get('task') !== undefined ? parseChoice('task', get('task')!, TASKS) : 'all';
    if (task === 'all' && (get('out') !== undefined || get('json-out') !== undefined)) {
      throw new UsageError('--out and --json-out name one file: use them with --task compare, finc or align');
    }
    // Every file the tasks will write, defaults included: `--out spec-embed-demo.json` must not be the JSON result too.
    const taskList: Exclude<Task, 'all'>[] = task === 'all' ? ['compare', 'finc', 'align'] : [task];
    checkOutputs(
      args,
      [],
      [],
      taskList.flatMap((t) => [
        { role: get('out') !== undefined ? '--out' : `the ${t} report`, path: get('out') ?? defaultPath(t, 'html') },
        { role: get('json-out') !== undefined ? '--json-out' : `the ${t} JSON result`, path: get('json-out') ?? defaultPath(t, 'json') },
      ]),
    );
    const s: Settings = {
      topK: get('top') !== undefined ? parseInteger('top', get('top')!, 1) : DEFAULT_TOP,
      samplesPerMode: get('samples-per-mode') !== undefined ? parseInteger('samples-per-mode', get('samples-per-mode')!, 1) : 20,
      rffDim: get('rff-dim') !== undefined ? parseInteger('rff-dim', get('rff-dim')!, 1) : DEFAULT_RFF,
      method: get('method') !== undefined ? parseChoice('method', get('method')!, METHODS) : 'covariance',
      epochs: get('epochs') !== undefined ? parseInteger('epochs', get('epochs')!, 1) : 40,
      objective: get('objective') !== undefined ? parseChoice('objective', get('objective')!, ALIGN_OBJECTIVES) : 'x-not-y',
      seed: get('seed') !== undefined ? parseInteger('seed', get('seed')!, 0) : 0,
      limit: get('limit') !== undefined ? parseInteger('limit', get('limit')!, 20) : Infinity,
      significance: significanceOption(args),
    };
    const tasks: Exclude<Task, 'all'>[] = task === 'all' ? ['compare', 'finc', 'align'] : [task];
    const progress = createProgress();
    try {
      let digits: MnistDigit[];
      try {
        digits = loadMnistPackage();
      } catch (err) {
        if (err instanceof DemoDataUnavailable) throw new UsageError(err.message);
        throw err;
      }
      await init();
      const objects: Record<string, unknown> = {};
      const texts: string[] = [];
      for (const t of tasks) {
        const paths = { html: get('out') ?? defaultPath(t, 'html'), json: get('json-out') ?? defaultPath(t, 'json') };
        const scene = await SCENES[t](digits, s, progress);
        progress.stop();
        writeOutput(paths.json, `${JSON.stringify(scene.json, null, 1)}\n`, 'JSON result');
        writeOutput(paths.html, scene.html, 'report');
        objects[t] = scene.json;
        texts.push(`${scene.text}\nwrote ${terminalSafe(paths.html)} and ${terminalSafe(paths.json)}\n`);
      }
      if (flag(args, 'json')) process.stdout.write(`${JSON.stringify(tasks.length === 1 ? objects[tasks[0]] : objects)}\n`);
      else process.stdout.write(texts.join('\n'));
      return 0;
    } finally {
      progress.stop();
    }
  },
};

interface Settings {
  topK: number;
  samplesPerMode: number;
  rffDim: number;
  method: 'auto' | 'exact' | 'covariance';
  epochs: number;
  /** The align scene's objective. */
  objective: AlignObjective;
  seed: number;
  limit: number;
  /** --splits / --bootstrap (compare and finc scenes). */
  significance?: SignificanceOptions;
}

interface Scene {
  json: unknown;
  html: string;
  text: string;
}

const thumbnails = (set: DigitSet) => ({
  width: set.width,
  height: set.height,
  range: [0, 1] as [number, number],
  invert: true,
  pixels: (i: number) => set.pixels.subarray(i * 784, (i + 1) * 784),
});

const SCENES: Record<Exclude<Task, 'all'>, (digits: MnistDigit[], s: Settings, p: Progress) => Promise<Scene>> = {
  async compare(digits, s, progress) {
    const set = selectDigits(digits, s.limit, s.seed);
    const X = pixelMatrix(set),
      Y = hogMatrix(set);
    progress.note(`demo compare: ${set.n} MNIST digits; X = raw pixels (${X.cols}), Y = gradient-orientation histograms (${Y.cols})`);
    const options: CompareOptions = {
      kernelX: { type: 'gaussian', sigma: 'auto', rffDim: s.rffDim },
      kernelY: { type: 'gaussian', sigma: 'auto', rffDim: s.rffDim },
      method: s.method,
      topK: s.topK,
      samplesPerMode: s.samplesPerMode,
      seed: s.seed,
      ...(s.significance ? { significance: s.significance } : {}),
      // the labels' agreement needs every sample's scores, as in the CLI's compare with --labels
      returnScores: true,
      onProgress: withCostNote(progress.onProgress, progress.note),
    };
    const result = await compare(X, Y, options);
    const extras: CliExtras = { seed: s.seed, sigma: { X: 'auto', Y: 'auto' }, files: { X: fileJson('MNIST pixels', X), Y: fileJson('MNIST HOG', Y) } };
    const cliJson = toCliJson(result, set.labels, undefined, extras);
    progress.note('demo compare: laying out the maps (UMAP) and computing per-mode evidence');
    const html = reportHtml(
      await prepareCompareReport(result, cliJson, matrixSource(X, 'X'), matrixSource(Y, 'Y'), set.labels, {
        onProgressEvent: progress.onProgress,
        layoutRunner: workerLayouts,
        title: 'spec-embed demo: MNIST pixels vs gradient histograms',
        xName: 'pixels',
        yName: 'HOG',
        description:
          `${set.n} MNIST digits. X = raw 28 × 28 pixels, Y = a HOG-like descriptor (gradient orientations in 9 bins over 4 × 4 cells), ` +
          `both with a Gaussian kernel (σ = median pairwise distance). Side-x modes are groups of digits that look alike pixel by pixel ` +
          `but not in stroke directions; side-y modes share stroke directions but not pixel positions.`,
        thumb: imageThumbs({ x: thumbnails(set) }),
        sigmaAuto: { x: true, y: true },
        seed: s.seed,
        maxPoints: MAP_POINTS,
      }),
    );
    const table = formatHuman(result, { xName: 'pixels (784)', yName: 'HOG (144)', labels: set.labels, sigmaAutoX: true, sigmaAutoY: true });
    return { json: cliJson, html, text: `${table}\n${modeSummaryLines(result, set.labels).join('\n')}\n` };
  },

  async finc(digits, s, progress) {
    // Two disjoint halves of the shuffled digits: X keeps every class, Y drops one.
    const all = selectDigits(digits, Math.min(s.limit, 2 * FINC_SET), s.seed);
    const half = Math.floor(all.n / 2);
    const xIdx = range(0, half);
    const yIdx = range(half, all.n).filter((i) => all.labels[i] !== HELD_OUT_DIGIT);
    const xs = subsetDigits(all, xIdx),
      ys = subsetDigits(all, yIdx);
    progress.note(`demo finc: X = ${xs.n} digits of every class, Y = ${ys.n} digits without any ${HELD_OUT_DIGIT}; one embedding (pixels)`);
    const PX = pixelMatrix(xs),
      PY = pixelMatrix(ys);
    const result = await finc(PX, PY, {
      kernel: { type: 'gaussian', sigma: 'auto', rffDim: s.rffDim },
      topK: s.topK,
      samplesPerMode: s.samplesPerMode,
      seed: s.seed,
      ...(s.significance ? { significance: s.significance } : {}),
      returnScores: true,
      onProgress: withCostNote(progress.onProgress, progress.note),
    });
    const labels = { x: xs.labels, y: ys.labels };
    const fincExtras: CliExtras = {
      seed: s.seed,
      sigma: { X: 'auto', Y: 'auto' },
      files: { X: fileJson('MNIST pixels, all digits', PX), Y: fileJson(`MNIST pixels, no ${HELD_OUT_DIGIT}s`, PY) },
    };
    const fincJson = toFincCliJson(result, labels, undefined, fincExtras);
    progress.note('demo finc: laying out the pooled sets (UMAP)');
    const html = reportHtml(
      await prepareFincReport(result, fincJson, matrixSource(PX, 'X'), matrixSource(PY, 'Y'), labels, {
        onProgressEvent: progress.onProgress,
        title: `spec-embed demo: FINC — what X has that Y lacks (Y has no ${HELD_OUT_DIGIT}s)`,
        xName: `all digits (${xs.n})`,
        yName: `no ${HELD_OUT_DIGIT}s (${ys.n})`,
        thumb: imageThumbs({ x: thumbnails(xs), y: thumbnails(ys) }),
        sigmaAuto: { x: true },
        seed: s.seed,
        maxPoints: MAP_POINTS,
      }),
    );
    return {
      json: fincJson,
      html,
      text: formatFincHuman(result, { xName: 'all digits', yName: `no ${HELD_OUT_DIGIT}s`, labels, sigmaAuto: true }),
    };
  },

  async align(digits, s, progress) {
    const set = selectDigits(digits, Math.min(s.limit, ALIGN_SET), s.seed);
    const X: Matrix = pixelMatrix(set),
      Y = hogMatrix(set);
    progress.note(
      `demo align: ${set.n} digits; learn W (${Y.cols} × ${Y.cols}) so that cos(W·HOG) groups digits as the pixels' Gaussian kernel does (objective ${s.objective})`,
    );
    const result: AlignResult = await align(X, Y, {
      // A gentler step than align's default: 0.003 descends smoothly here (0.03 overshoots after one epoch).
      kernel: { type: 'gaussian', sigma: 'auto' },
      epochs: s.epochs,
      lr: 0.003,
      seed: s.seed,
      topK: s.topK,
      samplesPerMode: s.samplesPerMode,
      objective: s.objective,
      onProgress: withCostNote(progress.onProgress, progress.note),
    });
    const json = alignJson(result, { labels: set.labels });
    const html = reportHtml(
      prepareAlignReport(json, {
        title: 'spec-embed demo: SPEC-align of HOG descriptors to MNIST pixels',
        xName: 'pixels',
        yName: 'HOG',
        description:
          `${set.n} MNIST digits. X = raw 28 × 28 pixels (Gaussian kernel, σ = median pairwise distance), Y = the HOG-like descriptor; ` +
          `W is learnt on ${result.nTrain} of them and the SPEC-diff before and after is measured on the other ${result.nHoldout}.`,
        thumb: imageThumbs({ x: thumbnails(set) }),
      }),
    );
    return { json, html, text: alignHuman(result, 'pixels', 'HOG', set.labels) };
  },
};

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

function subsetDigits(set: DigitSet, idx: number[]): DigitSet {
  const pixels = new Float32Array(idx.length * 784);
  idx.forEach((i, k) => pixels.set(set.pixels.subarray(i * 784, (i + 1) * 784), k * 784));
  return { n: idx.length, width: set.width, height: set.height, pixels, labels: idx.map((i) => set.labels[i]), source: idx.map((i) => set.source[i]) };
}

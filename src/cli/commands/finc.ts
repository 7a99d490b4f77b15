// spec-embed finc X Y [options]: sample types over-represented in one of two
// unpaired sets embedded alike (FINC), and SPEC-diff of CX − η·CY.
import { PERMUTATION_OPTION, SIGNIFICANCE_OPTIONS, significanceFlags, withCostNote } from '../significance.js';
import { fincSources } from '../../methods/finc.js';
import type { FincOptions, FincResult } from '../../types/finc.js';
import type { KernelOption } from '../../types/index.js';
import { init } from '../../wasm/loader.js';
import { prepareFincReport, reportHtml } from '../../report/index.js';
import type { ThumbFn } from '../../report/data.js';
import { writeOutput } from '../files.js';
import type { Command } from '../command.js';
import { flagNote, withFlagNames } from '../budget.js';
import { UsageError, parseChoice, parseInteger, parseNumber, parseSigma, type ParsedArgs } from '../args.js';
import { createProgress } from '../progress.js';
import { formatFincHuman } from '../finc-output.js';
import { toFincCliJson, type FincCliJson } from '../../report/finc-json.js';
import { fileJson, sigmaChoice, type CliExtras } from '../../report/json.js';
import { writeScores } from '../scores.js';
import {
  KERNELS,
  METHODS,
  SOLVERS,
  OUTPUT_OPTIONS,
  TABLE_OPTIONS,
  checkOutputs,
  displayName,
  flag,
  imageThumbs,
  inputFiles,
  inputJson,
  inputKeys,
  noteTable,
  readLabelFile,
  stringOption,
  tableOptions,
} from '../shared.js';
import { openEmbedding } from './compare.js';

/**
 * compare's per-side spellings: FINC has one kernel for both sets, so they are accepted as
 * synonyms of --kernel / --sigma when every value given agrees (DESIGN's "same options").
 */
const ALIASES: Record<string, string[]> = { kernel: ['kernel', 'kernel-x', 'kernel-y'], sigma: ['sigma', 'sigma-x', 'sigma-y'] };

/** The one value of an option given under any of its spellings, or a usage error if they differ. */
function oneValue(args: ParsedArgs, names: string[]): { name: string; value: string } | undefined {
  const given = names.filter((n) => stringOption(args, n) !== undefined).map((n) => ({ name: n, value: stringOption(args, n)! }));
  for (const g of given.slice(1)) {
    if (g.value !== given[0].value) {
      throw new UsageError(`--${given[0].name} ${given[0].value} and --${g.name} ${g.value} differ: finc uses one kernel for both sets`);
    }
  }
  return given[0];
}

export const fincCommand: Command = {
  name: 'finc',
  summary: 'sample types over-represented in one of two unpaired sets under one embedding (FINC)',
  usage: `usage: spec-embed finc X Y [options]

X (nx × d) and Y (ny × d) are two sets of samples under the same embedding (nx and
ny may differ), in .npy, .npz (--key), .csv/.tsv, .json or .jsonl files. Prints the
modes of CX − η·CY: side x (λ > 0) are sample types over-represented in X, with top
samples from X; side y (λ < 0) over-represented in Y, with top samples from Y; each
with its share vᵀCv in both sets, and SPEC-diff.`,
  notes: `Exit codes: 0 done, 2 bad usage or bad input, 1 internal error.
Progress and notes go to stderr; with --json stdout holds exactly one JSON object.`,
  options: [
    { name: 'kernel', value: 'K', help: 'kernel of both sets: cosine (default), gaussian or linear' },
    { name: 'sigma', value: 'S|auto', help: 'Gaussian σ (default auto: median pairwise distance over ≤ 1000 rows of both sets pooled)' },
    { name: 'rff-dim', value: 'M', help: 'random Fourier frequencies of the Gaussian on the covariance route (default 1000)' },
    { name: 'eta', value: 'E', help: 'weight η ≥ 0 of Y in CX − η·CY (default 1)' },
    { name: 'top', value: 'K', help: 'modes per side (default 10)' },
    { name: 'method', value: 'M', help: 'auto (default), exact (pooled kernel matrix, nx + ny ≤ 4000) or covariance' },
    { name: 'solver', value: 'S', help: 'covariance route: auto (default: a cost model picks), syrk (form the covariances) or matrix-free' },
    { name: 'seed', value: 'N', help: 'seed for random features and σ-auto sampling (default 0)' },
    { name: 'samples-per-mode', value: 'N', help: 'top samples listed per mode (default 20)' },
    { name: 'threads', value: 'N', help: 'worker threads for the covariance route (default: cores, at most 8; 1: no workers)' },
    PERMUTATION_OPTION,
    ...SIGNIFICANCE_OPTIONS,
    { name: 'labels', value: 'FILE', help: 'one label per row of X (text, one per line, or a JSON array)' },
    { name: 'labels-y', value: 'FILE', help: 'one label per row of Y' },
    { name: 'key', value: 'NAME', help: 'array name inside .npz inputs (both X and Y)' },
    { name: 'key-x', value: 'NAME', help: 'array name inside the .npz X (overrides --key)' },
    { name: 'key-y', value: 'NAME', help: 'array name inside the .npz Y (overrides --key)' },
    ...TABLE_OPTIONS,
    ...OUTPUT_OPTIONS,
    { name: 'images', value: 'FILE', help: 'one image path per row of X, embedded as report thumbnails (URLs are not fetched)' },
    { name: 'images-y', value: 'FILE', help: 'one image path per row of Y' },
    {
      name: 'scores',
      value: 'FILE',
      help: "write X's scores on the side-x modes: an nx × modes float32 .npy, columns in the order of the modes (holds them in memory as f64)",
    },
    { name: 'scores-y', value: 'FILE', help: "write Y's scores on the side-y modes: an ny × modes float32 .npy" },
    { name: 'kernel-x', value: 'K', help: 'same as --kernel (one kernel for both sets)', hidden: true },
    { name: 'kernel-y', value: 'K', help: 'same as --kernel', hidden: true },
    { name: 'sigma-x', value: 'S|auto', help: 'same as --sigma', hidden: true },
    { name: 'sigma-y', value: 'S|auto', help: 'same as --sigma', hidden: true },
  ],
  positionals: { min: 2, max: 2, names: 'two embedding files X and Y' },
  async run(args) {
    const [xPath, yPath] = args.positionals;
    const { options, sigmaAuto } = fincSettings(args);
    const significance = significanceFlags(args);
    if (significance) options.significance = significance;
    const outputs = checkOutputs(args, ['out', 'scores', 'scores-y'], inputFiles(args, ['labels', 'labels-y', 'images', 'images-y']));
    const scoresX = stringOption(args, 'scores'),
      scoresY = stringOption(args, 'scores-y');
    const keys = inputKeys(args);
    const table = tableOptions(args);
    const labelsXPath = stringOption(args, 'labels');
    const labelsYPath = stringOption(args, 'labels-y');
    const json = flag(args, 'json');
    const outPath = stringOption(args, 'out');
    const imagesX = stringOption(args, 'images'),
      imagesY = stringOption(args, 'images-y');
    if ((imagesX !== undefined || imagesY !== undefined) && outPath === undefined)
      throw new UsageError('--images/--images-y add thumbnails to the report: give --out FILE too');
    const progress = createProgress();
    try {
      const X = openEmbedding(xPath, 'X', keys.x, table);
      let result: FincResult, labels: { x?: string[]; y?: string[] }, cliJson: FincCliJson;
      try {
        const Y = openEmbedding(yPath, 'Y', keys.y, table);
        try {
          noteTable(progress.note, 'X', xPath, X.table);
          noteTable(progress.note, 'Y', yPath, Y.table);
          const inputs = { X: inputJson(X.table), Y: inputJson(Y.table) };
          labels = {
            x: labelsXPath !== undefined ? readLabelFile(labelsXPath, X.rows) : undefined,
            y: labelsYPath !== undefined ? readLabelFile(labelsYPath, Y.rows) : undefined,
          };
          const tx = imagesX !== undefined ? imageThumbs(imagesX, 'images', X.rows, 0, outputs, progress.note) : undefined;
          const ty = imagesY !== undefined ? imageThumbs(imagesY, 'images-y', Y.rows, 1, outputs, progress.note) : undefined;
          await init();
          // Per-sample scores (rows × modes f64) only when the labels' agreement or --scores needs them.
          const returnScores = labels.x !== undefined || labels.y !== undefined || scoresX !== undefined || scoresY !== undefined;
          result = await withFlagNames(() =>
            fincSources(X, Y, {
              ...options,
              ...(returnScores ? { returnScores } : {}),
              onProgress: withCostNote(progress.onProgress, progress.note),
            }),
          );
          for (const n of result.notes ?? []) progress.note(flagNote(n));
          const sigma = sigmaChoice(result.kernel, sigmaAuto);
          const extras: CliExtras = { seed: options.seed ?? 0, sigma: { X: sigma, Y: sigma }, files: { X: fileJson(xPath, X), Y: fileJson(yPath, Y) } };
          if (scoresX !== undefined) {
            extras.scores = writeScores(
              scoresX,
              result.modes.filter((m) => m.side === 'x'),
              result.nx,
            );
            progress.note(`scores of X written to ${scoresX}`);
          }
          if (scoresY !== undefined) {
            extras.scoresY = writeScores(
              scoresY,
              result.modes.filter((m) => m.side === 'y'),
              result.ny,
            );
            progress.note(`scores of Y written to ${scoresY}`);
          }
          cliJson = toFincCliJson(result, labels, inputs, extras);
          if (outPath !== undefined) {
            const thumb: ThumbFn | undefined = tx || ty ? (set, i) => (set === 0 ? tx : ty)?.(set, i) : undefined;
            const data = await prepareFincReport(result, cliJson, X, Y, labels, {
              onProgressEvent: progress.onProgress,
              xName: displayName(xPath),
              yName: displayName(yPath),
              sigmaAuto: { x: sigmaAuto },
              seed: options.seed,
              thumb,
            });
            writeOutput(outPath, reportHtml(data), 'report');
            progress.note(`report written to ${outPath}`);
          }
        } finally {
          Y.close?.();
        }
      } finally {
        X.close?.();
      }
      progress.stop();
      if (json) process.stdout.write(`${JSON.stringify(cliJson)}\n`);
      else process.stdout.write(formatFincHuman(result, { xName: xPath, yName: yPath, labels, sigmaAuto, json: cliJson }));
      return 0;
    } finally {
      progress.stop();
    }
  },
};

/** Maps the options to FincOptions (compare's per-side spellings are synonyms that must agree). */
function fincSettings(args: ParsedArgs): { options: FincOptions; sigmaAuto: boolean } {
  const get = (n: string) => stringOption(args, n);
  const k = oneValue(args, ALIASES.kernel),
    sg = oneValue(args, ALIASES.sigma);
  const type = k ? parseChoice(k.name, k.value, KERNELS) : 'cosine';
  const sigma = sg ? parseSigma(sg.name, sg.value) : undefined;
  const rffDim = get('rff-dim') !== undefined ? parseInteger('rff-dim', get('rff-dim')!, 1) : undefined;
  if (sigma !== undefined && type !== 'gaussian')
    throw new UsageError(`--sigma applies to the gaussian kernel, but the kernel is ${type} (add --kernel gaussian)`);
  if (rffDim !== undefined && type !== 'gaussian') throw new UsageError(`--rff-dim applies to the gaussian kernel, but the kernel is ${type}`);
  let kernel: KernelOption = type;
  if (type === 'gaussian') {
    const k: { type: 'gaussian'; sigma?: number | 'auto'; rffDim?: number } = { type };
    if (sigma !== undefined) k.sigma = sigma;
    if (rffDim !== undefined) k.rffDim = rffDim;
    kernel = k;
  }
  const options: FincOptions = { kernel };
  if (get('eta') !== undefined) {
    const eta = parseNumber('eta', get('eta')!, 'a number ≥ 0');
    if (eta < 0) throw new UsageError(`--eta must be a number ≥ 0, got '${get('eta')}'`);
    options.eta = eta;
  }
  if (get('top') !== undefined) options.topK = parseInteger('top', get('top')!, 1);
  if (get('method') !== undefined) options.method = parseChoice('method', get('method')!, METHODS);
  if (get('solver') !== undefined) options.solver = parseChoice('solver', get('solver')!, SOLVERS);
  if (get('seed') !== undefined) options.seed = parseInteger('seed', get('seed')!, 0);
  if (get('samples-per-mode') !== undefined) options.samplesPerMode = parseInteger('samples-per-mode', get('samples-per-mode')!, 1);
  if (get('threads') !== undefined) options.threads = parseInteger('threads', get('threads')!, 1);
  return { options, sigmaAuto: type === 'gaussian' && typeof sigma !== 'number' };
}

// spec-embed compare X Y [options]: SPEC modes of two embeddings of the same samples.
import { PERMUTATION_OPTION, SIGNIFICANCE_OPTIONS, significanceFlags, withCostNote } from '../significance.js';
import { compareSources } from '../../methods/compare.js';
import { matrixSource, type RowSource } from '../../validate/source.js';
import { openNpyStream } from '../../io/node-file.js';
import { checkReadable, writeOutput } from '../files.js';
import { UsageError } from '../args.js';
import { init } from '../../wasm/loader.js';
import { prepareCompareReport, reportHtml, workerLayouts } from '../../report/index.js';
import type { Command } from '../command.js';
import type { SpecResult } from '../../types/index.js';
import { flagNote, withFlagNames } from '../budget.js';
import { formatHuman } from '../format.js';
import { fileJson, sigmaChoice, toCliJson, type CliExtras, type CliJson } from '../../report/json.js';
import { writeScores } from '../scores.js';
import { createProgress } from '../progress.js';
import {
  INPUT_OPTIONS,
  KERNEL_OPTIONS,
  OUTPUT_OPTIONS,
  checkOutputs,
  displayName,
  flag,
  imageThumbs,
  inputFiles,
  inputJson,
  inputKeys,
  noteTable,
  readEmbedding,
  readLabelFile,
  solverSettings,
  sourceName,
  stringOption,
  tableOptions,
} from '../shared.js';
import type { ParseOptions, TableInfo } from '../../io/index.js';

export const compareCommand: Command = {
  name: 'compare',
  summary: 'modes that one embedding clusters and the other does not, and SPEC-diff',
  usage: `usage: spec-embed compare X Y [options]

X and Y embed the same n samples (row i of both is sample i), in .npy,
.npz (--key, or --key-x/--key-y), .csv/.tsv, .json (array of arrays) or .jsonl
files. Prints the modes of
Λ = KX − η·KY: side x (λ > 0) are groups X clusters more tightly than Y, side y the
reverse, with their top samples, and SPEC-diff.`,
  notes: `Exit codes: 0 done, 2 bad usage or bad input, 1 internal error.
Progress and notes go to stderr; with --json stdout holds exactly one JSON object.`,
  options: [
    ...KERNEL_OPTIONS,
    ...INPUT_OPTIONS,
    ...OUTPUT_OPTIONS,
    PERMUTATION_OPTION,
    ...SIGNIFICANCE_OPTIONS,
    { name: 'images', value: 'FILE', help: 'one image path per sample (PNG, JPEG, GIF or WebP), embedded as report thumbnails (URLs are not fetched)' },
    {
      name: 'scores',
      value: 'FILE',
      help: "write every sample's score on each mode: an n × modes float32 .npy, columns in the order of the modes (holds n × modes f64 in memory)",
    },
  ],
  positionals: { min: 2, max: 2, names: 'two embedding files X and Y' },
  async run(args) {
    const [xPath, yPath] = args.positionals;
    const settings = solverSettings(args);
    const significance = significanceFlags(args);
    if (significance) settings.options.significance = significance;
    const outputs = checkOutputs(args, ['out', 'scores'], inputFiles(args, ['labels', 'images']));
    const scoresPath = stringOption(args, 'scores');
    const keys = inputKeys(args);
    const table = tableOptions(args);
    const labelsPath = stringOption(args, 'labels');
    const json = flag(args, 'json');
    const outPath = stringOption(args, 'out');
    const imagesPath = stringOption(args, 'images');
    if (imagesPath !== undefined && outPath === undefined) throw new UsageError('--images adds thumbnails to the report: give --out FILE too');

    const progress = createProgress();
    try {
      const X = openEmbedding(xPath, 'X', keys.x, table);
      const Y = openEmbedding(yPath, 'Y', keys.y, table);
      noteTable(progress.note, 'X', xPath, X.table);
      noteTable(progress.note, 'Y', yPath, Y.table);
      const inputs = { X: inputJson(X.table), Y: inputJson(Y.table) };
      let run: { result: SpecResult; labels: string[] | undefined; cliJson: CliJson };
      try {
        const labels0 = labelsPath !== undefined ? readLabelFile(labelsPath, X.rows) : undefined;
        const thumb = imagesPath !== undefined ? imageThumbs(imagesPath, 'images', X.rows, 0, outputs, progress.note) : undefined;
        await init();
        // Per-sample scores (n × modes f64) only when the labels' agreement or --scores needs them.
        const returnScores = labels0 !== undefined || scoresPath !== undefined;
        const result = await withFlagNames(() =>
          compareSources(X, Y, {
            ...settings.options,
            ...(returnScores ? { returnScores } : {}),
            onProgress: withCostNote(progress.onProgress, progress.note),
          }),
        );
        for (const n of result.notes ?? []) progress.note(flagNote(n));
        const extras: CliExtras = {
          seed: settings.options.seed ?? 0,
          sigma: { X: sigmaChoice(result.kernelX, settings.sigmaAutoX), Y: sigmaChoice(result.kernelY, settings.sigmaAutoY) },
          files: { X: fileJson(xPath, X), Y: fileJson(yPath, Y) },
        };
        if (scoresPath !== undefined) {
          extras.scores = writeScores(scoresPath, result.modes, result.n);
          progress.note(`scores written to ${scoresPath}`);
        }
        const cliJson = toCliJson(result, labels0, inputs, extras);
        if (outPath !== undefined) {
          // The report reads the plotted rows while the inputs are still open (streamed .npy: only those rows).
          const data = await prepareCompareReport(result, cliJson, X, Y, labels0, {
            onProgressEvent: progress.onProgress,
            layoutRunner: workerLayouts,
            xName: displayName(xPath),
            yName: displayName(yPath),
            sigmaAuto: { x: settings.sigmaAutoX, y: settings.sigmaAutoY },
            seed: settings.options.seed,
            thumb,
          });
          writeOutput(outPath, reportHtml(data), 'report');
          progress.note(`report written to ${outPath}`);
        }
        run = { result, labels: labels0, cliJson };
      } finally {
        X.close?.();
        Y.close?.();
      }
      const { result, labels, cliJson } = run;
      progress.stop();
      if (json) {
        process.stdout.write(`${JSON.stringify(cliJson)}\n`);
      } else {
        process.stdout.write(
          formatHuman(result, {
            xName: xPath,
            yName: yPath,
            labels,
            sigmaAutoX: settings.sigmaAutoX,
            sigmaAutoY: settings.sigmaAutoY,
            json: cliJson,
          }),
        );
      }
      return 0;
    } finally {
      progress.stop();
    }
  },
};

/**
 * A .npy file is streamed from disk (the covariance route reads it twice in
 * chunks and never holds it whole); other formats are parsed into memory. The
 * source is named "X (file)", so the library's messages name the file.
 */
export function openEmbedding(
  path: string,
  role: 'X' | 'Y',
  key: string | undefined,
  table: Pick<ParseOptions, 'header' | 'indexColumn'> = {},
): RowSource & { close?: () => void; table?: TableInfo } {
  const name = sourceName(role, path);
  if (/\.npy$/i.test(path) && key === undefined) {
    checkReadable(path, role);
    const s = openNpyStream(path);
    return {
      rows: s.rows,
      cols: s.cols,
      name,
      read: (start, count) => s.readRows(start, count),
      readInto: (start, count, out) => s.readRows(start, count, out),
      close: () => s.close(),
    };
  }
  const m = readEmbedding(path, role, key, table);
  return Object.assign(matrixSource(m, name), { table: m.table });
}

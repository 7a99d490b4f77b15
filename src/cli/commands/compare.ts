// spec-embed compare X Y [options]: SPEC modes of two embeddings of the same samples.
import { compareSources } from '../../compare.js';
import { matrixSource, type RowSource } from '../../source.js';
import { openNpyStream } from '../../io/node-file.js';
import { checkReadable } from '../files.js';
import { init } from '../../wasm.js';
import { renderReport } from '../../report/index.js';
import type { Command } from '../command.js';
import { formatHuman } from '../format.js';
import { toCliJson } from '../json.js';
import { createProgress } from '../progress.js';
import {
  INPUT_OPTIONS, KERNEL_OPTIONS, OUTPUT_OPTIONS, checkOutputs, checkSameRows, displayName, flag, inputKeys, readEmbedding,
  readLabelFile, solverSettings, stringOption, withFileNames, writeText,
} from '../shared.js';

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
  options: [...KERNEL_OPTIONS, ...INPUT_OPTIONS, ...OUTPUT_OPTIONS],
  positionals: { min: 2, max: 2, names: 'two embedding files X and Y' },
  async run(args) {
    const [xPath, yPath] = args.positionals;
    const settings = solverSettings(args);
    checkOutputs(args, ['out']);
    const keys = inputKeys(args);
    const labelsPath = stringOption(args, 'labels');
    const json = flag(args, 'json');
    const outPath = stringOption(args, 'out');

    const progress = createProgress();
    try {
      const X = openEmbedding(xPath, 'X', keys.x);
      const Y = openEmbedding(yPath, 'Y', keys.y);
      let result;
      try {
        checkSameRows(X, Y, xPath, yPath);
        const labels0 = labelsPath !== undefined ? readLabelFile(labelsPath, X.rows) : undefined;
        await init();
        try {
          result = await compareSources(X, Y, { ...settings.options, onProgress: progress.onProgress });
        } catch (err) {
          throw withFileNames(err, { X: xPath, Y: yPath });
        }
        result = { result, labels: labels0 };
      } finally {
        X.close?.();
        Y.close?.();
      }
      const labels = result.labels;
      result = result.result;
      progress.stop();
      if (outPath !== undefined) {
        const html = renderReport(result, {
          xName: displayName(xPath),
          yName: displayName(yPath),
          labels,
          sigmaAuto: { x: settings.sigmaAutoX, y: settings.sigmaAutoY },
        });
        writeText(outPath, html, 'report');
        progress.note(`report written to ${outPath}`);
      }
      if (json) {
        process.stdout.write(`${JSON.stringify(toCliJson(result, labels))}\n`);
      } else {
        process.stdout.write(
          formatHuman(result, {
            xName: xPath,
            yName: yPath,
            labels,
            sigmaAutoX: settings.sigmaAutoX,
            sigmaAutoY: settings.sigmaAutoY,
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
 * chunks and never holds it whole); other formats are parsed into memory.
 */
export function openEmbedding(path: string, role: 'X' | 'Y', key: string | undefined): RowSource & { close?: () => void } {
  if (/\.npy$/i.test(path) && key === undefined) {
    checkReadable(path, role);
    const s = openNpyStream(path);
    return { rows: s.rows, cols: s.cols, name: role, read: (start, count) => s.readRows(start, count), close: () => s.close() };
  }
  return matrixSource(readEmbedding(path, role, key), role);
}

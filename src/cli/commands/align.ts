// spec-embed align X Y [options]: learn ψ(y) = W·y (+ b) so that ψ(Y) groups the
// samples as X does (SPEC-align), write W as .npy, report SPEC-diff before/after in
// both directions, and warn when the map made either direction or the norm worse.
import { alignNamed, type AlignOptions, type AlignResult } from '../../methods/align/index.js';
import type { SpecDiffChange } from '../../types/align.js';
import type { Mode } from '../../types/index.js';
import { checkAlignSize, MAX_BETA } from '../../validate/align-options.js';
import { ALIGN_OBJECTIVES } from '../../validate/option-names.js';
import { npyBytes } from '../../io/npy-write.js';
import { init } from '../../wasm/loader.js';
import { prepareAlignReport, reportHtml } from '../../report/index.js';
import type { KernelOption, KernelType } from '../../types/index.js';
import { alignJson } from '../../report/align-json.js';
import type { Command } from '../command.js';
import { withFlagNames } from '../budget.js';
import { UsageError, parseChoice, parseInteger, parseNumber, parseSigma, type ParsedArgs } from '../args.js';
import { createProgress } from '../progress.js';
import { labelSummary, terminalSafe } from '../format.js';
import {
  KERNELS,
  TABLE_OPTIONS,
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
  sourceName,
  stringOption,
  tableOptions,
} from '../shared.js';
import { writeOutput } from '../files.js';

export const alignCommand: Command = {
  name: 'align',
  summary: 'learn a linear map of Y so that it groups the samples as X does (SPEC-align)',
  usage: `usage: spec-embed align X Y [options]

X and Y embed the same n samples (row i of both is sample i). Learns ψ(y) = W·y
(+ b with --bias), W of shape (d', dy), minimising λmax(KX − K_ψ(Y)) + β‖W − W0‖²
(--objective x-not-y, the paper's; --objective norm minimises max(λmax, −λmin)
instead) with Adam on mini-batches, early-stopped on a held-out split, and reports
SPEC-diff on the held-out split before and after: x-not-y, y-not-x and the norm,
with a warning when any of them rose by more than 10%. The mapped side always uses
the cosine kernel; --kernel/--kernel-x choose X's kernel.`,
  notes: `--out-map W.npy writes W as float32, C order, shape (d', dy): Y @ W.T applies it.
With --bias, b (float32, shape (d',)) goes to the sibling file W.bias.npy.
x-not-y only asks ψ(Y) to hold X's clusters, so it may create clusters X does not
have (y-not-x rises); the summary, --json and the report say so when it happens.
Exit codes: 0 done, 2 bad usage or bad input, 1 internal error.
Progress goes to stderr; with --json stdout holds exactly one JSON object.`,
  options: [
    { name: 'out-map', value: 'W.npy', help: "write the learned map W (float32, shape (d', dy))" },
    { name: 'objective', value: 'O', help: "x-not-y (default, the paper's: λmax) or norm (max(λmax, −λmin): both directions)" },
    { name: 'epochs', value: 'N', help: 'maximum epochs (default 100)' },
    { name: 'lr', value: 'R', help: 'peak Adam learning rate, cosine-decayed (default 0.03)' },
    { name: 'beta', value: 'B', help: 'weight of ‖W − W0‖² (default 1e-4)' },
    { name: 'batch', value: 'N', help: 'samples per mini-batch, ≥ 2 (default min(training samples, 2000))' },
    { name: 'holdout', value: 'F', help: 'held-out fraction in (0, 1) (default 0.2)' },
    { name: 'patience', value: 'N', help: 'stop after N epochs without a better held-out loss (default 10)' },
    { name: 'dim', value: "D'", help: 'output dimension of the map (default dy)' },
    { name: 'bias', help: 'also learn a bias b' },
    { name: 'seed', value: 'N', help: 'seed of the split, shuffles and σ-auto sampling (default 0)' },
    { name: 'kernel', value: 'K', help: "X's kernel: cosine (default), gaussian or linear" },
    { name: 'kernel-x', value: 'K', help: 'same as --kernel' },
    { name: 'kernel-y', value: 'K', help: 'only cosine: the mapped side is always cosine' },
    { name: 'sigma-x', value: 'S|auto', help: 'Gaussian σ of X (default auto: median pairwise distance)' },
    { name: 'top', value: 'K', help: 'modes per side in the before/after comparison (default 10)' },
    { name: 'samples-per-mode', value: 'N', help: 'top samples listed per mode (default 20)' },
    { name: 'key', value: 'NAME', help: 'array name inside .npz inputs (both X and Y)' },
    { name: 'key-x', value: 'NAME', help: 'array name inside the .npz X (overrides --key)' },
    { name: 'key-y', value: 'NAME', help: 'array name inside the .npz Y (overrides --key)' },
    ...TABLE_OPTIONS,
    {
      name: 'labels',
      value: 'FILE',
      help: 'one label per sample (text, one per line, or a JSON array): label mixes of the modes in the summary, --json and report',
    },
    { name: 'images', value: 'FILE', help: 'one image path per sample (PNG, JPEG, GIF or WebP), embedded as report thumbnails (URLs are not fetched)' },
    { name: 'out', value: 'FILE', help: 'write a self-contained HTML report' },
    { name: 'json', help: 'print one JSON object to stdout instead of the summary' },
  ],
  positionals: { min: 2, max: 2, names: 'two embedding files X and Y' },
  async run(args) {
    const [xPath, yPath] = args.positionals;
    const options = alignOptions(args);
    const table = tableOptions(args);
    const mapPath = stringOption(args, 'out-map');
    // The map first, then its bias file, then the report: a clash names the earlier one.
    const bias = mapPath !== undefined && options.bias ? [{ role: "--out-map's bias file", path: biasPath(mapPath) }] : [];
    const outputs = checkOutputs(args, ['out-map'], inputFiles(args, ['labels', 'images']), [...bias, ...outputOption(args, 'out')]);
    const keys = inputKeys(args);
    const outPath = stringOption(args, 'out');
    const labelsPath = stringOption(args, 'labels');
    const imagesPath = stringOption(args, 'images');
    if (imagesPath !== undefined && outPath === undefined) throw new UsageError('--images adds thumbnails to the report: give --out FILE too');
    const json = flag(args, 'json');
    const progress = createProgress();
    try {
      const X = readEmbedding(xPath, 'X', keys.x, table);
      const Y = readEmbedding(yPath, 'Y', keys.y, table);
      noteTable(progress.note, 'X', xPath, X.table);
      noteTable(progress.note, 'Y', yPath, Y.table);
      const inputs = { X: inputJson(X.table), Y: inputJson(Y.table) };
      // Labels and images name X's rows: read (and counted against them) before training.
      const labels = labelsPath !== undefined ? readLabelFile(labelsPath, X.rows) : undefined;
      const thumb = imagesPath !== undefined ? imageThumbs(imagesPath, 'images', X.rows, 0, outputs, progress.note) : undefined;
      // Refused here too, to name the flag (the library names the option `dim`).
      const dim = options.dim ?? Y.cols;
      if (dim <= Math.max(X.cols, Y.cols)) checkAlignSize(X.cols, Y.cols, dim, !!options.bias, '--dim');
      await init();
      const names = { x: sourceName('X', xPath), y: sourceName('Y', yPath) };
      const result: AlignResult = await withFlagNames(() => alignNamed(X, Y, { ...options, onProgress: progress.onProgress }, names));
      progress.stop();
      if (mapPath !== undefined) {
        writeOutput(mapPath, npyBytes(result.W, [result.dim, result.dy]), 'map');
        if (result.bias) writeOutput(biasPath(mapPath), npyBytes(result.bias, [result.dim]), 'bias');
        progress.note(`map written to ${mapPath}${result.bias ? ` (bias: ${biasPath(mapPath)})` : ''}`);
      }
      const cliJson = alignJson(result, { labels, inputs });
      if (outPath !== undefined) {
        writeOutput(outPath, reportHtml(prepareAlignReport(cliJson, { xName: displayName(xPath), yName: displayName(yPath), thumb })), 'report');
        progress.note(`report written to ${outPath}`);
      }
      // The summary holds the warnings; with --json they go to stderr too, as notes do.
      if (json) for (const w of result.warnings) progress.note(`warning: ${w}`);
      process.stdout.write(json ? `${JSON.stringify(cliJson)}\n` : alignHuman(result, xPath, yPath, labels));
      return 0;
    } finally {
      progress.stop();
    }
  },
};

/** W.npy → W.bias.npy (any other name: name + '.bias.npy'). */
export function biasPath(mapPath: string): string {
  return /\.npy$/i.test(mapPath) ? mapPath.replace(/\.npy$/i, '.bias.npy') : `${mapPath}.bias.npy`;
}

function outputOption(args: ParsedArgs, name: string): { role: string; path: string }[] {
  const path = stringOption(args, name);
  return path === undefined ? [] : [{ role: `--${name}`, path }];
}

function alignOptions(args: ParsedArgs): AlignOptions {
  const get = (n: string) => stringOption(args, n);
  const o: AlignOptions = {};
  if (get('objective') !== undefined) o.objective = parseChoice('objective', get('objective')!, ALIGN_OBJECTIVES);
  if (get('kernel') !== undefined && get('kernel-x') !== undefined) throw new UsageError("--kernel and --kernel-x both name X's kernel; give one");
  const kx: KernelType =
    get('kernel-x') !== undefined
      ? parseChoice('kernel-x', get('kernel-x')!, KERNELS)
      : get('kernel') !== undefined
        ? parseChoice('kernel', get('kernel')!, KERNELS)
        : 'cosine';
  if (get('kernel-y') !== undefined) {
    const ky = parseChoice('kernel-y', get('kernel-y')!, KERNELS);
    if (ky !== 'cosine') throw new UsageError(`--kernel-y must be cosine for align (the mapped side ψ(Y) uses the cosine kernel), got '${ky}'`);
  }
  const sigma = get('sigma-x') !== undefined ? parseSigma('sigma-x', get('sigma-x')!) : undefined;
  if (sigma !== undefined && kx !== 'gaussian')
    throw new UsageError(`--sigma-x applies to a gaussian kernel, but X uses the ${kx} kernel (add --kernel-x gaussian)`);
  o.kernel = (kx === 'gaussian' ? { type: 'gaussian', ...(sigma !== undefined ? { sigma } : {}) } : kx) as KernelOption;
  if (get('epochs') !== undefined) o.epochs = parseInteger('epochs', get('epochs')!, 1);
  if (get('lr') !== undefined) {
    o.lr = parseNumber('lr', get('lr')!, 'a number > 0');
    if (!(o.lr > 0)) throw new UsageError(`--lr must be a number > 0, got '${get('lr')}'`);
  }
  if (get('beta') !== undefined) {
    o.beta = parseNumber('beta', get('beta')!, 'a number ≥ 0');
    if (o.beta < 0) throw new UsageError(`--beta must be a number ≥ 0, got '${get('beta')}'`);
    if (o.beta > MAX_BETA)
      throw new UsageError(
        `--beta must be ≤ ${MAX_BETA} (a larger pull only holds W at W0, and near 1e154 Adam's squared gradient overflows), got '${get('beta')}'`,
      );
  }
  if (get('batch') !== undefined) o.batch = parseInteger('batch', get('batch')!, 2);
  if (get('holdout') !== undefined) {
    o.holdout = parseNumber('holdout', get('holdout')!, 'a fraction in (0, 1)');
    if (!(o.holdout > 0 && o.holdout < 1)) throw new UsageError(`--holdout must be a fraction in (0, 1), got '${get('holdout')}'`);
  }
  if (get('patience') !== undefined) o.patience = parseInteger('patience', get('patience')!, 1);
  if (get('dim') !== undefined) o.dim = parseInteger('dim', get('dim')!, 1);
  if (flag(args, 'bias')) o.bias = true;
  if (get('seed') !== undefined) o.seed = parseInteger('seed', get('seed')!, 0);
  if (get('top') !== undefined) o.topK = parseInteger('top', get('top')!, 1);
  if (get('samples-per-mode') !== undefined) o.samplesPerMode = parseInteger('samples-per-mode', get('samples-per-mode')!, 1);
  return o;
}

export { alignJson } from '../../report/align-json.js';

/** "−80.8%", "+440%", "0%", "from 0": a SPEC-diff quantity's relative change. */
export function changeText(c: SpecDiffChange): string {
  if (c.relative === null) return 'from 0';
  const pct = 100 * c.relative;
  if (pct === 0) return '0%';
  const a = Math.abs(pct);
  return `${pct < 0 ? '−' : '+'}${a < 100 ? a.toPrecision(3) : Math.round(a)}%`;
}

/** The hint under the warnings when the paper's objective made the other direction or the norm worse. */
export const NORM_HINT = '--objective norm minimises the norm max(λmax, −λmin) instead, so neither direction may grow unchecked';

/** The summary (stdout without --json); `labels` adds the label mix of each removed and new mode. */
export function alignHuman(r: AlignResult, xPath: string, yPath: string, labels?: readonly string[]): string {
  const f = (v: number) => v.toPrecision(4);
  const c = r.specDiffChange;
  const row = (name: string, b: number, a: number, ch: SpecDiffChange) =>
    `  ${name.padEnd(19)}${f(b).padEnd(11)}${f(a).padEnd(11)}${changeText(ch)}${ch.warn ? `  ← rose more than ${Math.round(100 * c.limit)}%` : ''}`;
  const mode = (m: Mode | undefined, key: string) => (m && labels ? `${key} (${labelSummary(m, labels)})` : key);
  const removed = r.removedModes.map((k) =>
    mode(
      r.modesBefore.find((m) => m.side === 'x' && m.rank === k),
      `x${k}`,
    ),
  );
  const created = r.createdModes.map((k) =>
    mode(
      r.modesAfter.find((m) => m.side === k.side && m.rank === k.rank),
      `${k.side}${k.rank}`,
    ),
  );
  const lines = [
    `align ${terminalSafe(yPath)} → ${terminalSafe(xPath)}: n = ${r.n} (${r.nTrain} train, ${r.nHoldout} held out), W ${r.dim} × ${r.dy}${r.bias ? ' + bias' : ''}, X kernel ${r.kernelX.type}${r.kernelX.sigma !== undefined ? ` (σ = ${f(r.kernelX.sigma)})` : ''}`,
    `objective ${r.objective === 'norm' ? 'norm: max(λmax, −λmin), both directions' : "x-not-y: λmax (the paper's)"}; epochs run ${r.epochs}, best epoch ${r.bestEpoch}, held-out loss ${f(r.loss.holdout[0])} → ${f(r.loss.holdout[r.bestEpoch])}`,
    `held-out SPEC-diff   before     after      change`,
    row('x-not-y (λmax)', r.specDiffBefore.xNotY, r.specDiffAfter.xNotY, c.xNotY),
    row('y-not-x (−λmin)', r.specDiffBefore.yNotX, r.specDiffAfter.yNotX, c.yNotX),
    row('norm', r.specDiffBefore.norm, r.specDiffAfter.norm, c.norm),
    `removed side-x modes: ${removed.length ? removed.join(', ') : 'none'}`,
    `new modes after alignment: ${created.length ? created.join(', ') : 'none'}`,
    ...r.warnings.map((w) => `warning: ${w}`),
    ...(r.objective === 'x-not-y' && (c.yNotX.warn || c.norm.warn) ? [`  (${NORM_HINT})`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

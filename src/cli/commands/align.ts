// spec-embed align X Y [options]: learn ψ(y) = W·y (+ b) so that ψ(Y) groups the
// samples as X does (SPEC-align), write W as .npy, report SPEC-diff before/after.
import { alignNamed, type AlignOptions, type AlignResult } from '../../methods/align/index.js';
import { checkAlignSize, MAX_BETA } from '../../validate/align-options.js';
import { npyBytes } from '../../io/npy-write.js';
import { init } from '../../wasm/loader.js';
import { prepareAlignReport, reportHtml } from '../../report/index.js';
import type { KernelOption, KernelType } from '../../types/index.js';
import { alignJson } from '../../report/align-json.js';
import type { Command } from '../command.js';
import { withFlagNames } from '../budget.js';
import { UsageError, parseChoice, parseInteger, parseNumber, parseSigma, type ParsedArgs } from '../args.js';
import { createProgress } from '../progress.js';
import { terminalSafe } from '../format.js';
import {
  KERNELS, TABLE_OPTIONS, checkOutputs, displayName, flag, inputFiles, inputJson, inputKeys, noteTable, readEmbedding, sourceName,
  stringOption, tableOptions,
} from '../shared.js';
import { writeOutput } from '../files.js';

export const alignCommand: Command = {
  name: 'align',
  summary: 'learn a linear map of Y so that it groups the samples as X does (SPEC-align)',
  usage: `usage: spec-embed align X Y [options]

X and Y embed the same n samples (row i of both is sample i). Learns ψ(y) = W·y
(+ b with --bias), W of shape (d', dy), minimising λmax(KX − K_ψ(Y)) + β‖W − W0‖²
with Adam on mini-batches, early-stopped on a held-out split, and reports
SPEC-diff on the held-out split before and after. The mapped side always uses the
cosine kernel; --kernel/--kernel-x choose X's kernel.`,
  notes: `--out-map W.npy writes W as float32, C order, shape (d', dy): Y @ W.T applies it.
With --bias, b (float32, shape (d',)) goes to the sibling file W.bias.npy.
Exit codes: 0 done, 2 bad usage or bad input, 1 internal error.
Progress goes to stderr; with --json stdout holds exactly one JSON object.`,
  options: [
    { name: 'out-map', value: 'W.npy', help: "write the learned map W (float32, shape (d', dy))" },
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
    checkOutputs(args, ['out-map'], inputFiles(args, []), [...bias, ...outputOption(args, 'out')]);
    const keys = inputKeys(args);
    const outPath = stringOption(args, 'out');
    const progress = createProgress();
    try {
      const X = readEmbedding(xPath, 'X', keys.x, table);
      const Y = readEmbedding(yPath, 'Y', keys.y, table);
      noteTable(progress.note, 'X', xPath, X.table);
      noteTable(progress.note, 'Y', yPath, Y.table);
      const inputs = { X: inputJson(X.table), Y: inputJson(Y.table) };
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
      if (outPath !== undefined) {
        writeOutput(outPath, reportHtml(prepareAlignReport(alignJson(result), { xName: displayName(xPath), yName: displayName(yPath) })), 'report');
        progress.note(`report written to ${outPath}`);
      }
      process.stdout.write(flag(args, 'json') ? `${JSON.stringify({ ...alignJson(result), inputs })}\n` : alignHuman(result, xPath, yPath));
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
  if (get('kernel') !== undefined && get('kernel-x') !== undefined) throw new UsageError('--kernel and --kernel-x both name X\'s kernel; give one');
  const kx: KernelType = get('kernel-x') !== undefined ? parseChoice('kernel-x', get('kernel-x')!, KERNELS)
    : get('kernel') !== undefined ? parseChoice('kernel', get('kernel')!, KERNELS) : 'cosine';
  if (get('kernel-y') !== undefined) {
    const ky = parseChoice('kernel-y', get('kernel-y')!, KERNELS);
    if (ky !== 'cosine') throw new UsageError(`--kernel-y must be cosine for align (the mapped side ψ(Y) uses the cosine kernel), got '${ky}'`);
  }
  const sigma = get('sigma-x') !== undefined ? parseSigma('sigma-x', get('sigma-x')!) : undefined;
  if (sigma !== undefined && kx !== 'gaussian') throw new UsageError(`--sigma-x applies to a gaussian kernel, but X uses the ${kx} kernel (add --kernel-x gaussian)`);
  o.kernel = (kx === 'gaussian' ? { type: 'gaussian', ...(sigma !== undefined ? { sigma } : {}) } : kx) as KernelOption;
  if (get('epochs') !== undefined) o.epochs = parseInteger('epochs', get('epochs')!, 1);
  if (get('lr') !== undefined) {
    o.lr = parseNumber('lr', get('lr')!, 'a number > 0');
    if (!(o.lr > 0)) throw new UsageError(`--lr must be a number > 0, got '${get('lr')}'`);
  }
  if (get('beta') !== undefined) {
    o.beta = parseNumber('beta', get('beta')!, 'a number ≥ 0');
    if (o.beta < 0) throw new UsageError(`--beta must be a number ≥ 0, got '${get('beta')}'`);
    if (o.beta > MAX_BETA) throw new UsageError(`--beta must be ≤ ${MAX_BETA} (a larger pull only holds W at W0, and near 1e154 Adam's squared gradient overflows), got '${get('beta')}'`);
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

export function alignHuman(r: AlignResult, xPath: string, yPath: string): string {
  const f = (v: number) => v.toPrecision(4);
  const lines = [
    `align ${terminalSafe(yPath)} → ${terminalSafe(xPath)}: n = ${r.n} (${r.nTrain} train, ${r.nHoldout} held out), W ${r.dim} × ${r.dy}${r.bias ? ' + bias' : ''}, X kernel ${r.kernelX.type}${r.kernelX.sigma !== undefined ? ` (σ = ${f(r.kernelX.sigma)})` : ''}`,
    `epochs run ${r.epochs}, best epoch ${r.bestEpoch}, held-out loss ${f(r.loss.holdout[0])} → ${f(r.loss.holdout[r.bestEpoch])}`,
    `held-out SPEC-diff   before     after`,
    `  x-not-y (λmax)     ${f(r.specDiffBefore.xNotY).padEnd(10)} ${f(r.specDiffAfter.xNotY)}`,
    `  y-not-x (−λmin)    ${f(r.specDiffBefore.yNotX).padEnd(10)} ${f(r.specDiffAfter.yNotX)}`,
    `  norm               ${f(r.specDiffBefore.norm).padEnd(10)} ${f(r.specDiffAfter.norm)}`,
    `removed side-x modes: ${r.removedModes.length ? r.removedModes.map((k) => `x${k}`).join(', ') : 'none'}`,
  ];
  return `${lines.join('\n')}\n`;
}

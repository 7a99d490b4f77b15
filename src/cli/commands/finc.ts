// spec-embed finc X Y [options]: sample types over-represented in one of two
// unpaired sets embedded alike (FINC), and SPEC-diff of CX − η·CY.
import { fincSources } from '../../finc.js';
import type { FincOptions } from '../../finc-types.js';
import type { KernelOption } from '../../types.js';
import { InputError } from '../../errors.js';
import { init } from '../../wasm.js';
import { renderFincReport } from '../../report/finc.js';
import type { Command } from '../command.js';
import { UsageError, parseChoice, parseInteger, parseNumber, parseSigma, type ParsedArgs } from '../args.js';
import { createProgress } from '../progress.js';
import { formatFincHuman, toFincCliJson } from '../finc-output.js';
import { KERNELS, METHODS, OUTPUT_OPTIONS, checkOutputs, displayName, flag, readLabelFile, stringOption, withFileNames, writeText } from '../shared.js';
import { openEmbedding } from './compare.js';

/** compare's per-side options, which FINC (one kernel for both sets) rejects by name. */
const PER_SIDE = ['kernel-x', 'kernel-y', 'sigma-x', 'sigma-y'];

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
    { name: 'seed', value: 'N', help: 'seed for random features and σ-auto sampling (default 0)' },
    { name: 'samples-per-mode', value: 'N', help: 'top samples listed per mode (default 20)' },
    { name: 'threads', value: 'N', help: 'worker threads for the covariance route (default: cores, at most 8; 1: no workers)' },
    { name: 'labels', value: 'FILE', help: "one label per row of X (text, one per line, or a JSON array)" },
    { name: 'labels-y', value: 'FILE', help: 'one label per row of Y' },
    { name: 'key', value: 'NAME', help: 'array name inside .npz inputs' },
    ...OUTPUT_OPTIONS,
    ...PER_SIDE.map((name) => ({ name, value: 'V', help: 'not for finc', hidden: true })),
  ],
  positionals: { min: 2, max: 2, names: 'two embedding files X and Y' },
  async run(args) {
    const [xPath, yPath] = args.positionals;
    const { options, sigmaAuto } = fincSettings(args);
    checkOutputs(args, ['out']);
    const key = stringOption(args, 'key');
    const labelsXPath = stringOption(args, 'labels');
    const labelsYPath = stringOption(args, 'labels-y');
    const json = flag(args, 'json');
    const outPath = stringOption(args, 'out');
    const progress = createProgress();
    try {
      const X = openEmbedding(xPath, 'X', key);
      let result, labels: { x?: string[]; y?: string[] };
      try {
        const Y = openEmbedding(yPath, 'Y', key);
        try {
          if (X.cols !== Y.cols) {
            throw new InputError(`dimensions differ: X ${xPath} has ${X.cols} columns but Y ${yPath} has ${Y.cols}; finc compares two sets under the same embedding`);
          }
          labels = {
            x: labelsXPath !== undefined ? readLabelFile(labelsXPath, X.rows) : undefined,
            y: labelsYPath !== undefined ? readLabelFile(labelsYPath, Y.rows) : undefined,
          };
          await init();
          try {
            result = await fincSources(X, Y, { ...options, onProgress: progress.onProgress });
          } catch (err) {
            throw withFileNames(err, { X: xPath, Y: yPath });
          }
        } finally {
          Y.close?.();
        }
      } finally {
        X.close?.();
      }
      progress.stop();
      if (outPath !== undefined) {
        writeText(outPath, renderFincReport(result, { xName: displayName(xPath), yName: displayName(yPath), labelsX: labels.x, labelsY: labels.y, sigmaAuto }), 'report');
        progress.note(`report written to ${outPath}`);
      }
      if (json) process.stdout.write(`${JSON.stringify(toFincCliJson(result, labels))}\n`);
      else process.stdout.write(formatFincHuman(result, { xName: xPath, yName: yPath, labels, sigmaAuto }));
      return 0;
    } finally {
      progress.stop();
    }
  },
};

/** Maps the options to FincOptions; per-side spellings of compare are refused by name. */
function fincSettings(args: ParsedArgs): { options: FincOptions; sigmaAuto: boolean } {
  const get = (n: string) => stringOption(args, n);
  for (const name of PER_SIDE) {
    if (args.options.has(name)) {
      throw new UsageError(`--${name} does not apply to finc: both sets share one kernel (use --kernel${name.startsWith('sigma') ? ' and --sigma' : ''})`);
    }
  }
  const type = get('kernel') !== undefined ? parseChoice('kernel', get('kernel')!, KERNELS) : 'cosine';
  const sigma = get('sigma') !== undefined ? parseSigma('sigma', get('sigma')!) : undefined;
  const rffDim = get('rff-dim') !== undefined ? parseInteger('rff-dim', get('rff-dim')!, 1) : undefined;
  if (sigma !== undefined && type !== 'gaussian') throw new UsageError(`--sigma applies to the gaussian kernel, but the kernel is ${type} (add --kernel gaussian)`);
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
  if (get('seed') !== undefined) options.seed = parseInteger('seed', get('seed')!, 0);
  if (get('samples-per-mode') !== undefined) options.samplesPerMode = parseInteger('samples-per-mode', get('samples-per-mode')!, 1);
  if (get('threads') !== undefined) options.threads = parseInteger('threads', get('threads')!, 1);
  return { options, sigmaAuto: type === 'gaussian' && typeof sigma !== 'number' };
}

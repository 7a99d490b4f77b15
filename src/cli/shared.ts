// Options and steps shared by the commands that compare two embeddings
// (compare today; finc and align reuse the same kernel/solver options).
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { readLabels, readMatrixFile } from '../io/node-file.js';
import type { ParseOptions, ParsedMatrix, TableInfo } from '../io/index.js';
import { escapeUnsafe, quoteInput } from '../io/quote.js';
import { inputJson } from '../report/json.js';

export { inputJson };
import { imageListThumbs } from '../report/image-files.js';
import type { ThumbFn } from '../report/data.js';
import type { CompareOptions, KernelOption, KernelType, Matrix, Method, Solver } from '../types/index.js';
import { UsageError, parseChoice, parseInteger, parseNumber, parseSigma, type OptionSpec, type ParsedArgs } from './args.js';
import { checkDistinctOutputs, checkReadable, checkWritableTarget, type NamedFile } from './files.js';

export const KERNELS: readonly KernelType[] = ['cosine', 'gaussian', 'linear'];
export const METHODS: readonly Method[] = ['auto', 'exact', 'covariance'];
export const SOLVERS: readonly Solver[] = ['auto', 'syrk', 'matrix-free'];

export const KERNEL_OPTIONS: OptionSpec[] = [
  { name: 'kernel', value: 'K', help: 'kernel for both sides: cosine (default), gaussian or linear' },
  { name: 'kernel-x', value: 'K', help: 'kernel for X (overrides --kernel)' },
  { name: 'kernel-y', value: 'K', help: 'kernel for Y (overrides --kernel)' },
  { name: 'sigma-x', value: 'S|auto', help: 'Gaussian σ of X (default auto: median pairwise distance)' },
  { name: 'sigma-y', value: 'S|auto', help: 'Gaussian σ of Y (default auto)' },
  { name: 'rff-dim', value: 'M', help: 'random Fourier frequencies per Gaussian side (default 1000)' },
  { name: 'eta', value: 'E', help: 'weight η ≥ 0 of Y in Λ = KX − η·KY (default 1)' },
  { name: 'top', value: 'K', help: 'modes per side (default 10)' },
  { name: 'method', value: 'M', help: 'auto (default), exact (n × n kernels) or covariance (linear in n)' },
  { name: 'solver', value: 'S', help: 'covariance route: auto (default: a cost model picks), syrk (form the D × D covariance) or matrix-free' },
  { name: 'seed', value: 'N', help: 'seed for random features and σ-auto sampling (default 0)' },
  { name: 'samples-per-mode', value: 'N', help: 'top samples listed per mode (default 20)' },
  { name: 'threads', value: 'N', help: 'worker threads for the covariance route (default: cores, at most 8; 1: no workers)' },
];

/** How line 1 and a row-index column of .csv/.tsv inputs are read (both X and Y). */
export const TABLE_OPTIONS: OptionSpec[] = [
  { name: 'header', help: "line 1 of .csv/.tsv inputs is a header (default: a header when no cell is a number, or pandas' 0,1,…)" },
  { name: 'no-header', help: 'line 1 of .csv/.tsv inputs is data' },
  { name: 'index-col', value: 'drop|keep', help: "a row index under an empty header cell (pandas' to_csv()): drop it or keep it as a feature" },
];

export const INPUT_OPTIONS: OptionSpec[] = [
  { name: 'labels', value: 'FILE', help: 'one label per sample (text, one per line, or a JSON array)' },
  { name: 'key', value: 'NAME', help: 'array name inside .npz inputs (both X and Y)' },
  { name: 'key-x', value: 'NAME', help: 'array name inside the .npz X (overrides --key)' },
  { name: 'key-y', value: 'NAME', help: 'array name inside the .npz Y (overrides --key)' },
  ...TABLE_OPTIONS,
];

/** --header / --no-header / --index-col as reader options (they apply to .csv/.tsv inputs only). */
export function tableOptions(args: ParsedArgs): Pick<ParseOptions, 'header' | 'indexColumn'> {
  const o: Pick<ParseOptions, 'header' | 'indexColumn'> = {};
  if (flag(args, 'header') && flag(args, 'no-header')) throw new UsageError('--header and --no-header contradict each other; give one');
  if (flag(args, 'header')) o.header = true;
  if (flag(args, 'no-header')) o.header = false;
  const ic = str(args, 'index-col');
  if (ic !== undefined) o.indexColumn = parseChoice('index-col', ic, ['drop', 'keep'] as const);
  return o;
}

/** One stderr line per input whose line 1 was skipped as a header, so no row goes unmentioned. */
export function noteTable(note: (message: string) => void, role: string, path: string, table: TableInfo | undefined): void {
  if (!table || table.header === null) return;
  const index =
    table.indexColumn === null
      ? ''
      : `; ${table.indexColumn === 'dropped' ? 'dropped' : 'kept'} index column 1 (--index-col ${table.indexColumn === 'dropped' ? 'drop' : 'keep'})`;
  note(`${role} file ${escapeUnsafe(path)}: skipped header line 1 (${quoteInput(table.header)})${index}`);
}

/** The .npz array names for X and Y: --key-x / --key-y, each falling back to --key. */
export function inputKeys(args: ParsedArgs): { x: string | undefined; y: string | undefined } {
  const both = str(args, 'key');
  return { x: str(args, 'key-x') ?? both, y: str(args, 'key-y') ?? both };
}

export const OUTPUT_OPTIONS: OptionSpec[] = [
  { name: 'out', value: 'FILE', help: 'write a self-contained HTML report' },
  { name: 'json', help: 'print one JSON object to stdout instead of the table' },
];

export interface SolverSettings {
  options: CompareOptions;
  sigmaAutoX: boolean;
  sigmaAutoY: boolean;
  /** --threads (undefined: the library's default). */
  threads: number | undefined;
}

function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  return str(args, name);
}

/** Maps the kernel/solver options to CompareOptions, rejecting inconsistent combinations. */
export function solverSettings(args: ParsedArgs): SolverSettings {
  const get = (n: string) => str(args, n);
  const base = get('kernel') !== undefined ? parseChoice('kernel', get('kernel')!, KERNELS) : 'cosine';
  const kx = get('kernel-x') !== undefined ? parseChoice('kernel-x', get('kernel-x')!, KERNELS) : base;
  const ky = get('kernel-y') !== undefined ? parseChoice('kernel-y', get('kernel-y')!, KERNELS) : base;
  const sigmaX = get('sigma-x') !== undefined ? parseSigma('sigma-x', get('sigma-x')!) : undefined;
  const sigmaY = get('sigma-y') !== undefined ? parseSigma('sigma-y', get('sigma-y')!) : undefined;
  const rffDim = get('rff-dim') !== undefined ? parseInteger('rff-dim', get('rff-dim')!, 1) : undefined;
  if (sigmaX !== undefined && kx !== 'gaussian') {
    throw new UsageError(`--sigma-x applies to a gaussian kernel, but X uses the ${kx} kernel (add --kernel-x gaussian)`);
  }
  if (sigmaY !== undefined && ky !== 'gaussian') {
    throw new UsageError(`--sigma-y applies to a gaussian kernel, but Y uses the ${ky} kernel (add --kernel-y gaussian)`);
  }
  if (rffDim !== undefined && kx !== 'gaussian' && ky !== 'gaussian') {
    throw new UsageError(`--rff-dim applies to gaussian kernels, but X uses ${kx} and Y uses ${ky}`);
  }
  const kernel = (type: KernelType, sigma: number | 'auto' | undefined): KernelOption => {
    if (type !== 'gaussian') return type;
    const k: { type: KernelType; sigma?: number | 'auto'; rffDim?: number } = { type };
    if (sigma !== undefined) k.sigma = sigma;
    if (rffDim !== undefined) k.rffDim = rffDim;
    return k;
  };
  const options: CompareOptions = { kernelX: kernel(kx, sigmaX), kernelY: kernel(ky, sigmaY) };
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
  const threads = get('threads') !== undefined ? parseInteger('threads', get('threads')!, 1) : undefined;
  if (threads !== undefined) options.threads = threads;
  return {
    options,
    sigmaAutoX: kx === 'gaussian' && typeof sigmaX !== 'number',
    sigmaAutoY: ky === 'gaussian' && typeof sigmaY !== 'number',
    threads,
  };
}

/** Reads one embedding file, after checking it exists and is readable. */
export function readEmbedding(
  path: string,
  role: string,
  key: string | undefined,
  table: Pick<ParseOptions, 'header' | 'indexColumn'> = {},
): ParsedMatrix & Matrix {
  checkReadable(path, role);
  return readMatrixFile(path, key === undefined ? table : { ...table, key });
}

/** Reads the labels file and checks it has one label per sample. */
export function readLabelFile(path: string, n: number): string[] {
  checkReadable(path, 'labels');
  const labels = readLabels(path, n);
  if (labels.length !== n) {
    throw new InputError(`has ${labels.length} labels but the embeddings have ${n} rows`, path);
  }
  return labels;
}

/** The files a command reads: the positionals as X and Y, then each file option given, by its flag. */
export function inputFiles(args: ParsedArgs, options: readonly string[]): NamedFile[] {
  const files: NamedFile[] = args.positionals.slice(0, 2).map((path, i) => ({ role: i ? 'Y' : 'X', path }));
  for (const name of options) {
    const p = str(args, name);
    if (p !== undefined) files.push({ role: `--${name}`, path: p });
  }
  return files;
}

/**
 * Before any reading or computing: each output option given (plus `extra` outputs derived
 * from them) can be written, and none is the same file as an input or another output.
 * Returns the outputs, for a later check against files found while reading (image entries).
 */
export function checkOutputs(args: ParsedArgs, names: string[], inputs: readonly NamedFile[] = [], extra: readonly NamedFile[] = []): NamedFile[] {
  const outputs: NamedFile[] = [];
  for (const name of names) {
    const p = str(args, name);
    if (p !== undefined) outputs.push({ role: `--${name}`, path: p });
  }
  outputs.push(...extra);
  for (const o of outputs) checkWritableTarget(o.path, o.role);
  checkDistinctOutputs(outputs, inputs);
  return outputs;
}

/**
 * Reads an --images list for `n` rows of set `set` (before computing: every entry is typed
 * by its first bytes), says on stderr which entries were skipped, and refuses an output
 * that is one of the images.
 */
export function imageThumbs(listPath: string, option: string, n: number, set: 0 | 1, outputs: readonly NamedFile[], note: (m: string) => void): ThumbFn {
  checkReadable(listPath, option);
  const list = imageListThumbs(listPath, n, set, `${option} file`);
  checkDistinctOutputs(
    outputs,
    list.files.map(({ line, file }) => ({ role: `line ${line} of --${option}`, path: file })),
  );
  if (list.note) note(list.note);
  return list.thumb;
}

/** A short display name for a file. */
export function displayName(path: string): string {
  return basename(path);
}

/** The name a library source or matrix carries for messages: the role and the file, "X (x.npy)". */
export function sourceName(role: 'X' | 'Y', path: string): string {
  return `${role} (${escapeUnsafe(path)})`;
}

// What the sharded-run commands (commands/shard-*.ts) share: reading a shard's
// X and Y (compare: two positionals; finc: --x and/or --y), the options every
// part must agree on (σ numeric, or the median distance of a sigma-sample file),
// reading the step files, and writing outputs atomically.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError, parseChoice, parseInteger, parseNumber, parseSigma, type OptionSpec, type ParsedArgs } from './args.js';
import { checkReadable } from './files.js';
import { KERNELS, readEmbedding, stringOption } from './shared.js';
import { openEmbedding } from './commands/compare.js';
import { sigmaOfSample, type ShardTaskOptions } from '../methods/shards/index.js';
import type { KernelOption, KernelType } from '../types/index.js';
import type { RowSource } from '../validate/source.js';

export const SHARD_INPUT_OPTIONS: OptionSpec[] = [
  { name: 'x', value: 'FILE', help: "finc: this shard's rows of X (either --x or --y may be absent)" },
  { name: 'y', value: 'FILE', help: "finc: this shard's rows of Y" },
  { name: 'name', value: 'NAME', help: "the shard's name (default: the first input's file name): shards concatenate in name order" },
  { name: 'key', value: 'NAME', help: 'array name inside .npz inputs' },
];

export const SHARD_KERNEL_OPTIONS: OptionSpec[] = [
  { name: 'task', value: 'T', help: 'compare (default; X and Y as two positionals) or finc (--x/--y)' },
  { name: 'kernel', value: 'K', help: 'kernel of both sides: cosine (default), gaussian or linear' },
  { name: 'kernel-x', value: 'K', help: 'compare: kernel of X' },
  { name: 'kernel-y', value: 'K', help: 'compare: kernel of Y' },
  { name: 'sigma', value: 'S|FILE', help: 'Gaussian σ of both sides: a number, or a sample.npy from sigma-sample (its median pairwise distance)' },
  { name: 'sigma-x', value: 'S|FILE', help: 'compare: σ of X (a number or a sample.npy)' },
  { name: 'sigma-y', value: 'S|FILE', help: 'compare: σ of Y (a number or a sample.npy)' },
  { name: 'rff-dim', value: 'M', help: 'random Fourier frequencies of a Gaussian (default 1000)' },
  { name: 'eta', value: 'E', help: 'weight η ≥ 0 of Y (default 1)' },
  { name: 'seed', value: 'N', help: 'seed of the random features (default 0)' },
];

/** The task: finc when --task finc or --x/--y are given. */
export function taskOf(args: ParsedArgs): 'compare' | 'finc' {
  const t = stringOption(args, 'task');
  const task = t !== undefined ? parseChoice('task', t, ['compare', 'finc'] as const) : args.options.has('x') || args.options.has('y') ? 'finc' : 'compare';
  if (task === 'finc' && args.positionals.length > 0) throw new UsageError('finc shards are given as --x FILE and/or --y FILE, not as positionals');
  if (task === 'compare' && (args.options.has('x') || args.options.has('y')))
    throw new UsageError('--x/--y are finc shards; compare takes X and Y as two positionals');
  if (task === 'compare' && args.positionals.length !== 2) throw new UsageError('compare: give the shard as two files, X and Y');
  return task;
}

/** The shard's inputs as row sources (.npy streamed), with a close(). */
export function openShard(args: ParsedArgs, task: 'compare' | 'finc'): { x?: RowSource; y?: RowSource; files: string[]; close(): void } {
  const key = stringOption(args, 'key');
  const px = task === 'compare' ? args.positionals[0] : stringOption(args, 'x');
  const py = task === 'compare' ? args.positionals[1] : stringOption(args, 'y');
  if (px === undefined && py === undefined) throw new UsageError('finc: give --x FILE and/or --y FILE');
  const opened: (RowSource & { close?: () => void })[] = [];
  try {
    const x = px !== undefined ? openEmbedding(px, 'X', key) : undefined;
    if (x) opened.push(x);
    const y = py !== undefined ? openEmbedding(py, 'Y', key) : undefined;
    if (y) opened.push(y);
    return { x, y, files: [px, py].filter((p): p is string => p !== undefined), close: () => opened.forEach((s) => s.close?.()) };
  } catch (e) {
    for (const s of opened) s.close?.();
    throw e;
  }
}

/** --name, or the first input's file name without its extension. */
export function shardName(args: ParsedArgs, files: string[]): string {
  return stringOption(args, 'name') ?? basename(files[0]).replace(/\.[^.]*$/, '');
}

/** σ from an option value: a positive number, or a sample file's median pairwise distance; 'auto' is refused. */
async function sigmaOf(option: string, raw: string): Promise<number> {
  if (raw === 'auto')
    throw new UsageError(`--${option} auto: every shard needs the same σ; run 'spec-embed sigma-sample' over all shards and pass its sample.npy (or a number)`);
  if (/\.(npy|npz|csv|tsv|json|jsonl)$/i.test(raw)) {
    const m = readEmbedding(raw, `--${option}`, undefined);
    return sigmaOfSample(m, raw);
  }
  return parseSigma(option, raw) as number;
}

/** The options every part of a run shares, from the command line. */
export async function shardTaskOptions(args: ParsedArgs, task: 'compare' | 'finc'): Promise<ShardTaskOptions> {
  const get = (n: string) => stringOption(args, n);
  const rffDim = get('rff-dim') !== undefined ? parseInteger('rff-dim', get('rff-dim')!, 1) : undefined;
  const kernelOf = async (typeOpt: string, sigmaOpt: string): Promise<KernelOption> => {
    const raw = get(typeOpt) ?? get('kernel');
    const type: KernelType = raw !== undefined ? parseChoice(get(typeOpt) !== undefined ? typeOpt : 'kernel', raw, KERNELS) : 'cosine';
    const s = get(sigmaOpt) ?? get('sigma');
    if (type !== 'gaussian') {
      if (s !== undefined) throw new UsageError(`--${get(sigmaOpt) !== undefined ? sigmaOpt : 'sigma'} applies to a gaussian kernel`);
      return type;
    }
    if (s === undefined)
      throw new UsageError(
        `a gaussian kernel needs --${sigmaOpt === 'sigma' ? 'sigma' : `${sigmaOpt} (or --sigma)`}: a number, or the sample.npy of 'spec-embed sigma-sample'`,
      );
    const sigma = await sigmaOf(get(sigmaOpt) !== undefined ? sigmaOpt : 'sigma', s);
    return rffDim !== undefined ? { type, sigma, rffDim } : { type, sigma };
  };
  const eta = get('eta') !== undefined ? parseNumber('eta', get('eta')!, 'a number ≥ 0') : undefined;
  if (eta !== undefined && eta < 0) throw new UsageError(`--eta must be a number ≥ 0, got '${get('eta')}'`);
  const seed = get('seed') !== undefined ? parseInteger('seed', get('seed')!, 0) : undefined;
  const common = { ...(eta !== undefined ? { eta } : {}), ...(seed !== undefined ? { seed } : {}) };
  if (task === 'finc') {
    if (args.options.has('kernel-x') || args.options.has('kernel-y') || args.options.has('sigma-x') || args.options.has('sigma-y'))
      throw new UsageError('finc has one kernel for both sets: use --kernel and --sigma');
    return { task, kernel: await kernelOf('kernel', 'sigma'), ...common };
  }
  return { task, kernelX: await kernelOf('kernel-x', 'sigma-x'), kernelY: await kernelOf('kernel-y', 'sigma-y'), ...common };
}

/** Reads a step's input file whole (parts, solutions, scores), naming it when it cannot. */
export function readStepFile(path: string, role: string): Uint8Array {
  checkReadable(path, role);
  // a copy of its own: word-aligned, so the checksum reads whole words
  return new Uint8Array(readFileSync(path));
}

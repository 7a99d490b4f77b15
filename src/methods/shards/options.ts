// The options every step of a sharded run must share (kernels with a numeric σ,
// η, seed, and the data's columns), in one canonical form: written into every
// part, solution and scores file with its content hash, so steps made with
// different options refuse each other by name.
import { InputError } from '../../errors.js';
import type { KernelOption } from '../../types/index.js';
import { kernelOption, resolveKernel, type Kernel } from '../../features/kernel.js';
import { etaOf, optionsOf, seedOf } from '../../validate/checks.js';
import { contentHash } from '../../sums/part-file.js';
import { SpecSums } from '../../sums/spec-sums.js';
import { FincSums } from '../../sums/finc-sums.js';

/** The options of a sharded compare (paired rows X, Y) or finc (two sets under one kernel). */
export type ShardTaskOptions =
  | { task: 'compare'; kernelX?: KernelOption; kernelY?: KernelOption; kernel?: KernelOption; eta?: number; seed?: number }
  | { task: 'finc'; kernel?: KernelOption; eta?: number; seed?: number };

/** The canonical options (σ numeric, dimensions known) every file of a run carries. */
export type CanonicalOptions =
  | { task: 'compare'; kernelX: KernelOption; kernelY: KernelOption; eta: number; seed: number; dx: number; dy: number }
  | { task: 'finc'; kernel: KernelOption; eta: number; seed: number; d: number };

const needSigma = (side: string) => () => {
  throw new InputError(
    `a sharded run needs one numeric σ for every shard (kernel${side}): run 'spec-embed sigma-sample' over all shards first (or estimateSigma on its sample), or give σ`,
  );
};

/** Resolves the options for data of `cols` columns (compare: [dx, dy]; finc: [d]). */
export function canonicalOptions(o: ShardTaskOptions, cols: number[]): CanonicalOptions {
  const opts = optionsOf(o, 'shard options');
  if (opts.task === 'compare') {
    const kx = resolveKernel(opts.kernelX ?? opts.kernel, 'X', needSigma('X')),
      ky = resolveKernel(opts.kernelY ?? opts.kernel, 'Y', needSigma('Y'));
    return { task: 'compare', kernelX: kernelOption(kx), kernelY: kernelOption(ky), eta: etaOf(opts.eta), seed: seedOf(opts.seed), dx: cols[0], dy: cols[1] };
  }
  if (opts.task === 'finc') {
    const k = resolveKernel(opts.kernel, '', needSigma(''));
    return { task: 'finc', kernel: kernelOption(k), eta: etaOf(opts.eta), seed: seedOf(opts.seed), d: cols[0] };
  }
  throw new InputError(`shard options: task must be 'compare' or 'finc', got ${JSON.stringify((opts as { task?: unknown }).task)}`);
}

/** The content hash of canonical options. */
export function optionsHash(o: CanonicalOptions): string {
  return contentHash(o);
}

/** Empty sums for the options; `names` name the inputs in messages. */
export function sumsFor(o: CanonicalOptions, names: [string, string]): SpecSums | FincSums {
  if (o.task === 'compare') {
    const kx: Kernel = resolveKernel(o.kernelX, 'X'),
      ky: Kernel = resolveKernel(o.kernelY, 'Y');
    return SpecSums.of(kx, ky, o.eta, o.seed, { cols: o.dx, name: names[0] }, { cols: o.dy, name: names[1] });
  }
  return FincSums.of(resolveKernel(o.kernel, ''), o.eta, o.seed, { cols: o.d, name: names[0] }, { name: names[1] });
}

/** A readable one-line summary of where two options differ (for the mismatch message). */
export function optionsDiff(a: CanonicalOptions, b: CanonicalOptions): string {
  const ra = a as unknown as Record<string, unknown>,
    rb = b as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
  return keys
    .filter((k) => JSON.stringify(ra[k]) !== JSON.stringify(rb[k]))
    .map((k) => `${k} ${JSON.stringify(ra[k])} vs ${JSON.stringify(rb[k])}`)
    .join(', ');
}

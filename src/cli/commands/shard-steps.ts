// The first steps of a sharded covariance run (docs/scale.md), each a task an
// engine (Dask, Workers, a batch system) schedules: sigma-sample, accumulate,
// merge, solve. score and finish are in shard-finish.ts.
import { npyBytes } from '../../io/npy-write.js';
import { init } from '../../wasm/loader.js';
import { accumulateShard, alignmentNote, mergeParts, readPart, sigmaOfSample, sigmaSample, solveParts } from '../../methods/shards/index.js';
import { UsageError, parseInteger } from '../args.js';
import type { Command } from '../command.js';
import { writeOutput } from '../files.js';
import { createProgress } from '../progress.js';
import { checkOutputs, flag, stringOption } from '../shared.js';
import { openEmbedding } from './compare.js';
import { SHARD_INPUT_OPTIONS, SHARD_KERNEL_OPTIONS, openShard, readStepFile, shardName, shardTaskOptions, taskOf } from '../shard-options.js';

const OUT = (what: string) => ({ name: 'out', value: 'FILE', help: `write the ${what} here (written whole, via a temporary file)` });

/** Runs a step with progress on stderr; `out` is checked writable and distinct from `inputs` first. */
async function step(
  args: Parameters<Command['run']>[0],
  inputs: string[],
  body: (progress: ReturnType<typeof createProgress>) => Promise<void>,
): Promise<number> {
  if (stringOption(args, 'out') === undefined) throw new UsageError('--out FILE is required');
  checkOutputs(
    args,
    ['out'],
    inputs.map((path, i) => ({ role: `input ${i + 1}`, path })),
  );
  const progress = createProgress();
  try {
    await init();
    await body(progress);
    return 0;
  } finally {
    progress.stop();
  }
}

export const sigmaSampleCommand: Command = {
  name: 'sigma-sample',
  summary: "σ = auto across shards: the one-machine run's seeded sample of ≤ 1000 rows, from the shards",
  usage: `usage: spec-embed sigma-sample SHARD... --out sample.npy [--seed N]

Reads the shards in the order given (their concatenation is the data: give them in
name order; for finc, X's shards then Y's) and writes the rows a one-machine run's
σ = auto would sample (seeded, at most 1000), as a float32 .npy. Prints σ, the
median pairwise distance of those rows. Pass the sample (or σ) to accumulate
--sigma/--sigma-x/--sigma-y: every shard then uses the same σ.`,
  options: [
    OUT('sample'),
    { name: 'seed', value: 'N', help: "the run's seed (default 0)" },
    { name: 'key', value: 'NAME', help: 'array name inside .npz inputs' },
    { name: 'json', help: 'print {"sigma": …, "rows": …} to stdout' },
  ],
  positionals: { min: 1, max: Number.MAX_SAFE_INTEGER, names: 'one or more shard files' },
  async run(args) {
    return step(args, args.positionals, async (progress) => {
      const seed = stringOption(args, 'seed') !== undefined ? parseInteger('seed', stringOption(args, 'seed')!, 0) : 0;
      const srcs = args.positionals.map((p) => openEmbedding(p, 'X', stringOption(args, 'key')));
      try {
        const sample = await sigmaSample(srcs, seed);
        const sigma = await sigmaOfSample(sample, 'the sample');
        writeOutput(stringOption(args, 'out')!, npyBytes(Float32Array.from(sample.data), [sample.rows, sample.cols]), 'sample');
        progress.stop();
        process.stdout.write(
          flag(args, 'json')
            ? `${JSON.stringify({ sigma, rows: sample.rows })}\n`
            : `sigma = ${sigma} (median pairwise distance of ${sample.rows} sampled rows)\n`,
        );
      } finally {
        for (const s of srcs) s.close?.();
      }
    });
  },
};

export const accumulateCommand: Command = {
  name: 'accumulate',
  summary: "one shard's covariance sums, as a part file (the first step of a sharded run)",
  usage: `usage: spec-embed accumulate X-SHARD Y-SHARD --out part.snap [options]
       spec-embed accumulate --x X-SHARD --y Y-SHARD --out part.snap [options]   (finc)

Accumulates one shard's rows into a part: the covariance sums, the row count, the
options (kernel, σ, rffDim, seed, η) with their hash, and the shard's name (shards
concatenate in name order). A Gaussian needs a numeric σ or a sigma-sample file.`,
  options: [OUT('part'), ...SHARD_INPUT_OPTIONS, ...SHARD_KERNEL_OPTIONS],
  positionals: { min: 0, max: 2, names: 'the shard (compare: X and Y)' },
  async run(args) {
    const task = taskOf(args);
    const inputs = task === 'compare' ? args.positionals : (['x', 'y'].map((o) => stringOption(args, o)).filter(Boolean) as string[]);
    return step(args, inputs, async (progress) => {
      const options = await shardTaskOptions(args, task);
      const shard = openShard(args, task);
      try {
        const name = shardName(args, shard.files);
        const part = await accumulateShard(name, shard, options, { onProgress: progress.onProgress });
        writeOutput(stringOption(args, 'out')!, part, 'part');
        progress.note(`part of shard '${name}' written to ${stringOption(args, 'out')}`);
      } finally {
        shard.close();
      }
    });
  },
};

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'adds part files (any grouping) into one part',
  usage: `usage: spec-embed merge PART... --out merged.snap

Adds the parts' sums in the order of their shard names (the same parts give the same
bytes in any order given). Refuses parts made with other options, and a shard in two
parts, naming the file.`,
  options: [OUT('merged part')],
  positionals: { min: 1, max: Number.MAX_SAFE_INTEGER, names: 'one or more part files' },
  async run(args) {
    return step(args, args.positionals, async (progress) => {
      // read lazily: two parts in memory at a time, however many are merged
      const merged = mergeParts(args.positionals.map((file) => ({ bytes: () => readStepFile(file, 'part'), file })));
      writeOutput(stringOption(args, 'out')!, merged, 'part');
      const note = alignmentNote(readPart(merged, stringOption(args, 'out')!));
      if (note) progress.note(note);
    });
  },
};

export const solveCommand: Command = {
  name: 'solve',
  summary: 'the eigen-solve of merged parts: a small solution file to broadcast to the scoring tasks',
  usage: `usage: spec-embed solve MERGED.snap --out solution.snap [--top K] [--samples-per-mode N] [--keep-scores]

Finds the modes as a one-machine run's covariance route does and writes their
D-side vectors, the spectrum and the settings.`,
  options: [
    OUT('solution'),
    { name: 'top', value: 'K', help: 'modes per side (default 10)' },
    { name: 'samples-per-mode', value: 'N', help: 'top samples listed per mode (default 20)' },
    { name: 'keep-scores', help: "keep every sample's score in the scores parts (finish --scores writes them)" },
  ],
  positionals: { min: 1, max: 1, names: 'one merged part file' },
  async run(args) {
    return step(args, args.positionals, async (progress) => {
      const get = (n: string) => stringOption(args, n);
      const settings = {
        ...(get('top') !== undefined ? { topK: parseInteger('top', get('top')!, 1) } : {}),
        ...(get('samples-per-mode') !== undefined ? { samplesPerMode: parseInteger('samples-per-mode', get('samples-per-mode')!, 1) } : {}),
        ...(flag(args, 'keep-scores') ? { returnScores: true } : {}),
      };
      const file = args.positionals[0];
      const sol = await solveParts(readStepFile(file, 'part'), file, settings, { onProgress: progress.onProgress });
      writeOutput(get('out')!, sol, 'solution');
    });
  },
};

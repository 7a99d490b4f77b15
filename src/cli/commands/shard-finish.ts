// The last steps of a sharded covariance run: score (one shard's rows again,
// against the solution) and finish (every shard's scores → the --json object
// and the table of a one-machine compare/finc).
import { init } from '../../wasm/loader.js';
import { finishCompare, finishFinc, readSolution, scoreShard } from '../../methods/shards/index.js';
import { UsageError } from '../args.js';
import { writeOutput } from '../files.js';
import type { Command } from '../command.js';
import { createProgress } from '../progress.js';
import { checkOutputs, flag, stringOption } from '../shared.js';
import { SHARD_INPUT_OPTIONS, openShard, readStepFile, shardName, taskOf } from '../shard-options.js';
import { toCliJson, type CliExtras } from '../../report/json.js';
import { toFincCliJson } from '../../report/finc-json.js';
import { formatHuman } from '../format.js';
import { formatFincHuman } from '../finc-output.js';
import { writeScores } from '../scores.js';

export const scoreCommand: Command = {
  name: 'score',
  summary: "one shard's mode scores against a solution (top samples with global row indices)",
  usage: `usage: spec-embed score X-SHARD Y-SHARD --solution solution.snap --out scores.part [--name NAME]
       spec-embed score --x X-SHARD --y Y-SHARD --solution solution.snap --out scores.part   (finc)

The shard's global row offset follows from its name and the solution's shard list.`,
  options: [
    { name: 'solution', value: 'FILE', help: 'the solution file (from solve)' },
    { name: 'out', value: 'FILE', help: 'write the scores part here' },
    ...SHARD_INPUT_OPTIONS,
    { name: 'task', value: 'T', help: 'compare (default) or finc' },
  ],
  positionals: { min: 0, max: 2, names: 'the shard (compare: X and Y)' },
  async run(args) {
    const task = taskOf(args);
    const solFile = stringOption(args, 'solution');
    if (solFile === undefined) throw new UsageError('--solution FILE is required');
    if (stringOption(args, 'out') === undefined) throw new UsageError('--out FILE is required');
    const inputs = [...(task === 'compare' ? args.positionals : (['x', 'y'].map((o) => stringOption(args, o)).filter(Boolean) as string[])), solFile];
    checkOutputs(
      args,
      ['out'],
      inputs.map((path, i) => ({ role: `input ${i + 1}`, path })),
    );
    const progress = createProgress();
    try {
      await init();
      const sol = readStepFile(solFile, '--solution');
      const shard = openShard(args, task);
      try {
        const scores = await scoreShard(sol, solFile, shardName(args, shard.files), shard, { onProgress: progress.onProgress });
        writeOutput(stringOption(args, 'out')!, scores, 'scores');
      } finally {
        shard.close();
      }
      return 0;
    } finally {
      progress.stop();
    }
  },
};

export const finishCommand: Command = {
  name: 'finish',
  summary: "every shard's scores → the result of a one-machine compare/finc (--json object or table)",
  usage: `usage: spec-embed finish solution.snap SCORES... [--json] [--scores FILE] [--scores-y FILE]

Merges the shards' top samples (every row of every set must be scored exactly once)
and prints what a one-machine run on the concatenated shards prints (its random-feature
error estimate aside: it needs the data on one machine).`,
  options: [
    { name: 'json', help: 'print one JSON object to stdout instead of the table' },
    { name: 'scores', value: 'FILE', help: "write every sample's score (needs solve --keep-scores), as compare --scores / finc --scores" },
    { name: 'scores-y', value: 'FILE', help: "finc: Y's scores on the side-y modes" },
  ],
  positionals: { min: 2, max: Number.MAX_SAFE_INTEGER, names: 'a solution file and one or more scores files' },
  async run(args) {
    const [solFile, ...scoreFiles] = args.positionals;
    const outs = checkOutputs(
      args,
      ['scores', 'scores-y'],
      args.positionals.map((path, i) => ({ role: `input ${i + 1}`, path })),
    );
    await init();
    const t0 = performance.now();
    const solution = { bytes: readStepFile(solFile, 'solution'), file: solFile };
    const scores = scoreFiles.map((file) => ({ bytes: readStepFile(file, 'scores'), file }));
    const json = flag(args, 'json');
    const sol = readSolution(solution.bytes, solFile);
    const { task, seed } = sol.options;
    if (outs.length && !sol.returnScores) throw new UsageError(`${outs[0].role} needs every score: solve with --keep-scores, then score and finish again`);
    const timings = () => ({ finish: (performance.now() - t0) / 1000, total: (performance.now() - t0) / 1000 });
    if (task === 'compare') {
      if (outs.some((o) => o.role === '--scores-y')) throw new UsageError('--scores-y is for finc runs');
      const result = finishCompare(solution, scores);
      // σ was given to accumulate (a number, or a sigma-sample file)
      const extras: CliExtras = {
        seed,
        sigma: { X: result.kernelX.type === 'gaussian' ? 'given' : null, Y: result.kernelY.type === 'gaussian' ? 'given' : null },
      };
      const p = stringOption(args, 'scores');
      if (p !== undefined) extras.scores = writeScores(p, result.modes, result.n);
      result.timings = timings();
      const cli = toCliJson(result, undefined, undefined, extras);
      process.stdout.write(json ? `${JSON.stringify(cli)}\n` : formatHuman(result, { xName: 'X (shards)', yName: 'Y (shards)', json: cli }));
      return 0;
    }
    const result = finishFinc(solution, scores);
    const sigma = result.kernel.type === 'gaussian' ? 'given' : null;
    const extras: CliExtras = { seed, sigma: { X: sigma, Y: sigma } };
    const px = stringOption(args, 'scores'),
      py = stringOption(args, 'scores-y');
    if (px !== undefined)
      extras.scores = writeScores(
        px,
        result.modes.filter((m) => m.side === 'x'),
        result.nx,
      );
    if (py !== undefined)
      extras.scoresY = writeScores(
        py,
        result.modes.filter((m) => m.side === 'y'),
        result.ny,
      );
    result.timings = timings();
    const cli = toFincCliJson(result, {}, undefined, extras);
    process.stdout.write(
      json ? `${JSON.stringify(cli)}\n` : formatFincHuman(result, { xName: 'X (shards)', yName: 'Y (shards)', labels: {}, sigmaAuto: false, json: cli }),
    );
    return 0;
  },
};

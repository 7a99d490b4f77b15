// The last step of a sharded run: the solution and every shard's scores → the
// result a one-machine compare() or finc() returns on the covariance route. The
// scores' selection states merge in row order (a total order on score and row,
// so the top samples are those of one pass); the shards must cover every row of
// every set that has modes exactly once (a missing or repeated shard is named).
import { InputError } from '../../errors.js';
import type { SpecResult } from '../../types/index.js';
import type { FincResult } from '../../types/finc.js';
import { featureDim, kernelInfo, resolveKernel } from '../../features/kernel.js';
import { TopSamples, buildModes, clampNotes } from '../../score/modes.js';
import { keepOf } from '../../score/scoring.js';
import { fincModes, type FincSolved } from '../../score/finc-solve.js';
import { withToJSON } from '../compare.js';
import { readSolution, type ShardSolution } from './solution.js';
import { readScores, type ShardScores } from './scores.js';

/** Why the covariance route was taken, in a sharded run. */
const reason = (shards: number) => `sharded: the covariance sums of ${shards} shard${shards === 1 ? '' : 's'}, merged, solved once and scored per shard`;

/** Merges the scores of every shard into per-set TopSamples, checking they cover each set once. */
function mergeScores(sol: ShardSolution, parts: { scores: ShardScores; file: string }[]): TopSamples[] {
  return sol.vectors.map((v, set) => {
    const total = sol.rows[set];
    const top = new TopSamples(v.k, sol.samplesPerMode, total, keepOf(v, sol.returnScores));
    const pieces = parts
      .flatMap(({ scores, file }) => scores.sets.filter((s) => s.set === set).map((s) => ({ ...s, file })))
      .sort((a, b) => a.offset - b.offset);
    let row = 0;
    for (const p of pieces) {
      if (p.offset < row)
        throw new InputError(`rows ${p.offset}..${p.offset + p.rows} of set ${set ? 'Y' : 'X'} were scored twice (also in an earlier scores file)`, p.file);
      if (p.offset > row) throw new InputError(`no scores for rows ${row}..${p.offset} of ${set ? 'Y' : 'X'}: a shard's scores file is missing`);
      top.absorb(p.partial, p.offset);
      row = p.offset + p.rows;
    }
    if (row !== total && (v.k > 0 || pieces.length > 0))
      throw new InputError(`no scores for rows ${row}..${total} of ${set ? 'Y' : 'X'}: a shard's scores file is missing`);
    return top;
  });
}

/** Reads the solution and scores files and merges them; each file is named in messages. */
function gather(solution: { bytes: Uint8Array; file: string }, scores: { bytes: Uint8Array; file: string }[]) {
  const sol = readSolution(solution.bytes, solution.file);
  const names = new Map<string, string>();
  const parts = scores.map(({ bytes, file }) => {
    const s = readScores(bytes, file);
    if (s.solution !== sol.id) throw new InputError(`was scored with another solution than ${solution.file}`, file);
    const twice = names.get(s.name);
    if (twice !== undefined) throw new InputError(`shard '${s.name}' was scored twice (also in ${twice})`, file);
    names.set(s.name, file);
    return { scores: s, file };
  });
  return { sol, tops: mergeScores(sol, parts) };
}

/** A sharded compare's result (as compareSources on the covariance route, without rffError). */
export function finishCompare(
  solution: { bytes: Uint8Array; file: string },
  scores: { bytes: Uint8Array; file: string }[],
  timings: Record<string, number> = {},
): SpecResult {
  const { sol, tops } = gather(solution, scores);
  const o = sol.options;
  if (o.task !== 'compare') throw new InputError('is a finc solution: use finishFinc', solution.file);
  const kx = resolveKernel(o.kernelX, 'X'),
    ky = resolveKernel(o.kernelY, 'Y');
  const n = sol.rows[0],
    D = featureDim(kx, o.dx) + featureDim(ky, o.dy),
    dim = Math.min(n, D);
  const notes = clampNotes(sol.topK, sol.samplesPerMode, dim, dim === n ? `${n} × ${n} Λ` : `${D} × ${D} covariance (D = ${D} features)`, {
    n,
    what: `${n} samples`,
  });
  const modes = buildModes(sol.chosen, tops[0].finish());
  return withToJSON({
    n,
    method: 'covariance',
    methodReason: reason(sol.shards.length),
    eta: o.eta,
    kernelX: kernelInfo(kx, 'covariance'),
    kernelY: kernelInfo(ky, 'covariance'),
    eigenvalues: Float64Array.from(sol.chosen.map((c) => c.value)),
    modes,
    specDiff: sol.specDiff,
    noiseDropped: sol.noiseDropped,
    ...(notes.length ? { notes } : {}),
    timings: { total: 0, ...timings },
    spectrumComplete: 2 * sol.topK >= dim,
  });
}

/** A sharded finc's result (as fincSources on the covariance route, without rffError). */
export function finishFinc(
  solution: { bytes: Uint8Array; file: string },
  scores: { bytes: Uint8Array; file: string }[],
  timings: Record<string, number> = {},
): FincResult {
  const { sol, tops } = gather(solution, scores);
  const o = sol.options;
  if (o.task !== 'finc') throw new InputError('is a compare solution: use finishCompare', solution.file);
  const kernel = resolveKernel(o.kernel, '');
  const [nx, ny] = sol.rows,
    D = featureDim(kernel, o.d),
    dim = Math.min(nx + ny, D);
  const solved = {
    sol: {
      nx,
      ny,
      eigenvalues: Float64Array.from(sol.chosen.map((c) => c.value)),
      sides: sol.chosen.map((c) => c.side),
      shareX: Float64Array.from(sol.shareX ?? []),
      shareY: Float64Array.from(sol.shareY ?? []),
      specDiff: sol.specDiff,
      noiseDropped: sol.noiseDropped,
      noiseFloor: 0,
    },
    eta: o.eta,
    vectors: sol.vectors,
    samplesPerMode: sol.samplesPerMode,
    returnScores: sol.returnScores,
  } as FincSolved;
  const modes = fincModes(solved, tops);
  const notes = clampNotes(sol.topK, sol.samplesPerMode, dim, `${D} × ${D} covariance (D = ${D} features)`, {
    n: Math.max(nx, ny),
    what: `${nx} samples of X and ${ny} of Y`,
  });
  return withToJSON({
    task: 'finc',
    nx,
    ny,
    method: 'covariance',
    methodReason: reason(sol.shards.length),
    eta: o.eta,
    kernel: kernelInfo(kernel, 'covariance'),
    eigenvalues: Float64Array.from(modes.map((m) => m.eigenvalue)),
    modes,
    specDiff: sol.specDiff,
    noiseDropped: sol.noiseDropped,
    ...(notes.length ? { notes } : {}),
    timings: { ...timings },
    spectrumComplete: 2 * sol.topK >= dim,
  });
}

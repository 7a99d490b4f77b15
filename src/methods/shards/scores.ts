// The scoring step of a sharded run: one shard's rows again, times the
// solution's mode vectors, kept as each mode's mergeable selection state (its
// top and bottom samples with global row indices, score sum, histogram) and,
// when the solution keeps them, every score. `finish` merges these parts.
import { InputError } from '../../errors.js';
import { Cooperative, drive, shifted } from '../../runtime/cooperative.js';
import type { RowSource } from '../../validate/source.js';
import { readPartFile, writePartFile } from '../../sums/part-file.js';
import { READ_ROWS, SpecSums } from '../../sums/spec-sums.js';
import { ScorePass } from '../../sums/score-pass.js';
import { TopSamples, type KeeperState, type TopPartial } from '../../score/modes.js';
import { keepOf } from '../../score/scoring.js';
import type { HistogramState } from '../../score/ends.js';
import { sumsFor } from './options.js';
import type { StepRun } from './parts.js';
import { readSolution, shardOffset } from './solution.js';

const MAGIC = 'SPECSCO';
const VERSION = 1;

/** One set's scores of one shard: where its rows sit in the set, and the selection state. */
export interface ScoredSet {
  set: number;
  offset: number;
  rows: number;
  partial: TopPartial;
}

/** A scores file's content. */
export interface ShardScores {
  solution: string;
  name: string;
  sets: ScoredSet[];
}

/** Scores shard `name` (the name it was accumulated under) with a solution. */
export async function scoreShard(
  solutionBytes: Uint8Array,
  solutionFile: string,
  name: string,
  input: { x?: RowSource; y?: RowSource },
  run: StepRun = {},
): Promise<Uint8Array> {
  const sol = readSolution(solutionBytes, solutionFile);
  const o = sol.options;
  const { offsets, rows } = shardOffset(sol, name, solutionFile);
  const srcs = o.task === 'compare' ? [input.x] : [input.x, input.y];
  srcs.forEach((s, set) => {
    const want = rows[set];
    const what = o.task === 'compare' ? 'X and Y' : set ? 'Y' : 'X';
    if ((s?.rows ?? 0) !== want)
      throw new InputError(`shard '${name}' had ${want} rows of ${what} when accumulated, the scoring step got ${s?.rows ?? 0}: score the same rows`, s?.name);
  });
  if (o.task === 'compare' && input.y?.rows !== rows[0])
    throw new InputError(`shard '${name}': Y must have the ${rows[0]} rows it was accumulated with`, input.y?.name);
  const coop = new Cooperative(run.signal, run.onProgress);
  const sums = sumsFor(o, [input.x?.name ?? 'X', input.y?.name ?? 'Y']);
  try {
    const sets: ScoredSet[] = [];
    for (const [set, v] of sol.vectors.entries()) {
      const src = srcs[set];
      if (!src || rows[set] === 0) continue;
      const top = new TopSamples(v.k, sol.samplesPerMode, rows[set], keepOf(v, sol.returnScores));
      const pass = new ScorePass(sums, set, v, top, rows[set]);
      for (let s = 0; s < src.rows; s += READ_ROWS) {
        const n = Math.min(READ_ROWS, src.rows - s);
        const chunk = (r: RowSource) => ({ data: r.read(s, n), rows: n, cols: r.cols });
        const steps = sums instanceof SpecSums ? sums.scoreSteps(pass, chunk(src), chunk(input.y!)) : sums.scoreSteps(pass, chunk(src));
        // progress in rows of this set of the shard
        await drive(shifted(steps, s, src.rows, 'rows'), coop, 'scores');
      }
      pass.checkComplete(true);
      sets.push({ set, offset: offsets[set], rows: rows[set], partial: top.partial() });
    }
    return writeScores({ solution: sol.id, name, sets });
  } finally {
    sums.dispose();
  }
}

// ---- the file: JSON meta (selection states; non-finite numbers as strings) and the kept scores as f64 ----

const num = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
const unnum = (v: unknown): number => (typeof v === 'string' ? Number(v) : (v as number));

function histJson(h: HistogramState) {
  return { e: h.e, count: h.count, min: num(h.min), max: num(h.max), n: Array.from(h.n), s1: Array.from(h.s1), s2: Array.from(h.s2) };
}

function writeScores(s: ShardScores): Uint8Array {
  const full: Float64Array[] = [];
  const sets = s.sets.map((x) => ({
    set: x.set,
    offset: x.offset,
    rows: x.rows,
    keepers: x.partial.keepers.map((k) => ({ sum: k.sum, count: k.count, hi: k.hi, lo: k.lo, hist: histJson(k.hist) })),
    scores: x.partial.scores?.map((c) => {
      full.push(c);
      return c.length;
    }),
  }));
  const total = full.reduce((t, c) => t + c.length, 0);
  const payload = new Float64Array(total);
  let p = 0;
  for (const c of full) {
    payload.set(c, p);
    p += c.length;
  }
  return writePartFile(MAGIC, VERSION, { kind: 'scores', solution: s.solution, name: s.name, sets }, new Uint8Array(payload.buffer));
}

/** Reads a scores file; `file` names it in messages. */
export function readScores(bytes: Uint8Array, file: string): ShardScores {
  const { meta, payload } = readPartFile(bytes, MAGIC, VERSION, 'scores', file);
  const bad = (why: string) => new InputError(`not a spec-embed scores file: ${why}`, file);
  if (typeof meta.solution !== 'string' || typeof meta.name !== 'string' || !Array.isArray(meta.sets)) throw bad('bad meta');
  const floats = new Float64Array(Math.floor(payload.length / 8));
  new Uint8Array(floats.buffer).set(payload.subarray(0, floats.length * 8));
  let p = 0;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON, checked as it is used
  const sets: ScoredSet[] = meta.sets.map((x: any) => {
    if (!Number.isSafeInteger(x?.offset) || !Number.isSafeInteger(x?.rows) || !Array.isArray(x?.keepers)) throw bad('bad set');
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const keepers: KeeperState[] = x.keepers.map((k: any) => ({
      sum: k.sum,
      count: k.count,
      hi: k.hi,
      lo: k.lo,
      hist: {
        ...k.hist,
        min: unnum(k.hist.min),
        max: unnum(k.hist.max),
        n: Float64Array.from(k.hist.n),
        s1: Float64Array.from(k.hist.s1),
        s2: Float64Array.from(k.hist.s2),
      },
    }));
    const partial: TopPartial = { keepers };
    if (Array.isArray(x.scores)) {
      partial.scores = x.scores.map((len: number) => {
        if (!Number.isSafeInteger(len) || p + len > floats.length) throw bad('truncated scores');
        const c = floats.slice(p, p + len);
        p += len;
        return c;
      });
    }
    return { set: x.set, offset: x.offset, rows: x.rows, partial };
  });
  return { solution: meta.solution, name: meta.name, sets };
}

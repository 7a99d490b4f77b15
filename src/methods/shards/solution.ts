// The solve step of a sharded run: the merged part's sums → the extreme
// eigenpairs (as the one-machine covariance route finds them) in a small file
// to broadcast to the scoring tasks: the D-side mode vectors V (f32, D × k),
// the spectrum and the solve's settings, the options and their hash, and the
// shard list (each shard's global row offset follows from it, in name order).
import { InputError } from '../../errors.js';
import type { SpecDiff } from '../../types/index.js';
import { Cooperative, drive } from '../../runtime/cooperative.js';
import { contentHash, readPartFile, writePartFile } from '../../sums/part-file.js';
import type { ModeVectors } from '../../sums/score-pass.js';
import { SpecSums } from '../../sums/spec-sums.js';
import { FincSums } from '../../sums/finc-sums.js';
import { solveSpecSteps } from '../../score/spec-solve.js';
import { solveFincSteps } from '../../score/finc-solve.js';
import { checkFiniteResult, overflowError } from '../../validate/checks.js';
import { optionsHash, type CanonicalOptions } from './options.js';
import { readPart, type ShardEntry, type StepRun } from './parts.js';

const MAGIC = 'SPECSOL';
const VERSION = 1;

/** The solve's settings (as compare's and finc's options of the same names). */
export interface ShardSolveSettings {
  topK?: number;
  samplesPerMode?: number;
  returnScores?: boolean;
}

/** A solution file's content. */
export interface ShardSolution {
  options: CanonicalOptions;
  hash: string;
  /** The file's identity: score parts name it, finish checks it. */
  id: string;
  shards: ShardEntry[];
  rows: number[];
  D: number;
  topK: number;
  samplesPerMode: number;
  returnScores: boolean;
  /** compare: the modes' sides and eigenvalues; finc: also their shares. */
  chosen: { side: 'x' | 'y'; value: number }[];
  specDiff: SpecDiff;
  noiseDropped: number;
  shareX?: number[];
  shareY?: number[];
  /** Per set, its mode vectors (compare: one set; finc: X and Y, the same V). */
  vectors: ModeVectors[];
}

/** Solves a merged part (any part: one shard's, or all of them merged). */
export async function solveParts(bytes: Uint8Array, file: string, settings: ShardSolveSettings = {}, run: StepRun = {}): Promise<Uint8Array> {
  const part = readPart(bytes, file);
  const coop = new Cooperative(run.signal, run.onProgress);
  const o = part.options;
  const sums = o.task === 'compare' ? SpecSums.deserialize(part.snapshot) : FincSums.deserialize(part.snapshot);
  try {
    const D = sums.D;
    let body: Omit<ShardSolution, 'options' | 'hash' | 'id' | 'shards' | 'rows' | 'vectors' | 'D'>;
    let vectors: ModeVectors[];
    try {
      if (sums instanceof SpecSums) {
        const s = await drive(solveSpecSteps(sums, settings), coop, 'solve');
        checkFiniteResult(s.sol);
        body = {
          topK: 0,
          samplesPerMode: s.samplesPerMode,
          returnScores: s.returnScores,
          chosen: s.chosen,
          specDiff: s.sol.specDiff,
          noiseDropped: s.sol.noiseDropped,
        };
        vectors = s.vectors;
      } else {
        const s = await drive(solveFincSteps(sums, settings), coop, 'solve');
        checkFiniteResult(s.sol);
        const chosen = s.sol.sides.map((side, i) => ({ side, value: s.sol.eigenvalues[i] }));
        body = {
          topK: 0,
          samplesPerMode: s.samplesPerMode,
          returnScores: s.returnScores,
          chosen,
          specDiff: s.sol.specDiff,
          noiseDropped: s.sol.noiseDropped,
          shareX: Array.from(s.sol.shareX),
          shareY: Array.from(s.sol.shareY),
        };
        vectors = s.vectors;
      }
    } catch (e) {
      throw overflowError(e);
    }
    body.topK = settings.topK ?? 10;
    const V = vectors[0].V;
    const meta = {
      kind: 'solution',
      options: o,
      hash: part.hash,
      shards: part.shards,
      rows: part.rows,
      D,
      ...body,
      vectors: vectors.map((v) => ({ k: v.k, scale: v.scale, ...(v.keep ? { keep: v.keep } : {}) })),
      bytes: V.byteLength,
    };
    const payload = new Uint8Array(V.buffer, V.byteOffset, V.byteLength);
    // the id hashes what scoring depends on: the meta and the vectors
    const id = contentHash([meta, Array.from(V)]);
    return writePartFile(MAGIC, VERSION, { ...meta, id }, payload);
  } finally {
    sums.dispose();
  }
}

/** Reads a solution file; `file` names it in messages. */
export function readSolution(bytes: Uint8Array, file: string): ShardSolution {
  const { meta, payload } = readPartFile(bytes, MAGIC, VERSION, 'solution', file);
  const bad = (why: string) => new InputError(`not a spec-embed solution file: ${why}`, file);
  const o = meta.options as CanonicalOptions;
  if (!o || (o.task !== 'compare' && o.task !== 'finc') || meta.hash !== optionsHash(o)) throw bad('bad options');
  const D = meta.D;
  const vs = meta.vectors;
  if (!Number.isSafeInteger(D) || D < 1 || !Array.isArray(vs) || vs.length !== (o.task === 'compare' ? 1 : 2)) throw bad('bad dimensions');
  const k = vs[0]?.k;
  if (!Number.isSafeInteger(k) || k < 0 || meta.bytes !== 4 * D * Math.max(k, 1) || payload.length < meta.bytes) throw bad('bad mode vectors');
  if (!Array.isArray(meta.chosen) || meta.chosen.length !== k) throw bad('bad spectrum');
  const V = new Float32Array(D * Math.max(k, 1));
  new Uint8Array(V.buffer).set(payload.subarray(0, meta.bytes));
  return {
    options: o,
    hash: meta.hash,
    id: String(meta.id),
    shards: meta.shards,
    rows: meta.rows,
    D,
    topK: meta.topK,
    samplesPerMode: meta.samplesPerMode,
    returnScores: !!meta.returnScores,
    chosen: meta.chosen,
    specDiff: meta.specDiff,
    noiseDropped: meta.noiseDropped,
    ...(meta.shareX ? { shareX: meta.shareX, shareY: meta.shareY } : {}),
    vectors: vs.map((v: { k: number; scale: number; keep?: boolean[] }) => ({ V, k: v.k, scale: v.scale, ...(v.keep ? { keep: v.keep } : {}) })),
  };
}

/** The global row offset of shard `name` in each set (shards concatenate in name order). */
export function shardOffset(sol: ShardSolution, name: string, file: string): { offsets: number[]; rows: number[] } {
  const i = sol.shards.findIndex((s) => s.name === name);
  if (i < 0) throw new InputError(`shard '${name}' is not among the ${sol.shards.length} shards this solution was solved from`, file);
  const offsets = sol.rows.map((_, set) => sol.shards.slice(0, i).reduce((s, e) => s + e.rows[set], 0));
  return { offsets, rows: sol.shards[i].rows };
}

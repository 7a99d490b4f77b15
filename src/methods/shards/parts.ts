// The first two steps of a sharded covariance run: `accumulateShard` turns one
// shard's rows into a part (the pass-1 sums, the options and their hash, the
// shard's name and row count); `mergeParts` adds parts together, refusing
// different options or a shard seen twice (naming the file), in a fixed order:
// sorted by shard name, so the same parts give the same bytes however they arrive.
import { InputError } from '../../errors.js';
import type { ProgressEvent } from '../../types/index.js';
import { checkSameCols, checkSameRows } from '../../validate/checks.js';
import type { RowSource } from '../../validate/source.js';
import { Cooperative, drive, shifted, type Step } from '../../runtime/cooperative.js';
import { readPartFile, writePartFile } from '../../sums/part-file.js';
import { READ_ROWS, SpecSums } from '../../sums/spec-sums.js';
import { FincSums } from '../../sums/finc-sums.js';
import { syrkBlockRows } from '../../wasm/sums.js';
import { PRECISE_MAX_D } from '../../wasm/syrk.js';
import { canonicalOptions, optionsDiff, optionsHash, sumsFor, type CanonicalOptions, type ShardTaskOptions } from './options.js';

const MAGIC = 'SPECPRT';
const VERSION = 1;

/** One shard as the files list it: its name and its rows (compare: [n]; finc: [nx, ny]). */
export interface ShardEntry {
  name: string;
  rows: number[];
}

/** What a part file says about itself. */
export interface PartInfo {
  options: CanonicalOptions;
  hash: string;
  /** Every shard whose rows it holds, sorted by name. */
  shards: ShardEntry[];
  /** Rows per set (compare: [n]; finc: [nx, ny]). */
  rows: number[];
  /** Features per row (the sums are D × D). */
  D: number;
}

/** Progress and abort of a step. */
export interface StepRun {
  onProgress?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
}

/** Shard names order the concatenated data: plain code-unit order, the same everywhere. */
export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One shard's pass-1 sums as a part file. compare needs both `x` and `y` (paired
 * rows); finc takes either or both. Rows are checked (NaN, Inf, zero rows under
 * cosine) as they are read: an error names the source and the shard's row.
 */
export async function accumulateShard(
  name: string,
  input: { x?: RowSource; y?: RowSource },
  options: ShardTaskOptions,
  run: StepRun = {},
): Promise<Uint8Array> {
  if (typeof name !== 'string' || name === '') throw new InputError('a shard needs a non-empty name (it orders the shards)');
  const { x, y } = input;
  if (!x && !y) throw new InputError(`shard ${name}: no rows given`);
  let o: CanonicalOptions;
  if (options?.task === 'compare') {
    if (!x || !y) throw new InputError(`shard ${name}: compare pairs rows of X and Y: give both`);
    checkSameRows(x, y);
    o = canonicalOptions(options, [x.cols, y.cols]);
  } else {
    if (x && y) checkSameCols(x, y);
    o = canonicalOptions(options, [(x ?? y)!.cols]);
  }
  const coop = new Cooperative(run.signal, run.onProgress);
  const sums = sumsFor(o, [x?.name ?? 'X', y?.name ?? 'Y']);
  try {
    const total = (x?.rows ?? 0) + (o.task === 'finc' ? (y?.rows ?? 0) : 0);
    let done = 0;
    // progress in rows of the whole shard (both sets, for finc)
    const pass = async (src: RowSource, add: (s: number, rows: number) => Generator<Step, void>) => {
      for (let s = 0; s < src.rows; s += READ_ROWS) {
        const rows = Math.min(READ_ROWS, src.rows - s);
        await drive(shifted(add(s, rows), done, total, 'rows'), coop, 'accumulate');
        done += rows;
        coop.progress('accumulate', done, total, 'rows');
      }
    };
    const chunk = (src: RowSource, s: number, rows: number) => ({ data: src.read(s, rows), rows, cols: src.cols });
    if (sums instanceof SpecSums) await pass(x!, (s, rows) => sums.addSteps(chunk(x!, s, rows), chunk(y!, s, rows)));
    else {
      if (x) await pass(x, (s, rows) => sums.addSteps(chunk(x, s, rows), 'x'));
      if (y) await pass(y, (s, rows) => sums.addSteps(chunk(y, s, rows), 'y'));
    }
    const rows = sums instanceof SpecSums ? [sums.n] : [sums.nx, sums.ny];
    return writePart({ options: o, hash: optionsHash(o), shards: [{ name, rows }], rows, D: sums.D }, sums.serialize());
  } finally {
    sums.dispose();
  }
}

function writePart(info: PartInfo, snapshot: Uint8Array): Uint8Array {
  return writePartFile(MAGIC, VERSION, { kind: 'part', ...info, bytes: snapshot.length }, snapshot);
}

/** Reads a part file's info and its sums snapshot; `file` names it in messages. */
export function readPart(bytes: Uint8Array, file: string): PartInfo & { snapshot: Uint8Array } {
  const { meta, payload } = readPartFile(bytes, MAGIC, VERSION, 'part', file);
  const bad = (why: string) => new InputError(`not a spec-embed part file: ${why}`, file);
  const o = meta.options as CanonicalOptions;
  if (!o || (o.task !== 'compare' && o.task !== 'finc')) throw bad('no options');
  if (meta.hash !== optionsHash(o)) throw bad('its options do not match their hash');
  const sets = o.task === 'compare' ? 1 : 2;
  const rowsOk = (r: unknown) => Array.isArray(r) && r.length === sets && r.every((v) => Number.isSafeInteger(v) && v >= 0);
  if (!Array.isArray(meta.shards) || meta.shards.length < 1 || !meta.shards.every((s: ShardEntry) => typeof s?.name === 'string' && rowsOk(s.rows)))
    throw bad('bad shard list');
  if (!rowsOk(meta.rows) || !Number.isSafeInteger(meta.bytes) || meta.bytes > payload.length || !Number.isSafeInteger(meta.D))
    throw bad('bad row counts or size');
  return { options: o, hash: meta.hash, shards: meta.shards, rows: meta.rows, D: meta.D, snapshot: payload.subarray(0, meta.bytes) };
}

/** A part to merge: its bytes, or a function that reads them (called twice, so that only two parts are in memory at a time). */
export interface PartInput {
  bytes: Uint8Array | (() => Uint8Array);
  file: string;
}

/**
 * Adds parts (any grouping of shards) into one part. Refuses parts with
 * different options and a shard name found in two parts, naming the files. The
 * parts are added in the order of their first shard names: merging the same
 * leaf parts in one call gives the same bytes in any input order (merging
 * merged parts gives the same sums up to the order of the f64 additions).
 * Parts given as functions are read once to check them all, then again one at a
 * time to add them: memory holds the sum and one part, however many parts.
 */
export function mergeParts(parts: PartInput[]): Uint8Array {
  if (!Array.isArray(parts) || parts.length === 0) throw new InputError('merge needs at least one part');
  const load = (p: PartInput) => (typeof p.bytes === 'function' ? p.bytes() : p.bytes);
  const infos = parts.map((p) => {
    const { snapshot, ...info } = readPart(load(p), p.file);
    return { ...info, file: p.file, input: p, snapshot: typeof p.bytes === 'function' ? null : snapshot };
  });
  const first = infos[0];
  const seen = new Map<string, string>();
  for (const p of infos) {
    if (p.hash !== first.hash)
      throw new InputError(
        `was made with other options than ${first.file} (${optionsDiff(p.options, first.options)}): parts of one run must share them`,
        p.file,
      );
    for (const s of p.shards) {
      const other = seen.get(s.name);
      if (other !== undefined) throw new InputError(`shard '${s.name}' is also in ${other}: each shard may be merged once`, p.file);
      seen.set(s.name, p.file);
    }
  }
  infos.sort((a, b) => byName(a.shards[0].name, b.shards[0].name));
  const snapshotOf = (p: (typeof infos)[number]): Uint8Array => {
    if (p.snapshot) return p.snapshot;
    const again = readPart(load(p.input), p.file);
    if (again.hash !== p.hash || JSON.stringify(again.shards) !== JSON.stringify(p.shards)) throw new InputError('changed while it was being merged', p.file);
    return again.snapshot;
  };
  const read = (snap: Uint8Array) => (first.options.task === 'compare' ? SpecSums.deserialize(snap) : FincSums.deserialize(snap));
  const acc = read(snapshotOf(infos[0]));
  try {
    for (const p of infos.slice(1)) {
      const other = read(snapshotOf(p));
      try {
        acc.merge(other);
      } finally {
        other.dispose();
      }
    }
    const shards = infos.flatMap((p) => p.shards).sort((a, b) => byName(a.name, b.name));
    const rows = first.rows.map((_, i) => infos.reduce((s, p) => s + p.rows[i], 0));
    return writePart({ options: first.options, hash: first.hash, shards, rows, D: first.D }, acc.serialize());
  } finally {
    acc.dispose();
  }
}

/**
 * A note when the merged sums can differ from a one-machine run's by more than
 * f64 summation order: above D = 256 the sums add f32 products over blocks of
 * 256 rows, counted from each shard's first row, so a shard (but the last, in
 * name order) whose row count is not a multiple of 256 groups rows into other
 * blocks than one machine does (results then agree to ~1e-6, the f32 rounding).
 */
export function alignmentNote(info: PartInfo): string | undefined {
  if (info.D <= PRECISE_MAX_D) return undefined;
  const kc = syrkBlockRows();
  const odd = info.shards.slice(0, -1).filter((s) => s.rows.some((r) => r % kc !== 0));
  if (!odd.length) return undefined;
  const list = odd
    .slice(0, 3)
    .map((s) => `'${s.name}' (${s.rows.join(' + ')} rows)`)
    .join(', ');
  return `shard${odd.length > 1 ? 's' : ''} ${list}${odd.length > 3 ? ` and ${odd.length - 3} more` : ''} not a multiple of ${kc} rows: the sums match a one-machine run's to f32 rounding (~1e-6), not bit for bit; re-chunk the shards to multiples of ${kc} rows (the last may be shorter)`;
}

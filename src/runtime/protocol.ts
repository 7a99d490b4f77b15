// Messages between the main thread and the workers, and how errors cross the
// boundary: an InputError stays an InputError (same message and source), an
// AbortError an AbortError, a "spec-embed:" RangeError (a request beyond wasm
// memory) a RangeError; anything else becomes an Error with the same message.
import { AbortError, InputError } from '../errors.js';
import type { Kernel } from '../features/kernel.js';
import type { GramSpec } from './gram-shard.js';
import type { MatfreeSpec } from './matfree-shard.js';
import type { FincMatfreeSpec } from './finc-matfree-shard.js';

/**
 * What a shard accumulates: SPEC's paired Ψ = [ΦX, √η·ΦY] (one set), or FINC's
 * two sets under one map. `names` are the sources' names, for messages.
 */
export type ShardSpec =
  | { kind: 'spec'; kernelX: Kernel; kernelY: Kernel; eta: number; seed: number; dx: number; dy: number; names: string[]; cacheBytes: number }
  | { kind: 'finc'; kernel: Kernel; eta: number; seed: number; d: number; names: string[]; cacheBytes: number };

export type Request =
  | { op: 'init'; module?: WebAssembly.Module; bytes?: Uint8Array; source: string }
  | { op: 'shard'; spec: ShardSpec }
  | { op: 'add'; set: number; row0: number; rows: number; x: Float32Array; y?: Float32Array }
  | { op: 'sums' }
  | {
      op: 'scoreBegin';
      set: number;
      V: Float32Array;
      k: number;
      scale: number;
      samplesPerMode: number;
      keepAll: boolean | boolean[];
      base: number;
      rows: number;
    }
  | { op: 'score'; set: number; row0: number; rows: number; x?: Float32Array; y?: Float32Array }
  | { op: 'partial'; set: number }
  | { op: 'gramBegin'; spec: GramSpec; x: Float32Array }
  | { op: 'gramRows'; r0: number; r1: number }
  | { op: 'mfBegin'; spec: MatfreeSpec }
  | { op: 'mfAdd'; row0: number; rows: number; x: Float32Array; y?: Float32Array }
  | { op: 'mfNorms' }
  | { op: 'mfT'; x: Float64Array }
  | { op: 'mfN'; t: Float32Array }
  | { op: 'mfFincBegin'; spec: FincMatfreeSpec }
  | { op: 'mfFincAdd'; set: number; row0: number; rows: number; x: Float32Array }
  | { op: 'mfFincStats' }
  | { op: 'mfFincApply'; x: Float64Array }
  | { op: 'mfFincScore'; V: Float32Array; k: number; samplesPerMode: number; keep: boolean[][] }
  | { op: 'free' }
  | { op: 'run'; task: 'compare' | 'finc'; X: unknown; Y: unknown; options: Record<string, unknown> };

/** Seconds a shard spent on features (both passes so far) and on the SYRK. */
export interface ShardSeconds {
  features: number;
  accumulate: number;
}

/** The reply to `sums`: the shard's sums, whether every chunk's features stayed cached, and its seconds. */
export interface SumsReply {
  sums: Float64Array[];
  /** Per set, Σ feature over the shard's rows (null: unknown). */
  colSums: Float64Array[] | null;
  cachedAll: boolean;
  seconds: ShardSeconds;
}

/** The reply to `partial`: the set's mergeable top and bottom samples and score histograms, and the shard's seconds. */
export interface PartialReply<T> {
  top: T;
  seconds: ShardSeconds;
}

/** Worker → main: a reply to request `id`, or a progress event of the task `id`. */
export type Reply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: WireError } | { id: number; progress: unknown };

export interface WireError {
  name: string;
  message: string;
  source?: string;
  stack?: string;
}

export function toWire(e: unknown): WireError {
  if (e instanceof Error) {
    const w: WireError = { name: e.name, message: e.message, stack: e.stack };
    if (e instanceof InputError && e.source !== undefined) w.source = e.source;
    return w;
  }
  return { name: 'Error', message: String(e) };
}

export function fromWire(w: WireError): Error {
  let e: Error;
  if (w.name === 'InputError') {
    const prefix = w.source !== undefined ? `${w.source}: ` : '';
    e = new InputError(prefix && w.message.startsWith(prefix) ? w.message.slice(prefix.length) : w.message, w.source);
  } else if (w.name === 'AbortError') {
    e = new AbortError(w.message);
  } else if (w.name === 'RangeError') {
    e = new RangeError(w.message);
  } else {
    e = new Error(w.message);
    if (w.name && w.name !== 'Error') e.name = w.name;
  }
  if (w.stack) e.stack = `${e.name}: ${e.message}\n    (in a spec-embed worker)\n${w.stack.split('\n').slice(1).join('\n')}`;
  return e;
}

// The binary snapshot layout of the streaming accumulators: an 8-byte magic
// (7 ASCII characters and a NUL), a u32 version, a u32 header length, the JSON
// header, padding to 8 bytes, then one or more D × D symmetric f64 sum matrices
// stored as their upper triangles, row by row, little-endian.
import { InputError } from './errors.js';
import type { WasmArray } from './memory.js';

type F64 = WasmArray<Float64Array>;

function dataOffset(headerBytes: number): number {
  const head = 16 + headerBytes;
  return head + ((8 - (head % 8)) % 8);
}

/** Writes `header` and the upper triangles of `mats` (each D × D, row-major, upper triangle read). */
export function writeSnapshot(magic: string, version: number, header: object, mats: F64[], D: number): Uint8Array {
  if (magic.length !== 7) throw new Error('spec-embed: snapshot magic must have 7 characters');
  const h = new TextEncoder().encode(JSON.stringify(header));
  const tri = (D * (D + 1)) / 2;
  const start = dataOffset(h.length);
  const out = new Uint8Array(start + mats.length * tri * 8);
  out.set(new TextEncoder().encode(magic + '\0'), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, version, true);
  dv.setUint32(12, h.length, true);
  out.set(h, 16);
  let p = start;
  for (const m of mats) {
    const c = m.view;
    for (let i = 0; i < D; i++) for (let j = i; j < D; j++, p += 8) dv.setFloat64(p, c[i * D + j], true);
  }
  return out;
}

/** A parsed snapshot: its JSON header, and `fill` to copy matrix `index` into a D × D buffer. */
export interface Snapshot {
  header: any;
  /** Checks the total size for `count` matrices of dimension D (call before allocating). */
  checkSize(count: number, D: number): void;
  fill(index: number, into: F64, D: number): void;
}

/** Reads the magic, version and header of a snapshot made by `writeSnapshot`. */
export function readSnapshot(bytes: Uint8Array, magic: string, version: number, what: string): Snapshot {
  const bad = (why: string) => new InputError(`not a spec-embed ${what} snapshot: ${why}`);
  if (!(bytes instanceof Uint8Array)) throw bad('expected a Uint8Array');
  if (bytes.length < 16) throw bad('too short');
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== magic + '\0') throw bad('bad magic');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v = dv.getUint32(8, true);
  if (v !== version) throw bad(`version ${v}, this build reads ${version}`);
  const hlen = dv.getUint32(12, true);
  if (16 + hlen > bytes.length) throw bad('truncated header');
  let header: any;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + hlen)));
  } catch {
    throw bad('corrupt header');
  }
  if (!header || typeof header !== 'object') throw bad('corrupt header');
  const start = dataOffset(hlen);
  return {
    header,
    checkSize(count, D) {
      if (!Number.isInteger(D) || D < 1 || bytes.length !== start + count * ((D * (D + 1)) / 2) * 8) throw bad('truncated or oversized data');
    },
    fill(index, into, D) {
      const c = into.view;
      let p = start + index * ((D * (D + 1)) / 2) * 8;
      for (let i = 0; i < D; i++) for (let j = i; j < D; j++, p += 8) c[i * D + j] = dv.getFloat64(p, true);
    },
  };
}

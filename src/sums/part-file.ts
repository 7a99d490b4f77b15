// The file layout of the sharded covariance route's steps (methods/shards): a
// part (one shard's or several merged shards' sums), a solution, and a shard's
// scores all share it:
//   0  8-byte magic (7 ASCII characters and a NUL)
//   8  u32 format version
//  12  u32 meta length h
//  16  u32 × 2 checksum of every other byte (snapshot.ts checksumOf)
//  24  the JSON meta (h bytes), padding to 8 bytes, then the payload (padded to 4).
// Reading checks magic, version, size and checksum before the meta is parsed, so
// a truncated or corrupted file is refused with its name, before anything is allocated.
import { InputError } from '../errors.js';
import { checksumOf } from './snapshot.js';

const PREFIX = 24;

/** A file's JSON meta and its payload bytes (a view into the file). */
export interface PartFile {
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON, checked field by field by its reader
  meta: any;
  payload: Uint8Array;
}

/** The bytes of a file with `meta` and `payload`. */
export function writePartFile(magic: string, version: number, meta: object, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (magic.length !== 7) throw new Error('spec-embed: part magic must have 7 characters');
  const m = new TextEncoder().encode(JSON.stringify(meta));
  const start = PREFIX + m.length + ((8 - ((PREFIX + m.length) % 8)) % 8);
  const size = start + payload.length + ((4 - (payload.length % 4)) % 4);
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode(`${magic}\0`), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, version, true);
  dv.setUint32(12, m.length, true);
  out.set(m, PREFIX);
  out.set(payload, start);
  // the payload's own length is in the meta: padding is not data
  const [a, b] = checksumOf(out);
  dv.setUint32(16, a, true);
  dv.setUint32(20, b, true);
  return out;
}

/**
 * Reads a file made by writePartFile; `what` names the kind ("part", "solution",
 * "scores") and `file` the file, in every message. The payload runs to the end
 * (padding included; readers take the lengths their meta gives).
 */
export function readPartFile(bytes: Uint8Array, magic: string, version: number, what: string, file: string): PartFile {
  const bad = (why: string) => new InputError(`not a spec-embed ${what} file: ${why}`, file);
  if (!(bytes instanceof Uint8Array)) throw bad('expected bytes');
  if (bytes.length < PREFIX) throw bad('too short (truncated?)');
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== `${magic}\0`) throw bad('bad magic (is it another kind of file?)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v = dv.getUint32(8, true);
  if (v !== version) throw bad(`format version ${v}, this build reads ${version}`);
  const h = dv.getUint32(12, true);
  if (PREFIX + h > bytes.length || bytes.length % 4 !== 0) throw bad('truncated');
  const [a, b] = checksumOf(bytes);
  if (a !== dv.getUint32(16, true) || b !== dv.getUint32(20, true)) throw bad('checksum mismatch (the file is truncated, corrupt or was modified)');
  let meta: unknown;
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + h)));
  } catch {
    throw bad('corrupt meta');
  }
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) throw bad('corrupt meta');
  const start = PREFIX + h + ((8 - ((PREFIX + h) % 8)) % 8);
  return { meta, payload: bytes.subarray(Math.min(start, bytes.length)) };
}

/** A content hash of a JSON-able value (two FNV-1a lanes, hex): equal options give equal hashes. */
export function contentHash(value: unknown): string {
  const text = new TextEncoder().encode(JSON.stringify(value));
  // checksumOf reads 32-bit words and skips bytes 16..24: prefix 24 zero bytes and pad to 4
  const buf = new Uint8Array(24 + text.length + ((4 - (text.length % 4)) % 4));
  new DataView(buf.buffer).setUint32(0, text.length, true);
  buf.set(text, 24);
  const [a, b] = checksumOf(buf);
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

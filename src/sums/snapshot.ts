// The binary snapshot layout of the streaming accumulators (format version 2):
//   0  8-byte magic (7 ASCII characters and a NUL)
//   8  u32 format version
//  12  u32 header length h
//  16  u32 × 2 checksum: FNV-1a over the little-endian 32-bit words of every
//      other byte of the file (two lanes, 64 bits; see checksumOf)
//  24  the JSON header (h bytes), padding to 8 bytes
//      then one or more D × D symmetric f64 sum matrices stored as their upper
//      triangles, row by row, little-endian.
// Reading checks magic, version, every header field the two accumulators use
// (naming the field), the size, then the checksum, all before allocating.
import { InputError } from '../errors.js';
import { MAX_BLOCK_BYTES, formatBytes, type WasmArray } from '../wasm/memory.js';
import { featureDim, resolveKernel, MIN_RFF_SIGMA, type Kernel } from '../features/kernel.js';
import { MAX_ETA } from '../validate/checks.js';

type F64 = WasmArray<Float64Array>;

const PREFIX = 24;

function dataOffset(headerBytes: number): number {
  const head = PREFIX + headerBytes;
  return head + ((8 - (head % 8)) % 8);
}

const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Two FNV-1a lanes over the file's 32-bit little-endian words, skipping the
 * checksum field (bytes 16..24). A word-wise FNV-1a step h ← (h ⊕ w)·p mod 2³²
 * is a bijection of h for fixed w (p odd), so any change confined to one word
 * always changes the result; two lanes with different primes make accidental
 * agreement of larger corruptions ~2⁻⁶⁴. Word-wise keeps it ~4× faster than
 * byte-wise on snapshots of hundreds of megabytes.
 */
export function checksumOf(bytes: Uint8Array): [number, number] {
  if (bytes.length % 4 !== 0) throw new Error('spec-embed: snapshot length is not a multiple of 4');
  let a = 0x811c9dc5,
    b = 0x050c5d1f;
  const words = bytes.length >>> 2;
  const step = (w: number) => {
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul(b ^ w, 0x0100019d);
  };
  if (LITTLE && bytes.byteOffset % 4 === 0) {
    const u = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    for (let i = 0; i < 4; i++) step(u[i]);
    for (let i = 6; i < words; i++) step(u[i]);
  } else {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < words; i++) if (i < 4 || i >= 6) step(dv.getUint32(4 * i, true));
  }
  return [a >>> 0, b >>> 0];
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
  out.set(h, PREFIX);
  let p = start;
  for (const m of mats) {
    const c = m.view;
    for (let i = 0; i < D; i++) for (let j = i; j < D; j++, p += 8) dv.setFloat64(p, c[i * D + j], true);
  }
  const [a, b] = checksumOf(out);
  dv.setUint32(16, a, true);
  dv.setUint32(20, b, true);
  return out;
}

/** A parsed snapshot: its JSON header, and `fill` to copy matrix `index` into a D × D buffer. */
export interface Snapshot {
  // biome-ignore lint/suspicious/noExplicitAny: a parsed JSON header, checked field by field by checkHeader
  header: any;
  /** Checks the total size for `count` matrices of dimension D, then the checksum (call before allocating). */
  checkSize(count: number, D: number): void;
  fill(index: number, into: F64, D: number): void;
}

/**
 * The header fields of each accumulator's snapshot, checked before anything is
 * allocated: kernels and dimensions determine D, and hence the memory.
 */
const SCHEMAS: Record<string, { kernels: string[]; dims: string[]; counts: string[] }> = {
  SPECACC: { kernels: ['kernelX', 'kernelY'], dims: ['dx', 'dy'], counts: ['n'] },
  FINCACC: { kernels: ['kernel'], dims: ['d'], counts: ['nx', 'ny'] },
};

/** Reads the magic, version, checksum and header of a snapshot made by `writeSnapshot`. */
export function readSnapshot(bytes: Uint8Array, magic: string, version: number, what: string): Snapshot {
  const bad = (why: string) => new InputError(`not a spec-embed ${what} snapshot: ${why}`);
  if (!(bytes instanceof Uint8Array)) throw bad('expected a Uint8Array');
  if (bytes.length < PREFIX) throw bad('too short');
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== magic + '\0') throw bad('bad magic');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v = dv.getUint32(8, true);
  if (v !== version) throw bad(`version ${v}, this build reads ${version}`);
  const hlen = dv.getUint32(12, true);
  if (PREFIX + hlen > bytes.length) throw bad('truncated header');
  // biome-ignore lint/suspicious/noExplicitAny: a parsed JSON header, checked field by field by checkHeader
  let header: any;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + hlen)));
  } catch {
    throw bad('corrupt header');
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw bad('corrupt header');
  const schema = SCHEMAS[magic];
  if (schema) checkHeader(header, schema, bad);
  const start = dataOffset(hlen);
  let verified = false;
  return {
    header,
    checkSize(count, D) {
      if (!Number.isInteger(D) || D < 1 || bytes.length !== start + count * ((D * (D + 1)) / 2) * 8) throw bad('truncated or oversized data');
      // The size is right: now every byte must be as written.
      const [a, b] = checksumOf(bytes);
      if (a !== dv.getUint32(16, true) || b !== dv.getUint32(20, true)) throw bad('checksum mismatch (the file is corrupt or was modified)');
      verified = true;
    },
    fill(index, into, D) {
      if (!verified) throw new Error('spec-embed: snapshot checkSize() must succeed before fill()');
      const c = into.view;
      let p = start + index * ((D * (D + 1)) / 2) * 8;
      for (let i = 0; i < D; i++) for (let j = i; j < D; j++, p += 8) c[i * D + j] = dv.getFloat64(p, true);
    },
  };
}

/** Validates the fields named by the schema, then that D follows from them and fits in memory. */
// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON header, checked field by field by checkHeader
function checkHeader(h: any, schema: { kernels: string[]; dims: string[]; counts: string[] }, bad: (why: string) => InputError): void {
  const field = (name: string, v: unknown, rule: string) => bad(`header field ${name} = ${JSON.stringify(v) ?? String(v)}: ${rule}`);
  const kernels: Kernel[] = schema.kernels.map((name) => {
    const v = h[name];
    try {
      const k = resolveKernel(v, '', () => {
        throw field(name, v, 'a Gaussian needs a numeric sigma > 0');
      });
      if (k.type === 'gaussian' && k.sigma < MIN_RFF_SIGMA) throw field(name, v, `sigma must be ≥ ${MIN_RFF_SIGMA} for random Fourier features`);
      if (k.type === 'gaussian' && (v.rffDim === undefined || !Number.isSafeInteger(v.rffDim))) throw field(name, v, 'a Gaussian needs an integer rffDim ≥ 1');
      return k;
    } catch (e) {
      if (e instanceof InputError && e.message.startsWith('not a spec-embed')) throw e;
      throw field(name, v, e instanceof Error ? e.message.replace(/^kernel: ?/, '').replace(/ of kernel\b/, '') : 'invalid kernel');
    }
  });
  const dims = schema.dims.map((name) => {
    const v = h[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 2 ** 31 - 1) throw field(name, v, 'must be an integer ≥ 1');
    return v;
  });
  for (const name of schema.counts) {
    const v = h[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw field(name, v, 'must be an integer ≥ 0 (a row count)');
  }
  if (typeof h.eta !== 'number' || !Number.isFinite(h.eta) || h.eta < 0 || h.eta > MAX_ETA) throw field('eta', h.eta, `must be a number in [0, ${MAX_ETA}]`);
  if (typeof h.seed !== 'number' || !Number.isInteger(h.seed) || h.seed < 0 || h.seed > 0xffffffff)
    throw field('seed', h.seed, 'must be an integer in [0, 2^32)');
  // D and the memory it takes follow from the kernels and dimensions.
  const parts = kernels.map((k, i) => featureDim(k, dims[i]));
  const D = parts.reduce((s, x) => s + x, 0);
  const bytes = D * D * 8;
  if (bytes > MAX_BLOCK_BYTES) {
    const i = parts.indexOf(Math.max(...parts));
    const k = kernels[i];
    const name = k.type === 'gaussian' ? `${schema.kernels[i]}.rffDim` : schema.dims[i];
    const value = k.type === 'gaussian' ? k.rffDim : dims[i];
    throw bad(
      `header field ${name} = ${value} gives D = ${D} features: a D × D f64 sum matrix would need ${formatBytes(bytes)}, more than one WebAssembly allocation holds (${formatBytes(MAX_BLOCK_BYTES)})`,
    );
  }
  if (h.D !== D) throw field('D', h.D, `does not match the kernels and dimensions (they give D = ${D})`);
}

// NumPy .npz reader: a zip archive (stored by np.savez, deflated by np.savez_compressed)
// of .npy members, one per array. Pure function over bytes; unzipping by fflate.
import { unzipSync } from 'fflate';
import { InputError } from '../errors.js';
import { parseNpyImpl, type F32Matrix } from './npy.js';

function arrayName(entry: string): string {
  return entry.endsWith('.npy') ? entry.slice(0, -4) : entry;
}

/** The array names (member names without '.npy') in an .npz archive. */
export function listNpzKeys(bytes: Uint8Array, name: string): string[] {
  return listEntries(bytes, name).map((e) => arrayName(e.name));
}

interface Entry { name: string; compression: number }

function listEntries(bytes: Uint8Array, name: string): Entry[] {
  if (bytes.length === 0) throw new InputError('empty file (0 bytes), not a .npz archive', name);
  const entries: Entry[] = [];
  try {
    // A filter that extracts nothing only walks the zip directory.
    unzipSync(bytes, {
      filter: (f) => {
        entries.push({ name: f.name, compression: f.compression });
        return false;
      },
    });
  } catch (e) {
    throw new InputError(`not a valid .npz (zip) archive: ${(e as Error).message}`, name);
  }
  return entries.filter((e) => !e.name.endsWith('/'));
}

/**
 * Read one array of a .npz archive into a row-major float32 matrix. `key` may be given with
 * or without '.npy'; without a key the archive must hold exactly one array.
 */
export function parseNpz(bytes: Uint8Array, name: string, key?: string): F32Matrix {
  const entries = listEntries(bytes, name);
  const keys = entries.map((e) => arrayName(e.name));
  const list = keys.map((k) => `'${k}'`).join(', ');
  let entry: Entry | undefined;
  if (key !== undefined) {
    entry = entries.find((e) => e.name === key) ?? entries.find((e) => e.name === `${key}.npy`);
    if (!entry) {
      throw new InputError(
        `no array '${arrayName(key)}' in the archive; available: ${list || '(none)'}`,
        name,
      );
    }
  } else {
    if (entries.length === 0) throw new InputError('the .npz archive holds no arrays', name);
    if (entries.length > 1) {
      throw new InputError(
        `the archive holds ${entries.length} arrays (${list}); choose one with the key option (--key on the command line)`,
        name,
      );
    }
    entry = entries[0];
  }
  const label = arrayName(entry.name);
  if (entry.compression !== 0 && entry.compression !== 8) {
    throw new InputError(
      `array '${label}' uses zip compression method ${entry.compression}; only stored and deflated members are supported`,
      name,
    );
  }
  let data: Uint8Array | undefined;
  try {
    const target = entry.name;
    data = unzipSync(bytes, { filter: (f) => f.name === target })[target];
  } catch (e) {
    throw new InputError(`array '${label}': corrupt zip data: ${(e as Error).message}`, name);
  }
  if (!data) throw new InputError(`array '${label}': could not be extracted`, name);
  // fflate does not verify checksums: check the member's CRC-32 from the central directory,
  // so a flipped bit in a stored member is not read as a silently wrong number.
  const expected = centralCrcs(bytes).get(entry.name);
  if (expected !== undefined && crc32(data) !== expected) {
    throw new InputError(`array '${label}': corrupt zip data (CRC-32 mismatch)`, name);
  }
  return parseNpyImpl(data, name, `array '${label}': `);
}

// ---------------------------------------------------------------------------------------
// zip central directory (only to learn each member's CRC-32)

function u16(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8);
}
function u32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 2 ** 24;
}
function u64(b: Uint8Array, p: number): number {
  return u32(b, p) + u32(b, p + 4) * 2 ** 32;
}

/** Member name → CRC-32 from the central directory; empty if the directory cannot be read. */
function centralCrcs(b: Uint8Array): Map<string, number> {
  const out = new Map<string, number>();
  let eocd = -1;
  for (let p = b.length - 22; p >= 0 && p >= b.length - 22 - 65535; p--) {
    if (u32(b, p) === 0x06054b50) { eocd = p; break; }
  }
  if (eocd < 0) return out;
  let count = u16(b, eocd + 10);
  let offset = u32(b, eocd + 16);
  if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && u32(b, eocd - 20) === 0x07064b50) {
    const z = u64(b, eocd - 12);
    if (z + 56 <= b.length && u32(b, z) === 0x06064b50) {
      count = u64(b, z + 32);
      offset = u64(b, z + 48);
    }
  }
  const dec = new TextDecoder();
  let p = offset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > b.length || u32(b, p) !== 0x02014b50) return new Map();
    const crc = u32(b, p + 16);
    const nl = u16(b, p + 28), xl = u16(b, p + 30), cl = u16(b, p + 32);
    out.set(dec.decode(b.subarray(p + 46, p + 46 + nl)), crc);
    p += 46 + nl + xl + cl;
  }
  return out;
}

let crcTable: Int32Array | undefined;
function crc32(d: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  const t = crcTable;
  let c = -1;
  for (let i = 0; i < d.length; i++) c = t[(c ^ d[i]) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

// NumPy .npz reader: a zip archive (stored by np.savez, deflated by np.savez_compressed)
// of .npy members, one per array. Pure function over bytes.
//
// The zip directory is read here (not by fflate's unzipSync) so that a deflated member is
// inflated through fflate's streaming Inflate in small pushes, into a buffer that may never
// grow past what the member's own .npy header claims: a 2 MB archive whose member inflates
// to gigabytes is refused at the first excess byte, not after inflating it all.
import { Inflate } from 'fflate';
import { InputError } from '../errors.js';
import { matrixShape, npyHeaderLengthFromPreamble, parseDtype, parseNpyHeader, NPY_PREAMBLE } from './npy-header.js';
import { parseNpyImpl, type F32Matrix } from './npy.js';
import { clipInput } from './quote.js';

function arrayName(entry: string): string {
  return entry.endsWith('.npy') ? entry.slice(0, -4) : entry;
}

/** The array names (member names without '.npy') in an .npz archive. */
export function listNpzKeys(bytes: Uint8Array, name: string): string[] {
  return readDirectory(bytes, name).map((e) => arrayName(e.name));
}

/** One member as the central directory describes it. */
interface Entry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the member's local header. */
  localOffset: number;
}

/**
 * Parse one .npz array. `key` may be given with or without '.npy'; without a key the archive
 * must hold exactly one array.
 */
export function parseNpz(bytes: Uint8Array, name: string, key?: string): F32Matrix {
  const entries = readDirectory(bytes, name);
  const list = entries.map((e) => `'${clipInput(arrayName(e.name))}'`).join(', ');
  let entry: Entry | undefined;
  if (key !== undefined) {
    entry = entries.find((e) => e.name === key) ?? entries.find((e) => e.name === `${key}.npy`);
    if (!entry) {
      throw new InputError(`no array '${clipInput(arrayName(key))}' in the archive; available: ${list || '(none)'}`, name);
    }
  } else {
    if (entries.length === 0) throw new InputError('the .npz archive holds no arrays', name);
    if (entries.length > 1) {
      throw new InputError(
        `the archive holds ${entries.length} arrays (${list}); choose one with the key option (--key, or --key-x / --key-y, on the command line)`,
        name,
      );
    }
    entry = entries[0];
  }
  const label = clipInput(arrayName(entry.name));
  const fail = (msg: string): never => {
    throw new InputError(`array '${label}': ${msg}`, name);
  };
  if (entry.flags & 1) fail('is encrypted; encrypted zip members are not supported');
  if (entry.method !== 0 && entry.method !== 8) {
    fail(`uses zip compression method ${entry.method}; only stored and deflated members are supported`);
  }
  const raw = memberData(bytes, entry, fail);
  const data = entry.method === 0 ? raw : boundedInflate(raw, fail);
  // The central directory's CRC-32 catches a flipped bit that would otherwise be read as a
  // silently wrong number (stored members have no other check).
  if (crc32(data) !== entry.crc) fail('corrupt zip data (CRC-32 mismatch)');
  return parseNpyImpl(data, name, `array '${label}': `);
}

// ---------------------------------------------------------------------------------------
// bounded inflation

/**
 * A member's .npy header read mid-inflation (before the CRC can be checked), its
 * errors raised through `fail` so that they name the archive and the array.
 */
function memberHeader(bytes: Uint8Array, fail: (msg: string) => never): ReturnType<typeof parseNpyHeader> {
  try {
    return parseNpyHeader(bytes, '');
  } catch (e) {
    if (e instanceof InputError) fail(e.message);
    throw e;
  }
}

/** The most output one deflate input byte can produce (a 258-byte match in about 2 bits). */
const MAX_DEFLATE_RATIO = 1032;
/** Headers of plain numeric arrays are < 200 bytes; NumPy itself refuses > 10,000 by default. */
const MAX_NPY_HEADER = 1 << 20;

/**
 * Inflate a .npy member, refusing it as soon as its output would pass the size its own .npy
 * header implies (header + rows × cols × itemsize). Input is pushed in pieces small enough
 * that one push can overshoot the remaining allowance by at most ~256 KiB, and the output
 * buffer grows by doubling, capped at the allowance, so memory follows the real data.
 */
function boundedInflate(src: Uint8Array, fail: (msg: string) => never): Uint8Array {
  let out = new Uint8Array(Math.min(1 << 16, Math.max(64, src.length * 4)));
  let len = 0;
  // Until the header is parsed, only the preamble, then the header itself, may be produced.
  let limit = NPY_PREAMBLE;
  let limitKnown = false;
  let headerLength = -1;
  let claim = '';

  const grow = (need: number): void => {
    if (need <= out.length) return;
    let cap = out.length;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(Math.min(cap, limit));
    next.set(out.subarray(0, len));
    out = next;
  };
  const refineLimit = (): void => {
    if (headerLength < 0 && len >= NPY_PREAMBLE) {
      headerLength = npyHeaderLengthFromPreamble(out.subarray(0, len), fail);
      if (headerLength > MAX_NPY_HEADER) fail(`.npy header claims ${headerLength} bytes, more than any numeric array needs`);
      limit = headerLength;
    }
    if (headerLength >= 0 && !limitKnown && len >= headerLength) {
      const h = memberHeader(out.subarray(0, headerLength), fail);
      const { rows, cols } = matrixShape(h.shape, fail);
      parseDtype(h.dtype, fail);
      const total = headerLength + rows * cols * h.itemSize;
      // No deflate stream this short can hold that much: refuse before allocating for it.
      if (total > src.length * MAX_DEFLATE_RATIO + 1024) {
        fail(`truncated .npy data: the header claims ${total} bytes but ${src.length} compressed bytes cannot hold them`);
      }
      limit = total;
      limitKnown = true;
      claim = `${headerLength}-byte header + shape (${h.shape.join(', ')}${h.shape.length === 1 ? ',' : ''}) of '${h.dtype}'`;
    }
  };
  const inflater = new Inflate((chunk) => {
    let p = 0;
    while (p < chunk.length) {
      if (len >= limit) {
        if (limitKnown) {
          fail(`inflates past the ${limit} bytes its .npy header implies (${claim}); refusing to inflate further`);
        }
        refineLimit();
        if (len >= limit) fail('truncated .npy header');
        continue;
      }
      const take = Math.min(chunk.length - p, limit - len);
      grow(len + take);
      out.set(chunk.subarray(p, p + take), len);
      len += take;
      p += take;
      refineLimit();
    }
  });
  try {
    for (let pos = 0; pos < src.length; ) {
      const room = Math.max(0, limit - len);
      const step = Math.min(1 << 18, Math.max(256, Math.floor(room / MAX_DEFLATE_RATIO)));
      const end = Math.min(src.length, pos + step);
      inflater.push(src.subarray(pos, end), end === src.length);
      pos = end;
    }
    if (src.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof InputError) throw e;
    fail(`corrupt zip data: ${(e as Error).message}`);
  }
  refineLimit();
  return out.subarray(0, len);
}

// ---------------------------------------------------------------------------------------
// zip directory

function u16(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8);
}
function u32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 2 ** 24;
}
function u64(b: Uint8Array, p: number): number {
  return u32(b, p) + u32(b, p + 4) * 2 ** 32;
}

const latin1 = (b: Uint8Array): string => {
  let s = '';
  for (let k = 0; k < b.length; k++) s += String.fromCharCode(b[k]);
  return s;
};

/** Every file member of the archive (directories left out), from the central directory. */
function readDirectory(b: Uint8Array, name: string): Entry[] {
  const bad = (msg: string): never => {
    throw new InputError(`not a valid .npz (zip) archive: ${msg}`, name);
  };
  if (b.length === 0) throw new InputError('empty file (0 bytes), not a .npz archive', name);
  let eocd = -1;
  for (let p = b.length - 22; p >= 0 && p >= b.length - 22 - 65535; p--) {
    if (u32(b, p) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) bad('no end-of-central-directory record (truncated, or not a zip file)');
  let count = u16(b, eocd + 10);
  let offset = u32(b, eocd + 16);
  if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && u32(b, eocd - 20) === 0x07064b50) {
    const z = u64(b, eocd - 12);
    if (z + 56 > b.length || u32(b, z) !== 0x06064b50) bad('bad zip64 end-of-central-directory record');
    count = u64(b, z + 32);
    offset = u64(b, z + 48);
  }
  const utf8 = new TextDecoder('utf-8');
  const entries: Entry[] = [];
  let p = offset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > b.length || u32(b, p) !== 0x02014b50) bad('truncated or corrupt central directory');
    const flags = u16(b, p + 8);
    const method = u16(b, p + 10);
    const crc = u32(b, p + 16);
    let compressedSize = u32(b, p + 20);
    let size = u32(b, p + 24);
    const nl = u16(b, p + 28),
      xl = u16(b, p + 30),
      cl = u16(b, p + 32);
    let localOffset = u32(b, p + 42);
    if (p + 46 + nl + xl + cl > b.length) bad('truncated central directory');
    const nameBytes = b.subarray(p + 46, p + 46 + nl);
    const entryName = flags & 0x800 ? utf8.decode(nameBytes) : latin1(nameBytes);
    // zip64: the 0xffffffff fields are in extra field 0x0001, in this order.
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      let x = p + 46 + nl;
      const xe = x + xl;
      let found = false;
      while (x + 4 <= xe) {
        const id = u16(b, x),
          dl = u16(b, x + 2);
        if (id === 1) {
          let q = x + 4;
          const take = (): number => {
            if (q + 8 > x + 4 + dl) bad('truncated zip64 extra field');
            const v = u64(b, q);
            q += 8;
            return v;
          };
          if (size === 0xffffffff) size = take();
          if (compressedSize === 0xffffffff) compressedSize = take();
          if (localOffset === 0xffffffff) localOffset = take();
          found = true;
          break;
        }
        x += 4 + dl;
      }
      if (!found) bad('zip64 sizes without a zip64 extra field');
    }
    if (!entryName.endsWith('/')) entries.push({ name: entryName, method, flags, crc, compressedSize, size, localOffset });
    p += 46 + nl + xl + cl;
  }
  refuseRepeatedNames(entries, name);
  return entries;
}

/**
 * Two members for one array name ('x.npy' twice, which zipfile writes with only a warning, or
 * 'x' and 'x.npy'): NumPy's np.load returns the last of them, so any choice here could read
 * other numbers than the user's NumPy does. Refused instead.
 */
function refuseRepeatedNames(entries: Entry[], name: string): void {
  const seen = new Map<string, string>();
  for (const e of entries) {
    const key = arrayName(e.name);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, e.name);
      continue;
    }
    const what = first === e.name ? `two members named '${clipInput(e.name)}'` : `members '${clipInput(first)}' and '${clipInput(e.name)}'`;
    throw new InputError(
      `the archive holds ${what} for array '${clipInput(key)}' (NumPy's np.load would read the last one); rewrite it with unique names`,
      name,
    );
  }
}

/** The member's raw (stored or deflated) bytes, located through its local header. */
function memberData(b: Uint8Array, e: Entry, fail: (msg: string) => never): Uint8Array {
  const p = e.localOffset;
  if (p + 30 > b.length || u32(b, p) !== 0x04034b50) fail('corrupt zip data (bad local header)');
  const start = p + 30 + u16(b, p + 26) + u16(b, p + 28);
  if (start + e.compressedSize > b.length) fail('truncated zip data');
  if (e.method === 0 && e.compressedSize !== e.size) fail('corrupt zip data (stored sizes disagree)');
  return b.subarray(start, start + e.compressedSize);
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

// Node-only file access for the CLI: whole-file reading by extension, a streaming .npy
// reader that reads only the requested rows from disk, and labels files.
// Not imported by ./index.ts, so the pure readers stay usable in browsers and Deno.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { InputError } from '../errors.js';
import { HOST_LITTLE_ENDIAN, NPY_PREAMBLE, matrixShape, npyHeaderLengthFromPreamble, parseDtype, parseNpyHeader } from './npy-header.js';
import { allocF32, checkF64Underflow, decodeElements, f64At, firstNonFinite, nonFiniteMessage, type DecodeFlags } from './npy-decode.js';
import { float32RangeMessage } from './f32-range.js';
import { extensionOf, parseMatrix, type ParseOptions, type ParsedMatrix } from './matrix.js';
import { parseLabels } from './text-json.js';
import { clipInput } from './quote.js';

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent of the path is not a directory';
    default:
      return err?.message ?? String(e);
  }
}

function cannotRead(path: string, e: unknown): InputError {
  return new InputError(`cannot read the file: ${reason(e)}`, path);
}

/** What a non-regular file is, for messages. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

// O_NONBLOCK: opening a FIFO that has no writer must not block; fstat then refuses it.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Open `path` for reading and make sure it is a regular file before any byte is read: a
 * device (/dev/zero, /dev/urandom, or a .csv symlink to one) would never end, and a FIFO
 * with no writer would hang. Returns the descriptor and the size fstat reports.
 */
function openRegular(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    throw cannotRead(path, e);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError('cannot read the file: is a directory', path);
    if (!st.isFile()) {
      throw new InputError(`is ${kindOf(st)}, not a regular file; save the data to a file and pass that`, path);
    }
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** The most bytes a text input (CSV, TSV, JSON, JSONL, labels) may have: V8 strings hold ~2^29 characters. */
export const MAX_TEXT_BYTES = 512 * 2 ** 20;
/** The most bytes a whole-file binary input (.npz, or .npy read whole) may have. */
export const MAX_BINARY_BYTES = 2 ** 31 - 1;

/**
 * Read a regular file whole, refusing it beforehand when fstat says it is larger than
 * `maxBytes`; never reads more than that size, even if the file grows meanwhile.
 */
function readWhole(path: string, maxBytes: number, what: string): Uint8Array {
  const { fd, size } = openRegular(path);
  try {
    if (size > maxBytes) {
      throw new InputError(`is ${mib(size)}, more than the ${mib(maxBytes)} limit for ${what}; convert it to .npy, which is streamed`, path);
    }
    let buf: Uint8Array;
    try {
      buf = new Uint8Array(size);
    } catch {
      throw new InputError(`is too large to read into memory at once (${mib(size)}); use .npy, which is streamed`, path);
    }
    let got = 0;
    while (got < size) {
      let n: number;
      try {
        n = readSync(fd, buf, got, size - got, got);
      } catch (e) {
        throw cannotRead(path, e);
      }
      if (n === 0) break;
      got += n;
    }
    if (got < size) throw new InputError(`file shrank while being read (${got} of ${size} bytes)`, path);
    return buf;
  } finally {
    closeSync(fd);
  }
}

const TEXT_EXTENSIONS = new Set(['.csv', '.tsv', '.tab', '.json', '.jsonl', '.ndjson']);

/**
 * Read a matrix file (format by extension, see parseMatrix). A .npy file is read through the
 * streaming reader, so only the float32 result is held in memory, never the raw file; its
 * values are checked here (the stream itself leaves NaN/Inf to its consumers).
 */
export function readMatrixFile(path: string, opts: ParseOptions = {}): ParsedMatrix {
  if (extensionOf(path) === '.npy' && opts.key === undefined) {
    const s = openNpyStream(path);
    try {
      const fail = (msg: string): never => {
        throw new InputError(msg, path);
      };
      const out = allocF32(s.rows * s.cols, fail);
      const chunk = Math.max(1, Math.floor((1 << 20) / s.cols));
      for (let r = 0; r < s.rows; r += chunk) {
        const n = Math.min(chunk, s.rows - r);
        const rows = s.readRows(r, n, out.subarray(r * s.cols, (r + n) * s.cols));
        const bad = firstNonFinite(rows);
        if (bad >= 0) fail(nonFiniteMessage(rows[bad], bad, s.cols, r));
      }
      return { data: out, rows: s.rows, cols: s.cols };
    } finally {
      s.close();
    }
  }
  const ext = extensionOf(path);
  // Refuse a misplaced key before reading a possibly large file.
  if (opts.key !== undefined && ext !== '.npz') {
    throw new InputError(`a key ('${clipInput(opts.key)}') applies only to .npz archives`, path);
  }
  const text = TEXT_EXTENSIONS.has(ext);
  return parseMatrix(readWhole(path, text ? MAX_TEXT_BYTES : MAX_BINARY_BYTES, text ? 'text formats' : 'a whole-file read'), path, opts);
}

/** Read a labels file: one label per line (trailing newline ok); the count must match. */
export function readLabels(path: string, expectedCount: number): string[] {
  const bytes = readWhole(path, MAX_TEXT_BYTES, 'a labels file');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('is not valid UTF-8 text', path);
  }
  return parseLabels(text, path, expectedCount);
}

/** A .npy file opened for reading rows on demand. */
export interface NpyStream {
  rows: number;
  cols: number;
  /** The descr string, e.g. '<f4'. */
  dtype: string;
  fortranOrder: boolean;
  /**
   * Rows [start, start + count) as a row-major float32 chunk (count × cols), read from disk at
   * their positions. Written into `out` when given (length ≥ count·cols). Values beyond float32
   * range throw an InputError naming the (1-based) row and column in the whole file; NaN/Inf are
   * left to the reader's consumer, which checks every row anyway (the wasm feature kernels, or
   * validate.ts's checkFinite on the exact route) and names the source, row and column.
   */
  readRows(start: number, count: number, out?: Float32Array): Float32Array;
  close(): void;
}

/**
 * Open a .npy file for streaming: only the header is read now; readRows reads just the bytes
 * of the rows asked for (C order: one contiguous read per call; Fortran order: one read per
 * column, each a contiguous stripe of `count` values, so prefer large chunks there).
 */
export function openNpyStream(path: string): NpyStream {
  const { fd, size } = openRegular(path);
  let closed = false;
  const close = (): void => {
    if (!closed) {
      closed = true;
      closeSync(fd);
    }
  };
  const fail = (msg: string): never => {
    throw new InputError(msg, path);
  };
  const readAt = (buf: Uint8Array, position: number): number => {
    let got = 0;
    while (got < buf.length) {
      let n: number;
      try {
        n = readSync(fd, buf, got, buf.length - got, position + got);
      } catch (e) {
        throw cannotRead(path, e);
      }
      if (n === 0) break;
      got += n;
    }
    return got;
  };
  try {
    const pre = new Uint8Array(Math.min(NPY_PREAMBLE, size));
    readAt(pre, 0);
    const headerLength = npyHeaderLengthFromPreamble(pre, fail);
    if (headerLength > size) fail(`truncated .npy header: needs ${headerLength} bytes, file has ${size}`);
    const head = new Uint8Array(headerLength);
    readAt(head, 0);
    const h = parseNpyHeader(head, path);
    const { rows, cols } = matrixShape(h.shape, fail);
    const dt = parseDtype(h.dtype, fail);
    const itemSize = h.itemSize;
    const need = rows * cols * itemSize,
      have = size - headerLength;
    const shapeText = h.shape.length === 1 ? `(${h.shape[0]},)` : `(${h.shape.join(', ')})`;
    if (have < need) fail(`truncated .npy data: shape ${shapeText} of '${h.dtype}' needs ${need} bytes, file has ${have}`);
    if (have > need) fail(`.npy data size does not match the shape: shape ${shapeText} of '${h.dtype}' needs ${need} bytes, file has ${have}`);
    const fortran = h.fortranOrder && rows > 1 && cols > 1;
    const native = dt.kind === 'f' && itemSize === 4 && dt.littleEndian === HOST_LITTLE_ENDIAN;
    let buf = new Uint8Array(0);
    let col = new Float32Array(0);

    const readRows = (start: number, count: number, out?: Float32Array): Float32Array => {
      if (closed) throw new Error('openNpyStream: readRows after close()');
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > rows) {
        throw new RangeError(`readRows(${start}, ${count}): rows must lie in [0, ${rows})`);
      }
      const len = count * cols;
      if (out && out.length < len) throw new RangeError(`readRows: out holds ${out.length} values, needs ${len}`);
      const dst = out ? out.subarray(0, len) : new Float32Array(len);
      if (count === 0) return dst;
      let overflow = -1;
      let overflowValue = NaN;
      const flags: DecodeFlags = { tiny: false };
      if (!fortran && native) {
        // float32 in this machine's byte order: read straight into the result, no decode copy
        const bytes = len * 4;
        if (readAt(new Uint8Array(dst.buffer, dst.byteOffset, bytes), headerLength + start * cols * 4) < bytes)
          fail('file shrank while reading (truncated .npy data)');
      } else if (!fortran) {
        const bytes = len * itemSize;
        if (buf.length < bytes) buf = new Uint8Array(bytes);
        const b = buf.subarray(0, bytes);
        if (readAt(b, headerLength + start * cols * itemSize) < bytes) fail('file shrank while reading (truncated .npy data)');
        overflow = decodeElements(b, dt, len, dst, 0, flags);
        if (overflow >= 0) overflowValue = f64At(b, overflow * itemSize, dt.littleEndian);
        else if (flags.tiny) checkF64Underflow(b, dt.littleEndian, count, cols, false, fail, start);
      } else {
        const bytes = count * itemSize;
        if (buf.length < bytes) buf = new Uint8Array(bytes);
        if (col.length < count) col = new Float32Array(count);
        const b = buf.subarray(0, bytes);
        for (let j = 0; j < cols; j++) {
          if (readAt(b, headerLength + (j * rows + start) * itemSize) < bytes) fail('file shrank while reading (truncated .npy data)');
          const o = decodeElements(b, dt, count, col, 0, flags);
          if (o >= 0 && overflow < 0) {
            overflow = o * cols + j;
            overflowValue = f64At(b, o * itemSize, dt.littleEndian);
          }
          for (let i = 0, p = j; i < count; i++, p += cols) dst[p] = col[i];
        }
      }
      if (overflow >= 0) {
        const r = start + Math.floor(overflow / cols),
          c = overflow % cols;
        fail(float32RangeMessage(overflowValue, r, c));
      }
      if (fortran && flags.tiny) {
        // Rare (float64 values under 2⁻¹²⁶): the rows' stripes are read again to judge them whole.
        const all = new Uint8Array(count * cols * 8);
        for (let j = 0; j < cols; j++) readAt(all.subarray(j * count * 8, (j + 1) * count * 8), headerLength + (j * rows + start) * 8);
        checkF64Underflow(all, dt.littleEndian, count, cols, true, fail, start);
      }
      return dst;
    };
    return { rows, cols, dtype: h.dtype, fortranOrder: h.fortranOrder, readRows, close };
  } catch (e) {
    close();
    throw e;
  }
}

// NumPy .npy reader: a whole file's bytes into a row-major float32 matrix.
// Pure functions over bytes, usable in every runtime. The header: npy-header.ts;
// decoding and checking the elements: npy-decode.ts.
import type { Matrix } from '../types/index.js';
import { float32RangeMessage } from './f32-range.js';
import { failer, matrixShape, parseDtype, parseHeaderImpl, shapeText } from './npy-header.js';
import { allocF32, checkF64Underflow, decodeElements, f64At, firstNonFinite, nonFiniteMessage, type DecodeFlags } from './npy-decode.js';

/** A decoded matrix as returned by the readers: always float32, row-major. */
export interface F32Matrix extends Matrix {
  /** The values as float32, row-major (readers convert every dtype to float32). */
  data: Float32Array;
}

/** @internal parseNpy with a prefix for messages (used by the .npz reader). */
export function parseNpyImpl(bytes: Uint8Array, name: string, where: string): F32Matrix {
  const fail = failer(name, where);
  const h = parseHeaderImpl(bytes, fail);
  const { rows, cols } = matrixShape(h.shape, fail);
  const dt = parseDtype(h.dtype, fail);
  const count = rows * cols;
  const need = count * h.itemSize;
  const have = bytes.length - h.headerLength;
  if (have < need) {
    fail(`truncated .npy data: shape ${shapeText(h.shape)} of '${h.dtype}' needs ${need} bytes, file has ${have}`);
  }
  if (have > need) {
    fail(`.npy data size does not match the shape: shape ${shapeText(h.shape)} of '${h.dtype}' needs ${need} bytes, file has ${have}`);
  }
  const src = bytes.subarray(h.headerLength);
  const out = allocF32(count, fail);
  const flags: DecodeFlags = { tiny: false };
  let overflow: number;
  const colMajor = h.fortranOrder && cols > 1 && rows > 1;
  if (!colMajor) {
    overflow = decodeElements(src, dt, count, out, 0, flags);
  } else {
    // Column-major on disk: decode one column at a time and scatter it into the rows.
    overflow = -1;
    const col = new Float32Array(rows);
    const colBytes = rows * h.itemSize;
    for (let j = 0; j < cols; j++) {
      const o = decodeElements(src.subarray(j * colBytes, (j + 1) * colBytes), dt, rows, col, 0, flags);
      if (o >= 0 && overflow < 0) overflow = o * cols + j; // row-major index
      for (let i = 0, p = j; i < rows; i++, p += cols) out[p] = col[i];
    }
  }
  if (overflow >= 0) {
    const r = Math.floor(overflow / cols),
      c = overflow % cols;
    const at = (!h.fortranOrder || cols === 1 || rows === 1 ? overflow : c * rows + r) * h.itemSize;
    fail(float32RangeMessage(f64At(src, at, dt.littleEndian), r, c));
  }
  if (flags.tiny) checkF64Underflow(src.subarray(0, need), dt.littleEndian, rows, cols, colMajor, fail);
  const bad = firstNonFinite(out);
  if (bad >= 0) fail(nonFiniteMessage(out[bad], bad, cols));
  return { data: out, rows, cols };
}

/**
 * Read a whole .npy file (bytes) into a row-major float32 matrix. 1-D arrays become n × 1.
 * Throws InputError naming `name` for malformed, truncated or unsupported files and for
 * NaN/Inf values.
 */
export function parseNpy(bytes: Uint8Array, name: string): F32Matrix {
  return parseNpyImpl(bytes, name, '');
}

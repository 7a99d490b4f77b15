// STUB (cli branch only): .npy v1 (little-endian f32/f64, C order) and .json readers.
import { InputError } from '../errors.js';
import type { Matrix } from '../types.js';

export function parseMatrix(bytes: Uint8Array, name: string, opts: { key?: string } = {}): Matrix {
  void opts;
  if (bytes.length >= 6 && bytes[0] === 0x93 && String.fromCharCode(...bytes.subarray(1, 6)) === 'NUMPY') {
    if (bytes[6] !== 1) throw new InputError(`unsupported .npy version ${bytes[6]}`, name);
    const hlen = bytes[8] | (bytes[9] << 8);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + hlen));
    const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
    const fortran = /'fortran_order':\s*True/.test(header);
    const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    if (!shape || shape.length !== 2) throw new InputError('expected a 2-D array', name);
    if (fortran) throw new InputError('Fortran order not supported by the stub', name);
    const [rows, cols] = shape, off = 10 + hlen;
    const size = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0;
    if (!size) throw new InputError(`unsupported dtype ${descr}`, name);
    if (bytes.length - off < rows * cols * size) throw new InputError('file is truncated', name);
    // Copy: a Node Buffer's .buffer may be a shared pool larger than the file.
    const buf = new Uint8Array(bytes.subarray(off, off + rows * cols * size)).buffer;
    const data = size === 4 ? new Float32Array(buf) : new Float64Array(buf);
    return { data, rows, cols };
  }
  let parsed: unknown;
  try { parsed = JSON.parse(new TextDecoder().decode(bytes)); } catch {
    throw new InputError('not a .npy file or JSON array of arrays', name);
  }
  if (!Array.isArray(parsed) || !parsed.every(Array.isArray)) throw new InputError('expected an array of arrays', name);
  const rows = parsed.length, cols = rows ? (parsed[0] as unknown[]).length : 0;
  const data = new Float64Array(rows * cols);
  (parsed as number[][]).forEach((r, i) => {
    if (r.length !== cols) throw new InputError(`row ${i} has ${r.length} values, expected ${cols}`, name);
    r.forEach((v, j) => { data[i * cols + j] = Number(v); });
  });
  return { data, rows, cols };
}

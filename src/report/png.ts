// Greyscale PNG encoding by hand (signature, IHDR, one zlib IDAT, IEND), for
// thumbnails embedded in the report as data URIs. Pure JS: runs anywhere.
import { zlibSync } from 'fflate';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

export interface GreyOptions {
  /** Value shown black and white; default: the image's own min and max. */
  range?: [number, number];
  /** Draw dark ink on white (1 − v). Default false. */
  invert?: boolean;
  /** Integer upscaling by pixel replication. Default 1. */
  scale?: number;
}

/** An 8-bit greyscale PNG of a row-major `width × height` image. */
export function greyPng(pixels: ArrayLike<number>, width: number, height: number, opts: GreyOptions = {}): Uint8Array {
  if (pixels.length < width * height) throw new RangeError(`greyPng: ${pixels.length} pixels for a ${width}×${height} image`);
  let [lo, hi] = opts.range ?? [Infinity, -Infinity];
  if (!opts.range) {
    for (let i = 0; i < width * height; i++) {
      const v = pixels[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const span = hi > lo ? hi - lo : 1;
  const s = Math.max(1, Math.floor(opts.scale ?? 1));
  const W = width * s,
    H = height * s;
  const raw = new Uint8Array(H * (W + 1));
  for (let y = 0; y < H; y++) {
    const row = y * (W + 1);
    raw[row] = 0; // filter: none
    const sy = Math.floor(y / s);
    for (let x = 0; x < W; x++) {
      let v = (pixels[sy * width + Math.floor(x / s)] - lo) / span;
      v = Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
      if (opts.invert) v = 1 - v;
      raw[row + 1 + x] = Math.round(v * 255);
    }
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, W);
  dv.setUint32(4, H);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    s += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    s += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + '=';
  }
  return s;
}

export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${base64(png)}`;
}

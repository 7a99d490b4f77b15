// The hand-written PNG encoder: every chunk's length and CRC (node:zlib's crc32),
// IHDR fields, and the pixels decoded back with node:zlib's inflate, one by one,
// against the definition (v − lo)/(hi − lo) · 255 rounded, clamped, inverted, replicated.
// base64 against Buffer's encoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, inflateSync } from 'node:zlib';
import { base64, greyPng, pngDataUri } from '../../../src/report/png.js';

interface Decoded {
  width: number;
  height: number;
  depth: number;
  colour: number;
  pixels: number[][];
  chunks: string[];
}

function decode(png: Uint8Array): Decoded {
  const b = Buffer.from(png);
  assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let ihdr: Buffer | undefined;
  let o = 8;
  while (o < b.length) {
    const len = b.readUInt32BE(o);
    const type = b.toString('latin1', o + 4, o + 8);
    const data = b.subarray(o + 8, o + 8 + len);
    assert.equal(b.readUInt32BE(o + 8 + len), crc32(b.subarray(o + 4, o + 8 + len)), `CRC of ${type}`);
    chunks.push(type);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    o += 12 + len;
  }
  assert.equal(o, b.length, 'chunks end at the end of the file');
  assert.ok(ihdr && ihdr.length === 13);
  const width = ihdr.readUInt32BE(0),
    height = ihdr.readUInt32BE(4);
  assert.deepEqual([...ihdr.subarray(10, 13)], [0, 0, 0], 'compression, filter and interlace methods 0');
  const raw = inflateSync(Buffer.concat(idat));
  assert.equal(raw.length, height * (width + 1));
  const pixels: number[][] = [];
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width + 1)], 0, `row ${y}: filter type none`);
    pixels.push([...raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1))]);
  }
  return { width, height, depth: ihdr[8], colour: ihdr[9], pixels, chunks };
}

/** The grey level of value v by the definition. */
const level = (v: number, lo: number, hi: number, invert = false) => {
  let t = (v - lo) / (hi > lo ? hi - lo : 1);
  t = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  return Math.round((invert ? 1 - t : t) * 255);
};

test('greyPng: chunks IHDR, IDAT, IEND with valid CRCs; 8-bit greyscale; own min/max by default', () => {
  const px = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const d = decode(greyPng(px, 4, 3));
  assert.deepEqual(d.chunks, ['IHDR', 'IDAT', 'IEND']);
  assert.deepEqual([d.width, d.height, d.depth, d.colour], [4, 3, 8, 0]);
  assert.deepEqual(d.pixels, [
    [0, 23, 46, 70],
    [93, 116, 139, 162],
    [185, 209, 232, 255],
  ]);
  for (let i = 0; i < 12; i++) assert.equal(d.pixels[Math.floor(i / 4)][i % 4], level(px[i], 0, 11));
});

test('greyPng: range clamps, invert, scale replicates pixels, NaN is black', () => {
  let s = 5;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const w = 5,
    h = 3;
  const px = Array.from({ length: w * h }, () => rnd() * 3 - 1);
  px[7] = NaN;
  for (const opts of [{ range: [0, 1] as [number, number] }, { range: [0, 1] as [number, number], invert: true }, { scale: 3 }, { scale: 2.7, invert: true }]) {
    const d = decode(greyPng(px, w, h, opts));
    const sc = Math.max(1, Math.floor(opts.scale ?? 1));
    assert.equal(d.width, w * sc);
    assert.equal(d.height, h * sc);
    const finite = px.filter(Number.isFinite);
    const [lo, hi] = opts.range ?? [Math.min(...finite), Math.max(...finite)];
    for (let y = 0; y < h * sc; y++) {
      for (let x = 0; x < w * sc; x++) {
        const v = px[Math.floor(y / sc) * w + Math.floor(x / sc)];
        assert.equal(d.pixels[y][x], level(v, lo, hi, opts.invert), `${JSON.stringify(opts)} (${x}, ${y})`);
      }
    }
  }
  // NaN: black, or white when inverted
  assert.equal(decode(greyPng([NaN, 0, 1, 2], 2, 2)).pixels[0][0], 0);
});

test('greyPng: a constant image is black (span 1); extra pixels are ignored; too few are refused', () => {
  assert.deepEqual(decode(greyPng([3, 3, 3, 3], 2, 2)).pixels, [
    [0, 0],
    [0, 0],
  ]);
  assert.deepEqual(decode(greyPng([0, 10, 99, 99], 2, 1)).pixels, [[0, 255]]);
  assert.throws(() => greyPng([1, 2, 3], 2, 2), { name: 'RangeError', message: 'greyPng: 3 pixels for a 2×2 image' });
});

test("base64 equals Buffer's encoding for every length 0…40 and all byte values", () => {
  for (let n = 0; n <= 40; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31 + 255) & 255);
    assert.equal(base64(bytes), Buffer.from(bytes).toString('base64'), `length ${n}`);
  }
  const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
  assert.equal(base64(all), Buffer.from(all).toString('base64'));
});

test('pngDataUri: data:image/png;base64, then the bytes', () => {
  const png = greyPng([0, 1], 2, 1);
  const uri = pngDataUri(png);
  assert.ok(uri.startsWith('data:image/png;base64,'));
  assert.deepEqual(new Uint8Array(Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64')), png);
});

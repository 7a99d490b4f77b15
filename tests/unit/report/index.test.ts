// The report entry: imageThumbs routes each set to its images and encodes them as
// PNG data URIs whose pixels decode back to the images (range and invert applied).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import * as report from '../../../src/report/index.js';
import { greyPng, pngDataUri } from '../../../src/report/png.js';
import { reportHtml } from '../../../src/report/html.js';
import { prepareAlignReport } from '../../../src/report/data.js';

/** Pixels of an 8-bit greyscale PNG with one IDAT and filter 0 rows (what greyPng writes). */
function pixelsOf(uri: string): { w: number; h: number; px: number[] } {
  const b = Buffer.from(uri.replace(/^data:image\/png;base64,/, ''), 'base64');
  const w = b.readUInt32BE(16),
    h = b.readUInt32BE(20);
  const idatLen = b.readUInt32BE(33);
  assert.equal(b.toString('latin1', 37, 41), 'IDAT');
  const raw = inflateSync(b.subarray(41, 41 + idatLen));
  const px: number[] = [];
  for (let y = 0; y < h; y++) px.push(...raw.subarray(y * (w + 1) + 1, (y + 1) * (w + 1)));
  return { w, h, px };
}

test('imageThumbs: set 0 from x, set 1 from y, null where a set has no images', () => {
  const calls: string[] = [];
  const x = {
    width: 2,
    height: 2,
    pixels: (i: number) => {
      calls.push(`x${i}`);
      return [0, 0.5, 1, i / 10];
    },
    range: [0, 1] as [number, number],
  };
  const y = {
    width: 3,
    height: 1,
    pixels: (i: number) => {
      calls.push(`y${i}`);
      return [i, 0, 10];
    },
    invert: true,
  };
  const thumb = report.imageThumbs({ x, y });
  const a = thumb(0, 4)!;
  assert.equal(a, pngDataUri(greyPng([0, 0.5, 1, 0.4], 2, 2, { range: [0, 1] })));
  assert.deepEqual(pixelsOf(a), { w: 2, h: 2, px: [0, 128, 255, 102] });
  // y: own min/max (0..10), inverted: 255 · (1 − v/10)
  assert.deepEqual(pixelsOf(thumb(1, 5)!), { w: 3, h: 1, px: [128, 255, 0] });
  assert.deepEqual(calls, ['x4', 'y5']);
  assert.equal(report.imageThumbs({ x })(1, 0), null);
  assert.equal(report.imageThumbs({ y })(0, 0), null);
});

test('the entry re-exports the stage functions themselves', () => {
  assert.equal(report.greyPng, greyPng);
  assert.equal(report.pngDataUri, pngDataUri);
  assert.equal(report.reportHtml, reportHtml);
  assert.equal(report.prepareAlignReport, prepareAlignReport);
  assert.equal(report.DEFAULT_MAX_POINTS, 3000);
  for (const name of ['base64', 'scriptJson', 'prepareCompareReport', 'prepareFincReport', 'gatherRows']) {
    assert.equal(typeof (report as Record<string, unknown>)[name], 'function', name);
  }
});

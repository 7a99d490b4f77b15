// The interactive HTML report (compare, finc, align): prepare the data (layouts
// and evidence computed here, at generation time), then write one
// self-contained page. Pure TypeScript apart from umap-js: runs in Node and in
// the in-browser app's worker.
import { greyPng, pngDataUri } from './png.js';
import type { ThumbFn } from './data.js';

export { greyPng, pngDataUri, base64 } from './png.js';
export { reportHtml, scriptJson } from './html.js';
export { workerLayouts } from './layouts.js';
export {
  prepareCompareReport,
  prepareFincReport,
  prepareAlignReport,
  gatherRows,
  DEFAULT_MAX_POINTS,
  type ReportData,
  type ReportMaps,
  type PrepareOptions,
  type ThumbFn,
  type AlignJson,
  type LayoutRunner,
} from './data.js';

/** Grey images of the samples, for thumbnails (e.g. 28 × 28 MNIST digits). */
export interface ReportImages {
  width: number;
  height: number;
  /** Row-major pixels of sample `index`. */
  pixels(index: number): ArrayLike<number>;
  /** Values shown black and white; default: each image's min and max. */
  range?: [number, number];
  /** Dark ink on white. Default false. */
  invert?: boolean;
}

/** Thumbnails (PNG data URIs) of grey images, per set. */
export function imageThumbs(images: { x?: ReportImages; y?: ReportImages }): ThumbFn {
  return (set, index) => {
    const im = set === 0 ? images.x : images.y;
    if (!im) return null;
    return pngDataUri(greyPng(im.pixels(index), im.width, im.height, { range: im.range, invert: im.invert }));
  };
}

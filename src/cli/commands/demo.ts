// spec-embed demo: compare two real representations of the same 10,000 MNIST
// digits (raw pixels vs a gradient-orientation descriptor) and write a report.
import { compare } from '../../compare.js';
import { init } from '../../wasm.js';
import { DemoDataUnavailable, hogMatrix, loadMnistPackage, pixelMatrix, selectDigits } from '../../demo/mnist.js';
import { renderReport } from '../../report/index.js';
import type { CompareOptions } from '../../types.js';
import { UsageError, parseChoice, parseInteger } from '../args.js';
import type { Command } from '../command.js';
import { formatHuman, modeSummaryLines } from '../format.js';
import { toCliJson } from '../json.js';
import { createProgress } from '../progress.js';
import { METHODS, checkOutputs, flag, stringOption, writeText } from '../shared.js';

const DEFAULT_HTML = 'spec-embed-demo.html';
const DEFAULT_JSON = 'spec-embed-demo.json';
const DEFAULT_RFF = 500;
const DEFAULT_TOP = 8;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'compare raw pixels with gradient histograms of 10,000 MNIST digits; writes a report',
  usage: `usage: spec-embed demo [options]

Loads the 10,000 MNIST digits of the 'mnist' package (a development dependency) in a
fixed order, and compares two representations of the same digits:
  X = the raw 28 × 28 pixels (784 values),
  Y = a HOG-like descriptor: gradient orientations in 9 bins over a 4 × 4 grid (144 values),
with a Gaussian kernel on each side (σ = auto) on the covariance route. Prints the modes
with the digit labels of their top samples, and writes ${DEFAULT_HTML} (report with digit
thumbnails) and ${DEFAULT_JSON} (the 'compare --json' object) in the current directory.`,
  options: [
    { name: 'out', value: 'FILE', help: `HTML report path (default ${DEFAULT_HTML})` },
    { name: 'json-out', value: 'FILE', help: `JSON result path (default ${DEFAULT_JSON})` },
    { name: 'json', help: 'print the JSON object to stdout instead of the table' },
    { name: 'top', value: 'K', help: `modes per side (default ${DEFAULT_TOP})` },
    { name: 'samples-per-mode', value: 'N', help: 'top samples per mode (default 20)' },
    { name: 'rff-dim', value: 'M', help: `random Fourier frequencies per side (default ${DEFAULT_RFF})` },
    { name: 'method', value: 'M', help: 'auto, exact or covariance (default covariance)' },
    { name: 'seed', value: 'N', help: 'seed for the digit order, random features and σ (default 0)' },
    { name: 'limit', value: 'N', help: 'use only the first N digits (for quick runs)', hidden: true },
  ],
  positionals: { min: 0, max: 0, names: 'no arguments' },
  async run(args) {
    const get = (n: string) => stringOption(args, n);
    const htmlPath = get('out') ?? DEFAULT_HTML;
    const jsonPath = get('json-out') ?? DEFAULT_JSON;
    checkOutputs(args, ['out', 'json-out']);
    const topK = get('top') !== undefined ? parseInteger('top', get('top')!, 1) : DEFAULT_TOP;
    const samplesPerMode = get('samples-per-mode') !== undefined ? parseInteger('samples-per-mode', get('samples-per-mode')!, 1) : 20;
    const rffDim = get('rff-dim') !== undefined ? parseInteger('rff-dim', get('rff-dim')!, 1) : DEFAULT_RFF;
    const method = get('method') !== undefined ? parseChoice('method', get('method')!, METHODS) : 'covariance';
    const seed = get('seed') !== undefined ? parseInteger('seed', get('seed')!, 0) : 0;
    const limit = get('limit') !== undefined ? parseInteger('limit', get('limit')!, 10) : Infinity;

    const progress = createProgress();
    try {
      const t0 = performance.now();
      let digits;
      try {
        digits = loadMnistPackage();
      } catch (err) {
        if (err instanceof DemoDataUnavailable) throw new UsageError(err.message);
        throw err;
      }
      const set = selectDigits(digits, limit, seed);
      const X = pixelMatrix(set);
      const Y = hogMatrix(set);
      const tData = (performance.now() - t0) / 1000;
      progress.note(`demo: ${set.n} MNIST digits; X = raw pixels (${X.cols}), Y = gradient-orientation histograms (${Y.cols}) [${tData.toFixed(1)} s]`);

      await init();
      const options: CompareOptions = {
        kernelX: { type: 'gaussian', sigma: 'auto', rffDim },
        kernelY: { type: 'gaussian', sigma: 'auto', rffDim },
        method,
        topK,
        samplesPerMode,
        seed,
        onProgress: progress.onProgress,
      };
      const result = await compare(X, Y, options);
      progress.stop();

      const obj = toCliJson(result, set.labels);
      writeText(jsonPath, `${JSON.stringify(obj, null, 1)}\n`, 'JSON result');
      const html = renderReport(result, {
        title: 'spec-embed demo: MNIST pixels vs gradient histograms',
        xName: 'pixels',
        yName: 'HOG',
        description:
          `${set.n} MNIST digits. X = raw 28 × 28 pixels, Y = a HOG-like descriptor (gradient orientations in 9 bins over 4 × 4 cells), ` +
          `both with a Gaussian kernel (σ = median pairwise distance). Side-x modes are groups of digits that look alike pixel by pixel ` +
          `but not in stroke directions; side-y modes share stroke directions but not pixel positions.`,
        labels: set.labels,
        images: { width: set.width, height: set.height, pixels: (i) => set.pixels.subarray(i * 784, (i + 1) * 784), range: [0, 1], invert: true },
        sigmaAuto: { x: true, y: true },
      });
      writeText(htmlPath, html, 'report');

      if (flag(args, 'json')) {
        process.stdout.write(`${JSON.stringify(obj)}\n`);
      } else {
        const out = formatHuman(result, { xName: 'pixels (784)', yName: 'HOG (144)', labels: set.labels, sigmaAutoX: true, sigmaAutoY: true });
        process.stdout.write(`${out}\n${modeSummaryLines(result, set.labels).join('\n')}\n\nwrote ${htmlPath} and ${jsonPath}\n`);
      }
      return 0;
    } finally {
      progress.stop();
    }
  },
};

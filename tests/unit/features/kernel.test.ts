// Kernel options resolved once (docs/design.md §1): defaults, the checks and their
// messages, the reported KernelInfo, and σ = 'auto' — the median pairwise Euclidean
// distance over a seeded sample of ≤ 1000 rows — against a plain f64 median here and
// SciPy's pdist median in tests/fixtures/compare/sigma-auto.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from '../../../src/index.js';
import {
  checkKernelOption,
  DEFAULT_RFF_DIM,
  estimateSigma,
  featureDim,
  kernelInfo,
  kernelOption,
  resolveKernel,
  sigmaAuto,
  sigmaAutoSteps,
  type Kernel,
} from '../../../src/features/kernel.js';
import { matrixSource, SAMPLE_ROWS } from '../../../src/validate/source.js';
import { sampleIndices } from '../../../src/wasm/rng.js';
import { InputError } from '../../../src/errors.js';
import type { KernelOption, Matrix } from '../../../src/types/index.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof InputError, `an InputError, got ${String(e)}`);
    return (e as Error).message;
  }
  assert.fail('no error');
}

test('resolveKernel fills in defaults: cosine when absent, σ = auto and m = 1000 for the Gaussian', () => {
  assert.equal(DEFAULT_RFF_DIM, 1000);
  assert.deepEqual(resolveKernel(undefined, 'X'), { type: 'cosine', sigma: 0, rffDim: 0 });
  assert.deepEqual(resolveKernel('linear', 'X'), { type: 'linear', sigma: 0, rffDim: 0 });
  // σ and m mean nothing to cosine and linear kernels
  assert.deepEqual(resolveKernel({ type: 'linear', sigma: 3, rffDim: 7 }, 'Y'), { type: 'linear', sigma: 0, rffDim: 0 });
  assert.deepEqual(resolveKernel({ type: 'gaussian', sigma: 2.5 }, 'X'), { type: 'gaussian', sigma: 2.5, rffDim: 1000 });
  assert.deepEqual(resolveKernel({ type: 'gaussian', sigma: 2.5, rffDim: 64 }, 'X'), { type: 'gaussian', sigma: 2.5, rffDim: 64 });
  let calls = 0;
  const auto = () => {
    calls++;
    return 4.25;
  };
  assert.deepEqual(resolveKernel('gaussian', 'X', auto), { type: 'gaussian', sigma: 4.25, rffDim: 1000 });
  assert.deepEqual(resolveKernel({ type: 'gaussian', sigma: 'auto', rffDim: 5 }, 'X', auto), { type: 'gaussian', sigma: 4.25, rffDim: 5 });
  // a numeric σ never estimates
  resolveKernel({ type: 'gaussian', sigma: 1 }, 'X', auto);
  assert.equal(calls, 2);
  assert.equal(
    message(() => resolveKernel('gaussian', 'Y')),
    'kernelY: the accumulator needs a numeric sigma (use estimateSigma on a sample first)',
  );
  assert.match(
    message(() => resolveKernel('gaussian', '', undefined, 'kernel option')),
    /^kernel option: the accumulator needs/,
  );
});

test('checkKernelOption refuses bad types, keys, σ and m under the name the option was passed as', () => {
  assert.equal(
    message(() => checkKernelOption('rbf' as KernelOption, 'kernelX')),
    'kernelX must be one of cosine, linear, gaussian, got "rbf"',
  );
  assert.equal(
    message(() => checkKernelOption({ type: 'RBF' } as any, 'kernel')),
    'kernel must be one of cosine, linear, gaussian, got "RBF"',
  );
  assert.equal(
    message(() => checkKernelOption(null as any, 'kernel')),
    'kernel must be one of cosine, linear, gaussian, got null',
  );
  assert.equal(
    message(() => checkKernelOption(7 as any, 'kernelY')),
    'kernelY must be one of cosine, linear, gaussian, got 7',
  );
  assert.equal(
    message(() => checkKernelOption({ type: 'gaussian', sgima: 1 } as any, 'kernelY')),
    'unknown kernelY option sgima; did you mean sigma?',
  );
  assert.equal(
    message(() => checkKernelOption({ type: 'gaussian', gamma: 1 } as any, 'kernel')),
    'unknown kernel option gamma; valid: type, sigma, rffDim',
  );
  for (const sigma of [0, -1, NaN, Infinity, '2']) {
    assert.equal(
      message(() => checkKernelOption({ type: 'gaussian', sigma } as any, 'kernelX')),
      `sigma of kernelX must be a number > 0 or 'auto', got ${String(sigma)}`,
    );
  }
  for (const rffDim of [0, -3, 1.5, NaN, '10']) {
    assert.equal(
      message(() => checkKernelOption({ type: 'gaussian', rffDim } as any, 'kernel')),
      `rffDim of kernel must be an integer ≥ 1, got ${String(rffDim)}`,
    );
  }
  // checked whatever the type: a typo in σ of a cosine kernel is still a typo
  assert.match(
    message(() => checkKernelOption({ type: 'cosine', sigma: -1 }, 'kernel')),
    /^sigma of kernel must be/,
  );
  assert.deepEqual(checkKernelOption('gaussian', 'kernel'), { type: 'gaussian' });
  assert.deepEqual(checkKernelOption(undefined, 'kernel'), { type: 'cosine' });
});

test('featureDim, kernelInfo and kernelOption', () => {
  const g: Kernel = { type: 'gaussian', sigma: 1.5, rffDim: 300 },
    c: Kernel = { type: 'cosine', sigma: 0, rffDim: 0 };
  assert.equal(featureDim(g, 17), 600);
  assert.equal(featureDim(c, 17), 17);
  assert.equal(featureDim({ type: 'linear', sigma: 0, rffDim: 0 }, 5), 5);
  assert.deepEqual(kernelInfo(g, 'covariance'), { type: 'gaussian', sigma: 1.5, rffDim: 300 });
  // the exact route uses no random features: no m to report
  assert.deepEqual(kernelInfo(g, 'exact'), { type: 'gaussian', sigma: 1.5 });
  assert.deepEqual(kernelInfo(c, 'covariance'), { type: 'cosine' });
  // the stored option resolves to the same kernel again
  for (const k of [g, c, { type: 'linear', sigma: 0, rffDim: 0 } as Kernel]) assert.deepEqual(resolveKernel(kernelOption(k), 'X'), k);
  assert.equal(kernelOption(c), 'cosine');
});

/** Median of the pairwise distances of the rows of m (f64, sorted; the mean of the middle two when even). */
function medianDistance(m: Matrix): number {
  const dist: number[] = [];
  for (let i = 0; i < m.rows; i++) {
    for (let k = i + 1; k < m.rows; k++) {
      let s = 0;
      for (let j = 0; j < m.cols; j++) {
        const t = m.data[i * m.cols + j] - m.data[k * m.cols + j];
        s += t * t;
      }
      dist.push(Math.sqrt(s));
    }
  }
  dist.sort((a, b) => a - b);
  const h = dist.length >> 1;
  return dist.length % 2 ? dist[h] : (dist[h - 1] + dist[h]) / 2;
}

const col = (...v: number[]) => matrixSource({ data: Float32Array.from(v), rows: v.length, cols: 1 }, 'X');

test('sigmaAuto: the median pairwise distance, odd and even numbers of pairs, pooled sources', () => {
  assert.equal(sigmaAuto([col(0, 1, 3)], 0, 'X'), 2); // distances 1, 3, 2
  assert.equal(sigmaAuto([col(0, 1, 3, 7)], 0, 'X'), 3.5); // 1, 3, 7, 2, 6, 4
  assert.equal(sigmaAuto([col(5, 5, 5, 9)], 0, 'X'), 2); // 0, 0, 4, 0, 4, 4: (0 + 4) / 2
  // two sources pool their rows
  assert.equal(sigmaAuto([col(0, 1), col(3, 7)], 0, 'X and Y'), 3.5);
  for (const [n, d, seed] of [
    [2, 3, 1],
    [37, 5, 2],
    [200, 17, 3],
  ]) {
    const m = { data: randomF32(n * d, seed), rows: n, cols: d };
    const want = medianDistance(m);
    const got = sigmaAuto([matrixSource(m, 'X')], 0, 'X');
    assert.ok(Math.abs(got - want) <= 1e-13 * want, `n = ${n}: ${got} vs ${want}`);
  }
  // a single row has no pairs: σ = 1
  assert.equal(sigmaAuto([col(4)], 0, 'X'), 1);
});

test("sigmaAuto equals SciPy's median of pdist on the stored fixture", () => {
  const f = JSON.parse(readFileSync(new URL('../../fixtures/compare/sigma-auto.json', import.meta.url), 'utf8'));
  const rows = f.X.length,
    cols = f.X[0].length;
  const m = { data: Float32Array.from(f.X.flat()), rows, cols };
  const got = sigmaAuto([matrixSource(m, 'X')], 0, 'X');
  // SciPy read the float32 data as float64, as the kernel does
  assert.ok(Math.abs(got - f.median) <= 1e-12 * f.median, `${got} vs ${f.median}`);
});

test('σ = auto over more than 1000 rows is the median over the seeded sample', async () => {
  const n = 1500,
    d = 6;
  const m = { data: randomF32(n * d, 4), rows: n, cols: d };
  for (const seed of [0, 9]) {
    const idx = sampleIndices(n, SAMPLE_ROWS, seed);
    const sample = new Float32Array(idx.length * d);
    idx.forEach((r, i) => sample.set(m.data.subarray(r * d, (r + 1) * d), i * d));
    const want = medianDistance({ data: sample, rows: idx.length, cols: d });
    const got = sigmaAuto([matrixSource(m, 'X')], seed, 'X');
    assert.ok(Math.abs(got - want) <= 1e-13 * want, `seed ${seed}: ${got} vs ${want}`);
    // estimateSigma is the same estimate of an in-memory matrix
    assert.equal(await estimateSigma(m, seed), got);
  }
  assert.notEqual(sigmaAuto([matrixSource(m, 'X')], 0, 'X'), sigmaAuto([matrixSource(m, 'X')], 9, 'X'));
});

test('sigmaAutoSteps reports progress in sample rows and ends at n − 1', () => {
  const n = 1000,
    d = 4;
  const m = { data: randomF32(n * d, 5), rows: n, cols: d };
  const gen = sigmaAutoSteps([matrixSource(m, 'X')], 0, 'X');
  const done: number[] = [];
  let r = gen.next();
  for (; !r.done; r = gen.next()) {
    assert.equal(r.value.total, n - 1);
    assert.equal(r.value.message, 'σ-auto sample rows');
    done.push(r.value.done);
  }
  assert.ok(done.length >= 2, `${done.length} steps`);
  for (let i = 1; i < done.length; i++) assert.ok(done[i] > done[i - 1]);
  assert.equal(done[done.length - 1], n - 1);
  assert.equal(r.value, sigmaAuto([matrixSource(m, 'X')], 0, 'X'));
});

test('a zero median is refused naming the data; estimateSigma checks its input and seed', async () => {
  assert.equal(
    message(() => sigmaAuto([col(1, 1, 1, 1, 2)], 0, 'a.npy and b.npy')),
    'a.npy and b.npy: sigma = auto is 0 for a.npy and b.npy: the median pairwise distance of the sampled rows is 0 (at least half of the pairs are duplicates); pass an explicit sigma',
  );
  await assert.rejects(
    estimateSigma([
      [1, 2],
      [3, NaN],
    ]),
    /^InputError: data: non-finite value NaN at row 2, column 2 \(1-based\)$/,
  );
  await assert.rejects(
    estimateSigma(
      [
        [1, 2],
        [3, 4],
      ],
      -1,
    ),
    /seed must be an integer in \[0, 2\^32\), got -1/,
  );
  assert.equal(
    await estimateSigma([
      [0, 0],
      [3, 4],
    ]),
    5,
  );
});

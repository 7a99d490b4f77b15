// SpecSums (src/sums/spec-sums.ts), its own parts: the refusal of a covariance
// beyond wasm memory (naming the side and option that make D large, with the
// exact route as hint), the options it is made from, D = DX + DY per kernel, the
// snapshot header checked against the data, the scoring pass over the same rows
// and whether every row's features stayed cached. (ΨᵀΨ itself: sums.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { SpecSums, checkCovarianceSize, MAX_COVARIANCE_DIM } from '../../../src/sums/spec-sums.js';
import { writeSnapshot } from '../../../src/sums/snapshot.js';
import { ScorePass } from '../../../src/sums/score-pass.js';
import { resolveKernel } from '../../../src/features/kernel.js';
import { MAX_BLOCK_BYTES, formatBytes } from '../../../src/wasm/memory.js';
import { drain } from '../../../src/runtime/cooperative.js';
import { InputError } from '../../../src/errors.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });
const inputError = (message: string) => (e: unknown) => e instanceof InputError && e.message === message;
const tail = (D: number) =>
  `gives D = ${D} features: the D × D f64 covariance would need ${formatBytes(D * D * 8)}, more than one WebAssembly allocation holds (${formatBytes(MAX_BLOCK_BYTES)}, D ≤ ${MAX_COVARIANCE_DIM})`;

test("checkCovarianceSize: silent up to MAX_COVARIANCE_DIM, else names the larger side's option, with the exact route as hint when n allows", () => {
  const lin = resolveKernel('linear', 'X'),
    cos = resolveKernel('cosine', 'Y');
  checkCovarianceSize(lin, MAX_COVARIANCE_DIM - 5, cos, 5);
  const big = MAX_COVARIANCE_DIM - 2;
  assert.throws(() => checkCovarianceSize(lin, 3, cos, big), inputError(`Y has ${big} columns, so the cosine kernel's feature map ${tail(big + 3)}`));
  const g = resolveKernel({ type: 'gaussian', sigma: 1, rffDim: 6000 }, 'X');
  assert.throws(
    () => checkCovarianceSize(g, 10, lin, 20, { n: 100, max: 11000 }),
    inputError(`rffDim of kernelX = 6000 ${tail(12020)}; n = 100 is small enough for method 'exact' (--method exact: two 100 × 100 kernel matrices)`),
  );
  assert.throws(() => checkCovarianceSize(g, 10, lin, 20, { n: 11001, max: 11000 }), inputError(`rffDim of kernelX = 6000 ${tail(12020)}`));
  // ties name X
  assert.throws(() => checkCovarianceSize(lin, 6000, lin, 6000), inputError(`X has 6000 columns, so the linear kernel's feature map ${tail(12000)}`));
});

test('fromOptions: D per kernel (d for cosine and linear, 2m for the Gaussian), each option checked', () => {
  const s = SpecSums.fromOptions({ kernelX: { type: 'gaussian', sigma: 2, rffDim: 8 }, kernelY: 'linear', dx: 3, dy: 5 });
  try {
    assert.deepEqual([s.DX, s.DY, s.D, s.n, s.eta, s.seed], [16, 5, 21, 0, 1, 0]);
  } finally {
    s.dispose();
  }
  assert.throws(() => SpecSums.fromOptions({ dx: 0, dy: 2 }), inputError('dx must be an integer ≥ 1, got 0'));
  assert.throws(() => SpecSums.fromOptions({ dx: 2, dy: 2, eta: -1 }), inputError('eta must be a finite number ≥ 0, got -1'));
  assert.throws(() => SpecSums.fromOptions({ dx: 2, dy: 2, seed: 1.5 }), inputError('seed must be an integer in [0, 2^32), got 1.5'));
  assert.throws(() => SpecSums.fromOptions(null as any), inputError('SpecAccumulator options must be an object'));
});

test('deserialize: a header whose kernels give another D is refused, and the round trip keeps n and the sums', () => {
  const s = SpecSums.fromOptions({ kernelX: 'linear', kernelY: 'linear', dx: 2, dy: 1, eta: 0.5 });
  try {
    drain(s.addSteps(mat(10, 2, 1), mat(10, 1, 2)));
    const back = SpecSums.deserialize(s.serialize());
    assert.equal(back.n, 10);
    assert.deepEqual(back.takeSums(), s.takeSums());
    assert.deepEqual(back.serialize(), s.serialize());
    back.dispose();
  } finally {
    s.dispose();
  }
  // D = 3 in the data, but dx + dy = 4 under linear kernels: the header check refuses it before SpecSums allocates
  const D = 3,
    m = { view: new Float64Array(D * D) } as any;
  const bytes = writeSnapshot('SPECACC', 2, { kernelX: 'linear', kernelY: 'linear', eta: 1, seed: 0, dx: 2, dy: 2, n: 5, D }, [m], D);
  assert.throws(
    () => SpecSums.deserialize(bytes),
    inputError('not a spec-embed accumulator snapshot: header field D = 3: does not match the kernels and dimensions (they give D = 4)'),
  );
});

test('a scoring pass over the same rows: from the cached features without data, or from the data again', () => {
  const n = 300,
    X = mat(n, 4, 3),
    Y = mat(n, 3, 4);
  const lin = resolveKernel('linear', 'X');
  for (const cache of [true, false]) {
    const s = SpecSums.of(lin, lin, 1, 0, { cols: 4, name: 'x.npy' }, { cols: 3, name: 'y.npy' });
    try {
      if (cache) s.cacheFeatures(1 << 20);
      drain(s.addSteps(X, Y));
      assert.equal(s.allCached, cache);
      // one mode vector e₀: its scores are Ψ's column 0 (= X's) times the scale
      const V = new Float32Array(7);
      V[0] = 1;
      const got: number[] = [];
      const sink = {
        addRows: (block: Float32Array, rows: number, _r0: number, scale: number) => {
          for (let i = 0; i < rows; i++) got.push(block[i] * scale);
        },
      };
      const pass = new ScorePass(s, 0, { V, k: 1, scale: 0.5 }, sink as any, n);
      if (cache) drain(pass.steps(null, n));
      else
        for (const [a, b] of [
          [0, 100],
          [100, 300],
        ])
          drain(s.scoreSteps(pass, { ...X, data: X.data.subarray(a * 4, b * 4), rows: b - a }, { ...Y, data: Y.data.subarray(a * 3, b * 3), rows: b - a }));
      assert.deepEqual(
        got,
        Array.from({ length: n }, (_, i) => X.data[i * 4] * 0.5),
      );
      pass.checkComplete(true);
    } finally {
      s.dispose();
    }
  }
});

test('ofSteps zeroes C in steps; closing it early frees the sums', () => {
  const lin = resolveKernel('linear', 'X');
  const gen = SpecSums.ofSteps(lin, lin, 1, 0, { cols: 800, name: 'X' }, { cols: 800, name: 'Y' });
  let steps = 0,
    r = gen.next();
  for (; !r.done; r = gen.next()) steps++;
  // D = 1600: 2.56M entries, bands of 2²⁰
  assert.equal(steps, 2);
  assert.equal(r.value.D, 1600);
  r.value.dispose();
  const early = SpecSums.ofSteps(lin, lin, 1, 0, { cols: 800, name: 'X' }, { cols: 800, name: 'Y' });
  early.next();
  early.return(undefined as any);
});

// What the library accepts as input and options (src/validate/checks.ts): float64 values
// float32 cannot hold, cells that are not numbers, unknown option names, and the
// last check that no result holds NaN or ±Infinity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compare, finc, align, specDiffLoss, estimateSigma, SpecAccumulator, FincAccumulator, InputError } from '../../../src/index.js';
import { checkFiniteResult, nearestName } from '../../../src/validate/checks.js';
import { COMPARE_OPTIONS, FINC_OPTIONS } from '../../../src/validate/option-names.js';
import { mulberry32 } from '../../shared/rng.mjs';

const DIR = fileURLToPath(new URL('../../fixtures/underflow/', import.meta.url));

function gaussian(rows: number, cols: number, seed: number, scale = 1, offset = 0) {
  const r = mulberry32(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = (Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r()) + offset) * scale;
  return { data, rows, cols };
}

const inputError = (re: RegExp) => (e: unknown) => e instanceof InputError && re.test((e as Error).message);
const UNDERFLOW = /underflows float32 \(0 < \|x\| < 1\.1754944e-38\); rescale the data \(for example multiply by 1e\d+\)/;

test('values ~1e-50 (number[][]) under the cosine kernel: refused as underflow, not "row 1 is all zeros"', async () => {
  const X = Array.from({ length: 30 }, (_, i) => [1e-50 * (i + 1), 2e-50, -3e-50]);
  const Y = gaussian(30, 3, 2);
  for (const method of ['exact', 'covariance'] as const) {
    await assert.rejects(compare(X, Y, { method }), inputError(/^X: value 1e-50 at row 1, column 1 \(1-based\) underflows float32/));
  }
  await assert.rejects(
    finc(
      X,
      X.map((r) => r.map((v) => v * 2)),
    ),
    inputError(/^X: value 1e-50 at row 1, column 1 \(1-based\)/),
  );
  await assert.rejects(compare(X, Y, { kernel: 'linear', method: 'exact' }), inputError(UNDERFLOW));
});

test('a Float64Array scaled by 1e-43: refused on every route and entry point (linear computed on zeros before)', async () => {
  const X = gaussian(60, 5, 3, 1e-43),
    Y = gaussian(60, 4, 4);
  for (const method of ['exact', 'covariance'] as const) {
    await assert.rejects(compare(X, Y, { kernel: 'linear', method }), inputError(/^X: value .* at row 1, column \d \(1-based\) underflows float32/));
    await assert.rejects(
      finc(gaussian(60, 4, 5), { data: X.data.subarray(0, 60 * 4), rows: 60, cols: 4 }, { kernel: 'linear', method }),
      inputError(/^Y: .*underflows float32/),
    );
  }
  await assert.rejects(compare(Y, X, { kernel: 'linear', worker: true }), inputError(/^Y: .*underflows float32/));
  await assert.rejects(estimateSigma(X), inputError(/^data: .*underflows float32/));
  await assert.rejects(align(X, Y, { epochs: 1 }), inputError(/^X: .*underflows float32/));
  const acc = await SpecAccumulator.create({ kernelX: 'linear', kernelY: 'linear', dx: 5, dy: 4 });
  try {
    acc.add(gaussian(10, 5, 6), gaussian(10, 4, 7));
    // rows are numbered over everything added so far
    assert.throws(() => acc.add(X, Y), inputError(/^X: value .* at row 11, column \d \(1-based\) underflows float32/));
  } finally {
    acc.dispose();
  }
  const f = await FincAccumulator.create({ kernel: 'linear', d: 5 });
  try {
    assert.throws(() => f.addY(X), inputError(/^Y: .*row 1, .*underflows float32/));
  } finally {
    f.dispose();
  }
});

test("a harmless tiny value beside large ones is accepted; the result equals NumPy's with that value zeroed", async () => {
  const ref = JSON.parse(readFileSync(DIR + 'harmless.json', 'utf8'));
  assert.equal(ref.X[3][2], 1e-45);
  for (const X of [ref.X as number[][], { data: Float64Array.from((ref.X as number[][]).flat()), rows: 40, cols: 6 }]) {
    const res = await compare(X, ref.Y, { kernel: 'cosine', method: 'exact', topK: 3 });
    assert.ok(Math.abs(res.specDiff.xNotY - ref.xNotY) <= 1e-6 * ref.xNotY, `xNotY ${res.specDiff.xNotY} vs NumPy ${ref.xNotY}`);
    assert.ok(Math.abs(res.specDiff.yNotX - ref.yNotX) <= 1e-6 * ref.yNotX, `yNotX ${res.specDiff.yNotX} vs NumPy ${ref.yNotX}`);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(res.eigenvalues[i] - ref.eigenvalues[i]) <= 1e-6, `λ${i + 1}`);
  }
});

test('a Float64Array beyond float32 range: "out of float32 range" naming matrix, row and column, everywhere', async () => {
  const big = gaussian(50, 4, 8);
  big.data[2 * 4 + 1] = 1e39; // row 3, column 2
  const ok = gaussian(50, 4, 9);
  const msg = (name: string) =>
    inputError(
      new RegExp(`^${name}: value 1e\\+39 at row 3, column 2 \\(1-based\\) is out of float32 range \\(\\|x\\| > 3\\.4028235e38\\); rescale the data$`),
    );
  for (const method of ['exact', 'covariance'] as const) {
    for (const kernel of ['linear', 'cosine'] as const) {
      await assert.rejects(compare(big, ok, { kernel, method }), msg('X'));
      await assert.rejects(finc(ok, big, { kernel, method }), msg('Y'));
    }
  }
  await assert.rejects(compare(ok, big, { worker: true }), msg('Y'));
  await assert.rejects(align(big, ok, { epochs: 1 }), msg('X'));
  await assert.rejects(estimateSigma(big), msg('data'));
  const asRows = Array.from({ length: 50 }, (_, i) => Array.from(big.data.subarray(i * 4, i * 4 + 4)));
  await assert.rejects(compare(asRows, ok), msg('X'));
  const acc = await SpecAccumulator.create({ dx: 4, dy: 4 });
  try {
    assert.throws(() => acc.add(ok, big), msg('Y'));
  } finally {
    acc.dispose();
  }
  const f = await FincAccumulator.create({ d: 4 });
  try {
    assert.throws(() => f.addX(big), msg('X'));
    assert.throws(() => f.addY(asRows), msg('Y'));
  } finally {
    f.dispose();
  }
});

test('float32 overflow inside the computation is an InputError naming what overflowed, never a NaN result', async () => {
  // linear X ~1e20 beside a cosine Y: the covariance route's f32 products overflow
  const X = gaussian(600, 300, 10, 1e20),
    Y = gaussian(600, 6, 11);
  await assert.rejects(
    compare(X, Y, { kernelX: 'linear', kernelY: 'cosine', method: 'covariance', threads: 1 }),
    inputError(/^the covariance holds NaN or Infinity: the computation overflowed float32 .*; rescale the data/),
  );
  await assert.rejects(
    specDiffLoss(gaussian(100, 8, 12, 1e20), gaussian(100, 6, 13), { kernel: 'linear' }),
    inputError(/holds NaN or Infinity: the computation overflowed float32 .*rescale the data/),
  );
  const acc = await SpecAccumulator.create({ kernelX: 'linear', kernelY: 'cosine', dx: 300, dy: 6 });
  try {
    acc.add(X, Y);
    assert.throws(() => acc.solve({ topK: 2 }), inputError(/^the covariance holds NaN or Infinity/));
  } finally {
    acc.dispose();
  }
});

test('the final check names the first non-finite part of a result', () => {
  const mode = (eigenvalue: number, score = 0.5) => ({ eigenvalue, top: [{ index: 0, score }] });
  const good = { eigenvalues: Float64Array.of(2, -1), specDiff: { xNotY: 2, yNotX: 1, norm: 2 }, modes: [mode(2), mode(-1)] };
  checkFiniteResult(good);
  assert.throws(
    () => checkFiniteResult({ ...good, specDiff: { xNotY: Infinity, yNotX: 1, norm: Infinity } }),
    inputError(/SPEC-diff xNotY is Infinity: .*rescale/),
  );
  assert.throws(() => checkFiniteResult({ ...good, eigenvalues: Float64Array.of(2, NaN) }), inputError(/eigenvalue 2 is NaN/));
  assert.throws(() => checkFiniteResult({ ...good, modes: [mode(2), mode(-1, NaN)] }), inputError(/a score of mode 2 is NaN/));
  assert.throws(
    () => checkFiniteResult({ ...good, modes: [{ ...mode(2), scores: Float64Array.of(1, -Infinity) }] }),
    inputError(/score 2 of mode 1 is -Infinity/),
  );
});

test('number[][] cells that are not numbers are refused, naming matrix, row, column and what is there', async () => {
  const Y = [
    [1, 2],
    [3, 4],
    [5, 7],
  ];
  const cases: [unknown, RegExp][] = [
    [null, /is null, not a number/],
    ['', /is a string "", not a number/],
    ['0x10', /is a string "0x10", not a number/],
    ['1', /is a string "1", not a number/],
    [true, /is a boolean \(true\), not a number/],
    [[2], /is an array, not a number/],
    [undefined, /is undefined, not a number/],
    [2n, /is a BigInt, not a number/],
    [{ valueOf: () => 2 }, /is an object, not a number/],
  ];
  for (const [v, re] of cases) {
    const X = [
      [1, 2],
      [3, v as number],
      [5, 6],
    ];
    await assert.rejects(
      compare(X, Y),
      (e: unknown) => e instanceof InputError && /^X: value at row 2, column 2 \(1-based\)/.test((e as Error).message) && re.test((e as Error).message),
      `cell ${String(v)}`,
    );
    await assert.rejects(
      finc(Y, X),
      (e: unknown) => e instanceof InputError && /^Y: value at row 2, column 2/.test((e as Error).message),
      `finc cell ${String(v)}`,
    );
  }
  const holey = [
    [1, 2],
    [3, 4],
    [5, 6],
  ];
  delete (holey[2] as any)[0];
  await assert.rejects(compare(holey, Y), inputError(/^X: value at row 3, column 1 \(1-based\) is missing \(a hole in a sparse array\), not a number/));
  const acc = await SpecAccumulator.create({ dx: 2, dy: 2 });
  try {
    assert.throws(() => acc.add([[1, 2]], [['1' as any, 2]]), inputError(/^Y: value at row 1, column 1 \(1-based\) is a string "1"/));
  } finally {
    acc.dispose();
  }
  // ragged rows and a first row that is not an array
  await assert.rejects(
    compare(
      [[1, 2], [3]],
      [
        [1, 2],
        [3, 4],
      ],
    ),
    inputError(/^X: row 2 \(1-based\) has 1 columns, expected 2/),
  );
  await assert.rejects(compare([5 as any, [1]], [[1], [2]]), inputError(/^X: row 1 \(1-based\) is not a non-empty array of numbers/));
});

test('unknown option names are refused with the nearest valid one, in every entry point', async () => {
  const X = gaussian(30, 3, 20),
    Y = gaussian(30, 3, 21);
  const unknown = (re: RegExp) => inputError(re);
  await assert.rejects(compare(X, Y, { topk: 3 } as any), unknown(/^unknown option topk; did you mean topK\?$/));
  await assert.rejects(compare(X, Y, { Kernel: 'linear' } as any), unknown(/^unknown option Kernel; did you mean kernel\?$/));
  await assert.rejects(compare(X, Y, { samplesPerNode: 3 } as any), unknown(/did you mean samplesPerMode\?/));
  await assert.rejects(compare(X, Y, { zzz: 1 } as any), unknown(/^unknown option zzz; valid: eta, topK, /));
  await assert.rejects(compare(X, Y, { worker: true, topk: 3 } as any), unknown(/^unknown option topk; did you mean topK\?$/));
  await assert.rejects(compare(X, Y, { kernelX: { type: 'gaussian', sigm: 1 } } as any), unknown(/^unknown kernelX option sigm; did you mean sigma\?$/));
  await assert.rejects(
    compare(X, Y, { kernel: { type: 'gaussian', sigma: 1, rffdim: 10 } } as any),
    unknown(/^unknown kernel option rffdim; did you mean rffDim\?$/),
  );
  await assert.rejects(finc(X, Y, { topk: 3 } as any), unknown(/^unknown option topk; did you mean topK\?$/));
  await assert.rejects(finc(X, Y, { kernelY: 'linear' } as any), unknown(/FINC has one kernel for both sets/));
  await assert.rejects(align(X, Y, { epoch: 3 } as any), unknown(/^unknown option epoch; did you mean epochs\?$/));
  await assert.rejects(specDiffLoss(X, Y, { seeds: 1 } as any), unknown(/^unknown option seeds; did you mean seed\?$/));
  await assert.rejects(
    SpecAccumulator.create({ dx: 3, dy: 3, kernel: 'linear' } as any),
    unknown(/^unknown SpecAccumulator option kernel; did you mean kernelX\?$/),
  );
  await assert.rejects(FincAccumulator.create({ d: 3, dx: 3 } as any), unknown(/^unknown FincAccumulator option dx; did you mean d\?$/));
  const acc = await SpecAccumulator.create({ dx: 3, dy: 3 });
  try {
    acc.add(X, Y);
    assert.throws(() => acc.solve({ topk: 2 } as any), unknown(/^unknown solve option topk; did you mean topK\?$/));
    await assert.rejects(acc.solveAsync({ returnscores: true } as any), unknown(/^unknown solveAsync option returnscores; did you mean returnScores\?$/));
  } finally {
    acc.dispose();
  }
  const f = await FincAccumulator.create({ d: 3 });
  try {
    f.addX(X);
    f.addY(Y);
    assert.throws(() => f.solve({ samplesPerMod: 2 } as any), unknown(/^unknown solve option samplesPerMod; did you mean samplesPerMode\?$/));
  } finally {
    f.dispose();
  }
  // every documented option is accepted
  const all = {
    eta: 1,
    topK: 2,
    method: 'auto',
    solver: 'auto',
    significance: undefined,
    seed: 1,
    samplesPerMode: 3,
    returnScores: true,
    threads: 1,
    worker: false,
    onProgress: () => {},
    signal: new AbortController().signal,
    kernel: 'cosine',
    kernelX: 'linear',
    kernelY: 'cosine',
  };
  assert.deepEqual(Object.keys(all).sort(), [...COMPARE_OPTIONS].sort());
  await compare(X, Y, all as any);
  const { kernelX: _x, kernelY: _y, ...fincAll } = all;
  assert.deepEqual(Object.keys(fincAll).sort(), [...FINC_OPTIONS].sort());
  await finc(X, Y, fincAll as any);
});

test('nearestName: a case-insensitive match first, then the closest by edit distance, nothing when far', () => {
  assert.equal(nearestName('TOPK', ['topK', 'top']), 'topK');
  assert.equal(nearestName('smaplesPerMode', ['samplesPerMode', 'seed']), 'samplesPerMode');
  assert.equal(nearestName('eat', ['eta', 'seed']), 'eta');
  assert.equal(nearestName('banana', ['eta', 'seed', 'topK']), undefined);
});

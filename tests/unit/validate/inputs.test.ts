// compare() and finc() check a call in one order (src/validate/inputs.ts): names,
// shapes and cells, values, settings. A call with two faults reports the earlier
// step's, with the same message from either function and from their *Sources forms.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { compare, compareSources, finc, fincSources, InputError, terminateWorkers } from '../../../src/index.js';
import { counters } from '../../../src/runtime/cooperative.js';

after(() => terminateWorkers());

const grid = (rows: number, cols: number) =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => 1 + Math.sin(i * 7 + j * 3) + (i % 3)));
/** A copy of m with one cell replaced (by a string too: what a caller's untyped data may hold). */
const withCell = (m: number[][], r: number, c: number, v: unknown) => m.map((row, i) => (i === r ? row.map((x, j) => (j === c ? v : x)) : row)) as number[][];
const GOOD = grid(6, 3);
const NAN_X = withCell(GOOD, 1, 1, NaN);
const CELL_Y = withCell(grid(6, 3), 4, 0, '7');
const F64_BIG = { data: Float64Array.from(GOOD.flat(), (v, k) => (k === 4 ? 1e39 : v)), rows: 6, cols: 3 };

/** The InputError message a call rejects with. */
async function message(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    return (e as Error).message;
  }
  return assert.fail('expected the call to reject');
}

const both = async (X: unknown, Y: unknown, options: object) => [
  await message(compare(X as any, Y as any, options as any)),
  await message(finc(X as any, Y as any, options as any)),
];

// [what, X, Y, options, the message both functions give]
const CASES: [string, unknown, unknown, object, RegExp][] = [
  ['an unknown option before a NaN', NAN_X, GOOD, { topk: 3 }, /^unknown option topk; did you mean topK\?$/],
  ['an unknown option before a bad cell', GOOD, CELL_Y, { topk: 3 }, /^unknown option topk; did you mean topK\?$/],
  ['an unknown option before a bad setting', GOOD, GOOD, { eta: -1, samplesPerMod: 2 }, /^unknown option samplesPerMod; did you mean samplesPerMode\?$/],
  ['an unknown kernel key before a NaN', NAN_X, GOOD, { kernel: { type: 'gaussian', sigm: 1 } }, /^unknown kernel option sigm; did you mean sigma\?$/],
  [
    'an unknown kernel key before an unknown kernel type',
    GOOD,
    GOOD,
    { kernel: { type: 'rbf', sigm: 1 } },
    /^unknown kernel option sigm; did you mean sigma\?$/,
  ],
  ['a bad cell of Y before a NaN in X', NAN_X, CELL_Y, {}, /^Y: value at row 5, column 1 \(1-based\) is a string "7", not a number$/],
  ['a NaN before a bad eta', NAN_X, GOOD, { eta: -1 }, /^X: non-finite value NaN at row 2, column 2 \(1-based\)$/],
  ['a NaN before an unknown kernel type', NAN_X, GOOD, { kernel: 'rbf' }, /^X: non-finite value NaN at row 2, column 2 \(1-based\)$/],
  ['a NaN before a bad σ', NAN_X, GOOD, { kernel: { type: 'gaussian', sigma: -1 } }, /^X: non-finite value NaN at row 2, column 2 \(1-based\)$/],
  ['a value beyond float32 before a bad topK', F64_BIG, GOOD, { topK: 0 }, /^X: value 1e\+39 at row 2, column 2 \(1-based\) is out of float32 range/],
  ['eta before the kernel', GOOD, GOOD, { eta: -1, kernel: 'rbf' }, /^eta must be a finite number ≥ 0, got -1$/],
  ['method before the kernel', GOOD, GOOD, { method: 'fast', kernel: { type: 'gaussian', sigma: -1 } }, /^method must be auto, exact or covariance, got fast$/],
  ['topK, then samplesPerMode, then seed', GOOD, GOOD, { seed: -1, samplesPerMode: 0, topK: 1.5 }, /^topK must be an integer ≥ 1, got 1\.5$/],
  ['a bad kernel type after the other settings', GOOD, GOOD, { kernel: 'rbf' }, /^kernel must be one of cosine, linear, gaussian, got "rbf"$/],
  // `worker` decides where the values are checked, so it is read before them
  ['worker before a NaN', NAN_X, GOOD, { worker: 'yes' }, /^worker must be true or false, got yes$/],
];

for (const [what, X, Y, options, re] of CASES) {
  test(`compare and finc alike: ${what}`, async () => {
    const [c, f] = await both(X, Y, options);
    assert.match(c, re, 'compare');
    assert.equal(f, c, "finc gives compare's message");
  });
}

test('the pair of shapes comes before values and settings: rows for compare, columns for finc', async () => {
  assert.match(await message(compare(NAN_X, grid(5, 3), { eta: -1 })), /^row counts differ: X has 6 rows, Y has 5;/);
  assert.match(await message(finc(NAN_X, grid(5, 4), { eta: -1 })), /^dimensions differ: X has 3 columns, Y has 4;/);
  assert.match(await message(finc(NAN_X, grid(1, 3), { eta: -1 })), /^Y: has 1 row; FINC needs at least 2 samples per set$/);
  // ... but after the names
  assert.match(await message(compare(NAN_X, grid(5, 3), { topk: 1 } as any)), /^unknown option topk/);
  assert.match(await message(finc(NAN_X, grid(5, 4), { topk: 1 } as any)), /^unknown option topk/);
});

test('finc: kernelX/kernelY are refused with the names, before shapes and values', async () => {
  assert.equal(await message(finc(NAN_X, CELL_Y, { kernelX: 'cosine' } as any)), 'FINC has one kernel for both sets: use `kernel`, not kernelX/kernelY');
  assert.equal(
    await message(fincSources(source(NAN_X, 'a.npy'), source(grid(5, 4), 'b.npy'), { kernelY: 'cosine' } as any)),
    'FINC has one kernel for both sets: use `kernel`, not kernelX/kernelY',
  );
  // compare names each kernel option as it was passed
  assert.match(await message(compare(GOOD, GOOD, { kernel: 'cosine', kernelY: 'rbf' } as any)), /^kernelY must be one of/);
});

/** A row source over a number[][] (values checked only as rows are read). */
function source(m: number[][], name: string) {
  const data = Float32Array.from(m.flat());
  const cols = m[0].length;
  return { rows: m.length, cols, name, read: (s: number, c: number) => data.subarray(s * cols, (s + c) * cols) };
}

test('row sources: names, then shapes, then settings (their values are checked as they are read)', async () => {
  const nan = () => source(NAN_X, 'x.npy');
  for (const [run, other] of [
    [compareSources, grid(5, 3)],
    [fincSources, grid(5, 4)],
  ] as const) {
    const name = run.name;
    assert.match(await message(run(nan(), source(other, 'y.npy'), { topk: 1 } as any)), /^unknown option topk; did you mean topK\?$/, name);
    assert.match(
      await message(run(nan(), source(other, 'y.npy'), { eta: -1 })),
      run === compareSources ? /^row counts differ: x\.npy has 6 rows/ : /^dimensions differ: x\.npy has 3 columns/,
      name,
    );
    assert.match(await message(run(nan(), source(GOOD, 'y.npy'), { eta: -1 })), /^eta must be/, name);
    assert.match(await message(run(nan(), source(GOOD, 'y.npy'), {})), /^x\.npy: non-finite value NaN at row 2, column 2 \(1-based\)$/, name);
  }
});

test('values are checked in steps that yield, for compare and finc alike, naming the first bad value', async () => {
  // four steps of 2^19 values; the NaN in the last row: the three steps before it each yield once
  const rows = 4096,
    cols = 512;
  const X = { data: new Float32Array(rows * cols).fill(1), rows, cols };
  X.data[(rows - 1) * cols + 7] = NaN;
  const Y = { data: new Float32Array(rows * cols).fill(2), rows, cols };
  const real = performance.now.bind(performance);
  let fake = real();
  for (const run of [compare, finc]) {
    const before = counters.yields;
    performance.now = () => (fake += 30); // every tick due
    let msg: string;
    try {
      msg = await message(run(X, Y, { eta: -1 }));
    } finally {
      performance.now = real;
    }
    assert.equal(msg, `X: non-finite value NaN at row ${rows}, column 8 (1-based)`, run.name);
    assert.equal(counters.yields - before, 3, `${run.name}: yields while checking`);
  }
});

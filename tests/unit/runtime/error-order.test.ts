// A bad row found by the workers is reported as one thread reports it: the
// lowest-numbered bad row of the input, whichever worker answered first. The
// rows are placed against the race: the last row of worker 0's share and the
// first of worker 1's, so worker 1 meets its bad row after one message while
// worker 0 meets its own only after four.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { compare, compareSources, finc, fincSources, InputError, terminateWorkers } from '../../../src/index.js';
import { splitRows } from '../../../src/runtime/plan.js';

after(() => terminateWorkers());

const N = 16384,
  D = 8;
/** Deterministic rows with no zero row and no non-finite value. */
function rows(n: number, seed: number) {
  const data = new Float32Array(n * D);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = (s / 2 ** 32) * 2 - 1 + 1e-3;
  }
  return { data, rows: n, cols: D };
}
const source = (m: { data: Float32Array; rows: number; cols: number }, name: string) => ({
  rows: m.rows,
  cols: m.cols,
  name,
  read: (s: number, c: number) => m.data.subarray(s * m.cols, (s + c) * m.cols),
});
const zeroRows = (m: ReturnType<typeof rows>, ...rs: number[]) => {
  const c = { ...m, data: m.data.slice() };
  for (const r of rs) c.data.fill(0, r * D, (r + 1) * D);
  return c;
};
const nanAt = (m: ReturnType<typeof rows>, ...cells: [number, number][]) => {
  const c = { ...m, data: m.data.slice() };
  for (const [r, col] of cells) c.data[r * D + col] = NaN;
  return c;
};

/** The InputError message a run rejects with. */
async function message(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    return (e as Error).message;
  }
  assert.fail('expected the run to reject');
}

const X = rows(N, 1),
  Y = rows(N, 2);
const [[, split]] = splitRows(N, 2); // worker 1's first row (0-based)
const spec = (threads: number) => ({ kernelX: 'cosine', kernelY: 'linear', method: 'covariance', topK: 2, threads }) as any;
const fincOpts = (threads: number) => ({ kernel: 'cosine', method: 'covariance', topK: 2, threads }) as any;

test('the split is where the test expects it: four messages of worker 0 before its last row', () => {
  assert.equal(split, 8192);
});

test('compare, zero row under cosine: threads 2 names the first zero row, as threads 1 does', async () => {
  for (const bad of [
    [split - 1, split],
    [0, 10240],
  ]) {
    const Xb = zeroRows(X, ...bad);
    const one = await message(compare(Xb, Y, spec(1)));
    assert.match(one, new RegExp(`^X: row ${bad[0] + 1} \\(1-based\\) is all zeros`));
    assert.equal(await message(compare(Xb, Y, spec(2))), one, `zero rows ${bad}`);
    assert.equal(await message(compare(Xb, Y, spec(3))), one, `zero rows ${bad}, threads 3`);
  }
});

test('compare, NaN (rows read from a source, not checked up front): threads 2 names the first', async () => {
  const Yb = nanAt(Y, [split - 1, 5], [split, 2]);
  const one = await message(compareSources(source(X, 'x.npy'), source(Yb, 'y.npy'), spec(1)));
  assert.match(one, new RegExp(`^y\\.npy: non-finite value NaN at row ${split}, column 6 \\(1-based\\)$`));
  assert.equal(await message(compareSources(source(X, 'x.npy'), source(Yb, 'y.npy'), spec(2))), one);
});

test('finc, zero row and NaN: threads 2 names the first bad row of X, then of Y, as threads 1 does', async () => {
  const Xb = zeroRows(X, split - 1, split);
  const one = await message(finc(Xb, Y, fincOpts(1)));
  assert.match(one, new RegExp(`^X: row ${split} \\(1-based\\) is all zeros`));
  assert.equal(await message(finc(Xb, Y, fincOpts(2))), one);
  // one thread reads all of X before Y: X's bad row wins over an earlier-numbered one in Y
  const Xlate = zeroRows(X, N - 1),
    Yearly = zeroRows(Y, 0);
  const two = await message(finc(Xlate, Yearly, fincOpts(1)));
  assert.match(two, new RegExp(`^X: row ${N} \\(1-based\\)`));
  assert.equal(await message(finc(Xlate, Yearly, fincOpts(2))), two);
  const Yb = nanAt(Y, [split - 1, 0], [split, 7]);
  const three = await message(fincSources(source(X, 'a.csv'), source(Yb, 'b.csv'), fincOpts(1)));
  assert.match(three, new RegExp(`^b\\.csv: non-finite value NaN at row ${split}, column 1 \\(1-based\\)$`));
  assert.equal(await message(fincSources(source(X, 'a.csv'), source(Yb, 'b.csv'), fincOpts(2))), three);
});

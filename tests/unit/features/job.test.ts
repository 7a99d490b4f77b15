// The job record compare() and finc() settle before any route: option defaults, the
// shape checks of each task, and σ = 'auto' estimated per side (compare) or over both
// sets pooled (finc), as its own cooperative 'sigma' stage — after every option is checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { specJob, fincJob } from '../../../src/features/job.js';
import { sigmaAuto } from '../../../src/features/kernel.js';
import { Cooperative } from '../../../src/runtime/cooperative.js';
import { matrixSource, type RowSource } from '../../../src/validate/source.js';
import { InputError } from '../../../src/errors.js';
import type { ProgressEvent } from '../../../src/types/index.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

/** A source that counts the rows read from it. */
function source(rows: number, cols: number, seed: number, name: string): RowSource & { reads: number } {
  const s = matrixSource({ data: randomF32(rows * cols, seed), rows, cols }, name);
  const out = {
    ...s,
    reads: 0,
    read: (start: number, count: number) => {
      out.reads += count;
      return s.read(start, count);
    },
  };
  return out;
}

async function inputError(p: Promise<unknown>, message: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InputError, `an InputError, got ${String(e)}`);
    if (typeof message === 'string') assert.equal((e as Error).message, message);
    else assert.match((e as Error).message, message);
    return true;
  });
}

test('specJob: the defaults of every setting, and the options as given', async () => {
  const sx = source(6, 3, 1, 'X'),
    sy = source(6, 2, 2, 'Y');
  const j = await specJob(sx, sy, undefined, true, new Cooperative());
  assert.deepEqual(
    { ...j, sx: undefined, sy: undefined },
    {
      eta: 1,
      topK: 10,
      samplesPerMode: 20,
      seed: 0,
      method: 'auto',
      solver: 'auto',
      threads: undefined,
      returnScores: false,
      inMemory: true,
      sx: undefined,
      sy: undefined,
      n: 6,
      kx: { type: 'cosine', sigma: 0, rffDim: 0 },
      ky: { type: 'cosine', sigma: 0, rffDim: 0 },
      sigmaEstimated: false,
    },
  );
  assert.equal(j.sx, sx);
  const o = await specJob(
    sx,
    sy,
    {
      eta: 0.5,
      topK: 3,
      samplesPerMode: 2,
      seed: 7,
      method: 'covariance',
      solver: 'matrix-free',
      threads: 2,
      returnScores: true,
      kernel: 'linear',
      kernelY: { type: 'gaussian', sigma: 2, rffDim: 50 },
    },
    false,
    new Cooperative(),
  );
  assert.deepEqual(
    [o.eta, o.topK, o.samplesPerMode, o.seed, o.method, o.solver, o.threads, o.returnScores, o.inMemory],
    [0.5, 3, 2, 7, 'covariance', 'matrix-free', 2, true, false],
  );
  // kernelX falls back to kernel; kernelY overrides it
  assert.deepEqual(o.kx, { type: 'linear', sigma: 0, rffDim: 0 });
  assert.deepEqual(o.ky, { type: 'gaussian', sigma: 2, rffDim: 50 });
  // with numeric σ nothing is read
  assert.equal(sx.reads + sy.reads, 0);
});

test("specJob: σ = auto of each side from its own rows, as the 'sigma' stage", async () => {
  const sx = source(40, 3, 3, 'X'),
    sy = source(40, 5, 4, 'Y');
  const events: ProgressEvent[] = [];
  const j = await specJob(sx, sy, { kernel: 'gaussian', seed: 5 }, true, new Cooperative(undefined, (e) => events.push(e)));
  assert.equal(j.kx.sigma, sigmaAuto([sx], 5, 'X'));
  assert.equal(j.ky.sigma, sigmaAuto([sy], 5, 'Y'));
  assert.equal(j.sigmaEstimated, true);
  assert.notEqual(j.kx.sigma, j.ky.sigma);
  assert.equal(j.kx.rffDim, 1000);
  assert.ok(events.length >= 2 && events.every((e) => e.stage === 'sigma' && e.total === 39), JSON.stringify(events));
  // only the side left at 'auto' is estimated
  const events2: ProgressEvent[] = [];
  const sx2 = source(40, 3, 3, 'X'),
    sy2 = source(40, 5, 4, 'Y');
  const k = await specJob(sx2, sy2, { kernelX: { type: 'gaussian', sigma: 3 }, kernelY: 'gaussian' }, true, new Cooperative(undefined, (e) => events2.push(e)));
  assert.equal(k.kx.sigma, 3);
  assert.equal(k.ky.sigma, sigmaAuto([sy2], 0, 'Y'));
  assert.equal(sx2.reads, 0);
  assert.ok(events2.length >= 1);
});

test('specJob checks both kernel options before estimating either σ', async () => {
  const sx = source(40, 3, 5, 'X'),
    sy = source(40, 3, 6, 'Y');
  const events: ProgressEvent[] = [];
  await inputError(
    specJob(sx, sy, { kernelX: 'gaussian', kernelY: { type: 'gaussian', sigma: -1 } }, true, new Cooperative(undefined, (e) => events.push(e))),
    "sigma of kernelY must be a number > 0 or 'auto', got -1",
  );
  assert.equal(sx.reads, 0);
  assert.equal(events.length, 0);
});

test('specJob refusals: row counts, no rows, bad options', async () => {
  const c = new Cooperative();
  await inputError(
    specJob(source(5, 2, 1, 'x.npy'), source(4, 2, 2, 'y.npy'), {}, false, c),
    'row counts differ: x.npy has 5 rows, y.npy has 4; both must describe the same samples',
  );
  await inputError(specJob(source(0, 2, 1, 'x.npy'), source(0, 2, 2, 'y.npy'), {}, false, c), 'x.npy: has no rows');
  await inputError(specJob(source(3, 2, 1, 'X'), source(3, 2, 2, 'Y'), { topK: 0 }, true, c), 'topK must be an integer ≥ 1, got 0');
  await inputError(specJob(source(3, 2, 1, 'X'), source(3, 2, 2, 'Y'), { samplesPerMode: 2.5 }, true, c), 'samplesPerMode must be an integer ≥ 1, got 2.5');
  await inputError(specJob(source(3, 2, 1, 'X'), source(3, 2, 2, 'Y'), 'fast' as any, true, c), 'options must be an object');
  // σ = auto of duplicated rows is refused naming the side's data
  const dup = matrixSource({ data: new Float32Array(8).fill(1), rows: 4, cols: 2 }, 'x.npy');
  await inputError(
    specJob(dup, source(4, 2, 3, 'Y'), { kernel: 'gaussian' }, false, c),
    'x.npy: sigma = auto is 0 for x.npy: the median pairwise distance of the sampled rows is 0 (at least half of the pairs are duplicates); pass an explicit sigma',
  );
});

test('fincJob: defaults, one kernel, σ = auto over both sets pooled', async () => {
  const sx = source(30, 4, 7, 'X'),
    sy = source(20, 4, 8, 'Y');
  const j = await fincJob(sx, sy, undefined, true, new Cooperative());
  assert.deepEqual([j.eta, j.topK, j.samplesPerMode, j.seed, j.method, j.threads, j.returnScores, j.inMemory], [1, 10, 20, 0, 'auto', undefined, false, true]);
  assert.deepEqual(j.kernel, { type: 'cosine', sigma: 0, rffDim: 0 });
  const events: ProgressEvent[] = [];
  const g = await fincJob(sx, sy, { kernel: { type: 'gaussian', rffDim: 64 }, seed: 3 }, false, new Cooperative(undefined, (e) => events.push(e)));
  const pooled = sigmaAuto([sx, sy], 3, 'X and Y');
  assert.deepEqual(g.kernel, { type: 'gaussian', sigma: pooled, rffDim: 64 });
  assert.notEqual(pooled, sigmaAuto([sx], 3, 'X'));
  assert.ok(events.length >= 1 && events.every((e) => e.stage === 'sigma' && e.total === 49));
});

test('fincJob refusals: too few rows, different dimensions, per-side kernels', async () => {
  const c = new Cooperative();
  await inputError(fincJob(source(1, 3, 1, 'a.npy'), source(5, 3, 2, 'b.npy'), {}, false, c), 'a.npy: has 1 row; FINC needs at least 2 samples per set');
  await inputError(fincJob(source(5, 3, 1, 'a.npy'), source(0, 3, 2, 'b.npy'), {}, false, c), 'b.npy: has 0 rows; FINC needs at least 2 samples per set');
  await inputError(
    fincJob(source(5, 3, 1, 'a.npy'), source(5, 4, 2, 'b.npy'), {}, false, c),
    'dimensions differ: a.npy has 3 columns, b.npy has 4; FINC compares two sets under the same embedding',
  );
  await inputError(
    fincJob(source(5, 3, 1, 'X'), source(5, 3, 2, 'Y'), { kernelX: 'linear' } as any, true, c),
    'FINC has one kernel for both sets: use `kernel`, not kernelX/kernelY',
  );
  await inputError(
    fincJob(source(5, 3, 1, 'X'), source(5, 3, 2, 'Y'), { kernel: 'rbf' as any }, true, c),
    'kernel must be one of cosine, linear, gaussian, got "rbf"',
  );
  const dup = (name: string) => matrixSource({ data: new Float32Array(6).fill(2), rows: 3, cols: 2 }, name);
  await inputError(fincJob(dup('a.npy'), dup('b.npy'), { kernel: 'gaussian' }, false, c), /^a\.npy and b\.npy: sigma = auto is 0 for a\.npy and b\.npy/);
});

// The matrix-free solve on workers (src/runtime/matfree-driver.ts), below the
// route: one planned thread runs nowhere (null); on two workers the eigenpairs
// and the scale bound are the in-process Gram operator's to rounding; a bad
// value in a worker's rows is the InputError one thread reports, and the
// workers are not left in use.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, terminateWorkers, InputError } from '../../../src/index.js';
import { matrixFreeOnWorkers } from '../../../src/runtime/matfree-driver.js';
import { Cooperative, drain } from '../../../src/runtime/cooperative.js';
import { extremeEigsSteps } from '../../../src/solve/eigen.js';
import { FeatureMap } from '../../../src/features/feature-map.js';
import { Scope } from '../../../src/wasm/memory.js';
import { gramScale, gramScratchLength } from '../../../src/wasm/lanczos.js';
import { pool } from '../../../src/runtime/pool.js';
import { covarianceRoute } from '../../../src/methods/routes/covariance.js';
import { randomF32 } from '../../shared/rng.mjs';
import { specJob } from '../methods/routes/jobs.js';

await init();
after(() => terminateWorkers());

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });
const eig = { seed: 0, signSplit: false, tol: 1e-10 };

test('one planned thread: null, nothing started', async () => {
  const timings: Record<string, number> = {};
  const job = specJob(mat(2100, 6, 1), mat(2100, 5, 2), { threads: 1 });
  assert.equal(await matrixFreeOnWorkers(job, 3, eig, new Cooperative(), timings), null);
  assert.deepEqual(timings, {});
});

test('two workers: the in-process Gram operator’s eigenpairs and scale, to rounding', async () => {
  const n = 2100;
  const job = specJob(mat(n, 8, 3), mat(n, 6, 4), { threads: 2, eta: 0.8, kx: { type: 'gaussian', sigma: 2, rffDim: 12 }, seed: 9 });
  const timings: Record<string, number> = {};
  const got = (await matrixFreeOnWorkers(job, 4, { ...eig, seed: 9 }, new Cooperative(), timings))!;
  assert.equal(got.threads, 2);
  assert.deepEqual(Object.keys(timings), ['workers', 'features', 'solve']);
  // the same operator in process: features of all rows, kind 'gram'
  const sc = new Scope();
  const maps = [new FeatureMap(job.kx, 8, 9, 'X'), new FeatureMap(job.ky, 6, 9, 'Y')];
  try {
    const blocks = maps.map((m, i) => {
      const src = i === 0 ? job.sx : job.sy;
      const x = sc.f32(n * src.cols).set(src.read(0, n)),
        A = sc.f32(n * m.D);
      m.apply(x, n, A, 0, src.name);
      return { A, rows: n, cols: m.D, weight: i === 0 ? 1 / n : -0.8 / n };
    });
    const ref = drain(extremeEigsSteps({ kind: 'gram', side: 'n', n, blocks, scratch: sc.f64(gramScratchLength(blocks)) }, 4, { ...eig, seed: 9 }));
    const scale = gramScale(blocks);
    assert.ok(Math.abs(got.scale - scale) <= 1e-14 * scale, `scale ${got.scale} vs ${scale}`);
    const norm = Math.max(...Array.from(ref.values, Math.abs));
    for (let i = 0; i < ref.values.length; i++) {
      assert.ok(Math.abs(got.res.values[i] - ref.values[i]) <= 1e-12 * norm, `λ${i}: ${got.res.values[i]} vs ${ref.values[i]}`);
      const u = got.res.vectors[i],
        v = ref.vectors[i];
      let d = 0;
      for (let r = 0; r < n; r++) d += u[r] * v[r];
      assert.ok(Math.abs(Math.abs(d) - 1) <= 1e-9, `vector ${i}: |cos| ${Math.abs(d)}`);
    }
  } finally {
    sc.free();
    for (const m of maps) m.free();
  }
});

test("a non-finite value in the second worker's rows: the InputError one thread reports, and no worker left in use", async () => {
  const X = mat(2100, 6, 5),
    Y = mat(2100, 5, 6);
  Y.data[1500 * 5 + 2] = Number.NaN;
  const fail = async (threads: number) => {
    try {
      await covarianceRoute(specJob(X, Y, { threads, solver: 'matrix-free', topK: 3 }), new Cooperative(), {});
    } catch (e) {
      assert.ok(e instanceof InputError, String(e));
      return (e as Error).message;
    }
    assert.fail('no error');
  };
  const one = await fail(1);
  assert.match(one, /^Y: .*row 1501/);
  assert.equal(await fail(2), one);
  assert.equal((pool as unknown as { busy: Set<unknown> }).busy.size, 0);
});

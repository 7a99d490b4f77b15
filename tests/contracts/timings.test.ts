// `timings` accounts for the run (a structural test, never a speed assertion): on
// an n = 2000 Gaussian run every in-process route's stages are disjoint, sum to
// at most `total` and cover ≥ 90% of it; the worker path reports the main
// thread's reading and the workers' features and SYRK.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { compare, finc, terminateWorkers } from '../../dist/index.js';

after(() => terminateWorkers());

/** Seeded rows around a few centres (a deterministic LCG; the values do not matter here). */
function rows(n: number, d: number, seed: number) {
  const data = new Float32Array(n * d);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      data[i * d + j] = s / 2 ** 32 - 0.5 + (i % 5 === j % 5 ? 1 : 0);
    }
  }
  return { data, rows: n, cols: d };
}

const X = rows(2000, 64, 1),
  Y = rows(2000, 48, 2);
const STAGES = ['read', 'sigma', 'workers', 'features', 'gram', 'accumulate', 'solve', 'scores', 'rffError', 'metrics', 'significance'];

function checkCovers(t: Record<string, number>, expected: string[], label: string) {
  for (const k of Object.keys(t)) assert.ok(k === 'total' || STAGES.includes(k), `${label}: unknown stage ${k}`);
  for (const k of expected) assert.ok(t[k] >= 0, `${label}: ${k} missing (${JSON.stringify(t)})`);
  const sum = STAGES.reduce((a, k) => a + (t[k] ?? 0), 0);
  assert.ok(sum <= t.total * (1 + 1e-9), `${label}: stages ${sum} > total ${t.total}`);
  assert.ok(sum >= 0.9 * t.total, `${label}: stages ${sum} cover < 90% of total ${t.total} (${JSON.stringify(t)})`);
}

test('exact route: read, sigma, features, gram, solve, scores cover the run', async () => {
  const r = await compare(X, Y, { kernel: 'gaussian', threads: 1 });
  assert.equal(r.method, 'exact');
  checkCovers(r.timings as any, ['read', 'sigma', 'features', 'gram', 'solve', 'scores'], 'exact');
});

test('covariance route in process: the SYRK alone is accumulate', async () => {
  const r = await compare(X, Y, { kernel: { type: 'gaussian', rffDim: 200 }, method: 'covariance', threads: 1 });
  assert.equal(r.threads, undefined);
  checkCovers(r.timings as any, ['read', 'sigma', 'features', 'accumulate', 'solve', 'scores', 'rffError'], 'covariance');
});

test('covariance route, n ≤ D (the feature Gram)', async () => {
  const r = await compare(X, Y, { kernel: 'gaussian', method: 'covariance', threads: 1 });
  checkCovers(r.timings as any, ['read', 'sigma', 'features', 'gram', 'solve', 'scores', 'rffError'], 'feature Gram');
});

test('FINC covariance route in process', async () => {
  const r = await finc(X, rows(1500, 64, 3), { kernel: { type: 'gaussian', rffDim: 200 }, method: 'covariance', threads: 1 });
  checkCovers(r.timings as any, ['read', 'sigma', 'features', 'accumulate', 'solve', 'scores', 'rffError'], 'finc');
});

test("covariance route on workers: main-thread read, workers' features and SYRK", async () => {
  const r = await compare(X, Y, { kernel: { type: 'gaussian', rffDim: 200 }, method: 'covariance', threads: 2 });
  assert.equal(r.threads, 2);
  const t = r.timings as unknown as Record<string, number>;
  for (const k of ['read', 'sigma', 'workers', 'features', 'accumulate', 'solve', 'scores', 'rffError']) {
    assert.ok(t[k] >= 0 && t[k] <= t.total, `${k} = ${t[k]} (total ${t.total})`);
  }
  // read overlaps the workers' computing; the other stages are disjoint
  const rest = ['sigma', 'workers', 'features', 'accumulate', 'solve', 'scores', 'rffError'].reduce((a, k) => a + t[k], 0);
  assert.ok(rest <= t.total * (1 + 1e-9), `stages ${rest} > total ${t.total}`);
});

// Lanczos on an external operator (src/solve/lanczos.ts, kind 'external'): the
// caller applies the operator asynchronously, one step per application, and the
// solve is otherwise the one the other kinds run. Applied by the same wasm
// kernel as the 'dense' kind it must give the dense kind's result bit for bit;
// applied by a JS matrix-vector product, the same to rounding; both agree with
// numpy.linalg.eigh (tests/fixtures/eigen/dense.json). It runs only under
// drive() (extremeEigs refuses it), refuses explicit residuals and a result of
// the wrong length, and frees its buffers when stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import { extremeEigs, extremeEigsSteps, type EigOperator, type ExtremeEigResult } from '../../../src/solve/eigen.js';
import { Cooperative, drive } from '../../../src/runtime/cooperative.js';
import { dsymvUpper } from '../../../src/wasm/symv.js';
import { lzFrob2Upper } from '../../../src/wasm/lanczos.js';
import { randomSymmetric as randSym, f64FromBase64 as f64 } from '../../shared/rng.mjs';

await init();

const cases = JSON.parse(readFileSync(new URL('../../fixtures/eigen/dense.json', import.meta.url), 'utf8')).cases as any[];
const matrixOf = (c: any) => (c.A ? f64(c.A) : randSym(c.n, c.seed));

/** An external operator applying A after a macrotask (as a worker's reply arrives), counting its applications. */
function external(a: Float64Array, n: number, scale: number, by: 'wasm' | 'js') {
  const op = {
    kind: 'external' as const,
    n,
    scale,
    calls: 0,
    async apply(x: Float64Array): Promise<Float64Array> {
      op.calls++;
      await new Promise((r) => setTimeout(r, 0));
      if (by === 'js') {
        const y = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
          y[i] = s;
        }
        return y;
      }
      const A = memory.f64(n * n).set(a),
        X = memory.f64(n).set(x),
        Y = memory.f64(n);
      try {
        dsymvUpper(n, A, X, Y);
        return Y.view.slice();
      } finally {
        for (const b of [A, X, Y]) b.free();
      }
    },
  };
  return op;
}

const same = (a: ExtremeEigResult, b: ExtremeEigResult) => {
  assert.deepEqual(a.values, b.values);
  assert.deepEqual(a.vectors, b.vectors);
  assert.deepEqual(a.residuals, b.residuals);
  assert.equal(a.matvecs, b.matvecs);
  assert.equal(a.restarts, b.restarts);
};

for (const name of ['random-151-k10', 'clustered-117-k4']) {
  test(`external operator ${name}: bit for bit the dense kind's Lanczos, and numpy.linalg.eigh`, async () => {
    const c = cases.find((x) => x.name === name);
    const { n, k } = c;
    const a = matrixOf(c);
    const A = memory.f64(n * n).set(a);
    const scale = Math.sqrt(2 * lzFrob2Upper(n, A));
    const live = memory.liveAllocations();
    const ref = extremeEigs({ kind: 'dense', A, n }, k, { solver: 'lanczos' });
    const op = external(a, n, scale, 'wasm');
    const got = await drive(extremeEigsSteps(op, k, { solver: 'lanczos' }), new Cooperative(), 'solve');
    A.free();
    assert.equal(memory.liveAllocations(), live - 1);
    same(got, ref);
    assert.equal(op.calls, got.matvecs, 'one application per Lanczos step');
    const norm = Math.max(...c.all.map(Math.abs));
    const exp = [...c.top, ...c.bottom];
    for (let i = 0; i < 2 * k; i++) assert.ok(Math.abs(got.values[i] - exp[i]) <= 1e-9 * norm, `λ${i}: ${got.values[i]} vs ${exp[i]}`);
    // a JS product differs from the wasm kernel's by rounding only
    const js = await drive(extremeEigsSteps(external(a, n, scale, 'js'), k, { solver: 'lanczos' }), new Cooperative(), 'solve');
    for (let i = 0; i < 2 * k; i++) assert.ok(Math.abs(js.values[i] - ref.values[i]) <= 1e-13 * norm, `λ${i}: ${js.values[i]} vs ${ref.values[i]}`);
  });
}

test('external operator: synchronous extremeEigs, explicit residuals and a wrong-length result are refused', async () => {
  const n = 80,
    a = randSym(n, 3);
  const op = external(a, n, 10, 'js');
  assert.throws(() => extremeEigs(op, 3), /waits for other threads and cannot run synchronously; run it with drive\(\)/);
  assert.throws(() => extremeEigs(op, 3, { explicitResiduals: true }), /explicitResiduals needs an operator applied in process/);
  const short: EigOperator = { kind: 'external', n, scale: 10, apply: async () => new Float64Array(n - 1) };
  await assert.rejects(drive(extremeEigsSteps(short, 3), new Cooperative(), 'solve'), /the external operator gave 79 values, expected 80/);
});

test('external operator: an abort while an application is pending frees every buffer', async () => {
  const n = 90,
    a = randSym(n, 4);
  const live = memory.liveAllocations();
  const ac = new AbortController();
  const op = external(a, n, 10, 'js');
  const apply = op.apply;
  op.apply = (x) => {
    if (op.calls === 7) ac.abort();
    return apply(x);
  };
  await assert.rejects(drive(extremeEigsSteps(op, 4), new Cooperative(ac.signal), 'solve'), { name: 'AbortError' });
  assert.equal(op.calls, 8);
  assert.equal(memory.liveAllocations(), live);
});

// A worker's share of the matrix-free operator (src/runtime/matfree-shard.ts),
// run here on the main thread: one shard over all rows applies exactly the
// in-process Gram operator (bit for bit); shards over row ranges, their t
// partials added in order and demoted to f32, give it to rounding of that sum;
// both match Λx computed in f64 from the rows (linear features: Φ = the rows);
// rows out of order, an incomplete shard and wrong lengths are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { MatfreeShard, type MatfreeSpec } from '../../../src/runtime/matfree-shard.js';
import { resolveKernel } from '../../../src/features/kernel.js';
import { Scope, liveAllocations } from '../../../src/wasm/memory.js';
import { gramScale, gramScratchLength, lzApply, lzBindGram } from '../../../src/wasm/lanczos.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

const n = 300,
  dx = 7,
  dy = 5,
  eta = 0.6;
const X = randomF32(n * dx, 1),
  Y = randomF32(n * dy, 2);
const lin = resolveKernel('linear', 'X');
const spec = (row0: number, rows: number, e = eta): MatfreeSpec => ({ kernelX: lin, kernelY: lin, seed: 0, dx, dy, eta: e, names: ['X', 'Y'], n, row0, rows });

function shard(row0: number, rows: number, e = eta, step = 64): MatfreeShard {
  const s = new MatfreeShard(spec(row0, rows, e));
  for (let r = row0; r < row0 + rows; r += step) {
    const m = Math.min(step, row0 + rows - r);
    s.add(r, m, X.slice(r * dx, (r + m) * dx), e > 0 ? Y.slice(r * dy, (r + m) * dy) : undefined);
  }
  return s;
}

/** Λx over shards of the given row ranges, as matfree-driver.ts combines them. */
function byShards(ranges: [number, number][], x: Float64Array, e = eta): Float64Array {
  const shards = ranges.map(([a, b]) => shard(a, b - a, e));
  try {
    const parts = shards.map((s, i) => s.applyT(x.slice(ranges[i][0], ranges[i][1])));
    const t = new Float64Array(parts[0].length);
    for (const p of parts) for (let c = 0; c < t.length; c++) t[c] += p[c];
    const y = new Float64Array(n);
    shards.forEach((s, i) => y.set(s.applyN(Float32Array.from(t)), ranges[i][0]));
    return y;
  } finally {
    for (const s of shards) s.free();
  }
}

/** The in-process operator (kind 'gram', side 'n') on the same rows, and its scale. */
function inProcess(x: Float64Array, e = eta): { y: Float64Array; scale: number } {
  const sc = new Scope();
  try {
    const blocks = [{ A: sc.f32(n * dx).set(X), rows: n, cols: dx, weight: 1 / n }];
    if (e > 0) blocks.push({ A: sc.f32(n * dy).set(Y), rows: n, cols: dy, weight: -e / n });
    lzBindGram('n', n, blocks, sc.f64(gramScratchLength(blocks)));
    const xv = sc.f64(n).set(x),
      yv = sc.f64(n);
    lzApply(xv, yv);
    return { y: yv.view.slice(), scale: gramScale(blocks) };
  } finally {
    sc.free();
  }
}

/** (1/n)(X Xᵀ − η Y Yᵀ)x in f64 from the f32 rows. */
function reference(x: Float64Array, e = eta): Float64Array {
  const side = (A: Float32Array, d: number, w: number, y: Float64Array) => {
    const t = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) t[c] += A[r * d + c] * x[r];
    for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) y[r] += w * A[r * d + c] * t[c];
  };
  const y = new Float64Array(n);
  side(X, dx, 1 / n, y);
  if (e > 0) side(Y, dy, -e / n, y);
  return y;
}

const x = Float64Array.from(randomF32(n, 3), (v) => v);
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('one shard over every row is the in-process operator bit for bit; its norms give the same scale', () => {
  const live = liveAllocations();
  const ref = inProcess(x);
  assert.deepEqual(byShards([[0, n]], x), ref.y);
  const s = shard(0, n);
  const f = s.norms();
  s.free();
  assert.equal(Math.abs(1 / n) * f[0] + Math.abs(-eta / n) * f[1], ref.scale);
  assert.equal(liveAllocations(), live);
});

for (const e of [eta, 0]) {
  test(`shards of rows [0, 128), [128, 256), [256, 300) (η = ${e}): the operator to rounding, and Λx in f64`, () => {
    const y = byShards(
      [
        [0, 128],
        [128, 256],
        [256, 300],
      ],
      x,
      e,
    );
    const one = inProcess(x, e).y;
    assert.ok(maxDiff(y, one) <= 1e-6 * maxAbs(one), 'within the f32 demotion of one t entry');
    assert.ok(maxDiff(y, reference(x, e)) <= 1e-5 * maxAbs(one), 'the f32 passes are ~1e-7 relative');
  });
}

test('rows out of order, an incomplete shard and wrong lengths are refused', () => {
  const s = new MatfreeShard(spec(100, 50));
  try {
    assert.throws(() => s.add(110, 10, X.slice(0, 10 * dx), Y.slice(0, 10 * dy)), /matrix-free rows from 110, expected 100/);
    assert.throws(() => s.add(100, 10, X.slice(0, 10 * dx)), /no rows of Y/);
    s.add(100, 10, X.slice(0, 10 * dx), Y.slice(0, 10 * dy));
    assert.throws(() => s.applyT(new Float64Array(50)), /has the features of 10 of its 50 rows/);
    s.add(110, 40, X.slice(0, 40 * dx), Y.slice(0, 40 * dy));
    assert.throws(() => s.applyT(new Float64Array(49)), /a vector of 49 rows, holds 50/);
    assert.throws(() => s.applyN(new Float32Array(dx)), /got 7 coefficients, expected 12/);
  } finally {
    s.free();
  }
});

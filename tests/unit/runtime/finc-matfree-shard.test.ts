// A worker's share of FINC's matrix-free solve (src/runtime/finc-matfree-shard.ts),
// run here on the main thread: one shard over every row applies exactly the
// in-process D-side Gram operator (bit for bit); shards over row ranges, their
// partials added in order, give it to rounding; both match (1/nx)XᵀXx − (η/ny)YᵀYx
// in f64 from the rows (linear features: Φ = the rows). The moments are the column
// sums and Σ‖x‖²; the scores' partials merge to one shard's; rows out of order, an
// incomplete shard and wrong lengths are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { FincMatfreeShard, type FincMatfreeSpec } from '../../../src/runtime/finc-matfree-shard.js';
import { resolveKernel } from '../../../src/features/kernel.js';
import { Scope, liveAllocations } from '../../../src/wasm/memory.js';
import { gramScratchLength, lzApply, lzBindGram } from '../../../src/wasm/lanczos.js';
import { TopSamples } from '../../../src/score/modes.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

const nx = 300,
  ny = 220,
  d = 6,
  eta = 0.6;
const X = randomF32(nx * d, 1),
  Y = randomF32(ny * d, 2);
const sets = [X, Y];
const lin = resolveKernel('linear', '');

function shard(rx: [number, number], ry: [number, number], step = 64): FincMatfreeShard {
  const ranges = [rx, ry].map(([a, b]) => ({ row0: a, rows: b - a }));
  const spec: FincMatfreeSpec = { kernel: lin, seed: 0, d, eta, names: ['X', 'Y'], nx, ny, ranges };
  const s = new FincMatfreeShard(spec);
  ranges.forEach(({ row0, rows }, set) => {
    for (let r = row0; r < row0 + rows; r += step) {
      const m = Math.min(step, row0 + rows - r);
      s.add(set, r, m, sets[set].slice(r * d, (r + m) * d));
    }
  });
  return s;
}

const x = Float64Array.from({ length: d }, (_, i) => Math.sin(i + 1));

/** (1/nx)XᵀXx − (η/ny)YᵀYx in f64 from the f32 rows. */
function reference(): Float64Array {
  const y = new Float64Array(d);
  [X, Y].forEach((A, set) => {
    const rows = set === 0 ? nx : ny,
      w = set === 0 ? 1 / nx : -eta / ny;
    for (let i = 0; i < rows; i++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += A[i * d + j] * x[j];
      for (let j = 0; j < d; j++) y[j] += w * dot * A[i * d + j];
    }
  });
  return y;
}

test('one shard over every row is the in-process operator bit for bit; two shards add to it within rounding; both match f64', () => {
  const live = liveAllocations();
  const whole = shard([0, nx], [0, ny]);
  const got = whole.apply(x);
  const sc = new Scope();
  try {
    const A = [sc.f32(nx * d, 'X'), sc.f32(ny * d, 'Y')];
    A[0].view.set(X);
    A[1].view.set(Y);
    const blocks = [
      { A: A[0], rows: nx, cols: d, weight: 1 / nx },
      { A: A[1], rows: ny, cols: d, weight: -eta / ny },
    ];
    const scratch = sc.f64(gramScratchLength(blocks), 's'),
      xv = sc.f64(d, 'x'),
      yv = sc.f64(d, 'y');
    lzBindGram('D', d, blocks, scratch);
    xv.view.set(x);
    lzApply(xv, yv);
    assert.deepEqual(got, yv.view.slice());
  } finally {
    sc.free();
  }
  const parts = [shard([0, 128], [0, 64]), shard([128, nx], [64, ny])];
  const sum = new Float64Array(d);
  for (const p of parts) {
    const y = p.apply(x);
    for (let j = 0; j < d; j++) sum[j] += y[j];
  }
  const ref = reference();
  const norm = Math.max(...ref.map(Math.abs));
  for (let j = 0; j < d; j++) {
    assert.ok(Math.abs(sum[j] - got[j]) <= 1e-14 * norm, `split ${sum[j]} vs ${got[j]}`);
    // f32 products of f32 rows with x demoted to f32
    assert.ok(Math.abs(got[j] - ref[j]) <= 1e-6 * norm, `f64 ${got[j]} vs ${ref[j]}`);
  }
  for (const s of [whole, ...parts]) s.free();
  assert.equal(liveAllocations(), live);
});

test('stats: per set Σ x² and the column sums over the shard rows', () => {
  const s = shard([10, 200], [5, 100]);
  const st = s.stats();
  s.free();
  [
    [X, 10, 200],
    [Y, 5, 100],
  ].forEach(([A, a, b], set) => {
    const M = A as Float32Array;
    let sq = 0;
    const sums = new Float64Array(d);
    for (let i = a as number; i < (b as number); i++)
      for (let j = 0; j < d; j++) {
        sq += M[i * d + j] ** 2;
        sums[j] += M[i * d + j];
      }
    assert.ok(Math.abs(st.norms[set] - sq) <= 1e-12 * sq);
    assert.ok(Math.abs(st.moments[set].trace - sq) <= 1e-12 * sq);
    for (let j = 0; j < d; j++) assert.ok(Math.abs(st.moments[set].sums[j] - sums[j]) <= 1e-12 * Math.abs(sq));
  });
});

test("scores: two shards' partials merge to one shard's top samples, scores and Σ score² over Y", () => {
  const k = 2;
  const V = Float32Array.from({ length: d * k }, (_, i) => Math.cos(i));
  const keep = [
    [true, true],
    [true, false],
  ];
  const whole = shard([0, nx], [0, ny]),
    parts = [shard([0, 128], [0, 64]), shard([128, nx], [64, ny])];
  const one = whole.score(V, k, 5, keep);
  const reps = parts.map((p) => p.score(V, k, 5, keep));
  for (const s of [whole, ...parts]) s.free();
  [nx, ny].forEach((rows, set) => {
    const a = new TopSamples(k, 5, rows, keep[set]),
      b = new TopSamples(k, 5, rows, keep[set]);
    a.absorb(one.tops[set], 0);
    b.absorb(reps[0].tops[set], 0);
    b.absorb(reps[1].tops[set], set === 0 ? 128 : 64);
    assert.deepEqual(b.partial(), a.partial());
  });
  for (let j = 0; j < k; j++) assert.ok(Math.abs(reps[0].sqY[j] + reps[1].sqY[j] - one.sqY[j]) <= 1e-12 * one.sqY[j]);
  // Σ score² over Y from the rows in f64
  let want = 0;
  for (let i = 0; i < ny; i++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += Y[i * d + c] * V[c * k];
    want += s * s;
  }
  assert.ok(Math.abs(one.sqY[0] - want) <= 1e-5 * want, `${one.sqY[0]} vs ${want}`);
});

test('refuses rows out of order, an incomplete shard and a vector of the wrong length', () => {
  const spec: FincMatfreeSpec = {
    kernel: lin,
    seed: 0,
    d,
    eta,
    names: ['X', 'Y'],
    nx,
    ny,
    ranges: [
      { row0: 0, rows: 100 },
      { row0: 0, rows: 50 },
    ],
  };
  const s = new FincMatfreeShard(spec);
  try {
    assert.throws(() => s.add(0, 10, 10, X.slice(10 * d, 20 * d)), /rows of set 0 from 10, expected 0/);
    s.add(0, 0, 100, X.slice(0, 100 * d));
    assert.throws(() => s.apply(x), /the features of 0 of its 50 rows of set 1/);
    s.add(1, 0, 50, Y.slice(0, 50 * d));
    assert.throws(() => s.apply(new Float64Array(d + 1)), /a vector of 7, expected 6/);
  } finally {
    s.free();
  }
});

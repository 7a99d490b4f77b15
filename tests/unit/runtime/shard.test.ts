// src/runtime/shard.ts in process (a worker runs the same code): a shard's sums
// equal those of the main thread's SpecSums / FincSums fed the same rows, two
// shards split at a CHUNK_ROWS boundary add up to one pass, its scoring pass
// (from the cache or from data sent again), and its refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { Shard } from '../../../src/runtime/shard.js';
import type { ShardSpec } from '../../../src/runtime/protocol.js';
import { SpecSums } from '../../../src/sums/spec-sums.js';
import { FincSums } from '../../../src/sums/finc-sums.js';
import { CHUNK_ROWS } from '../../../src/sums/features-pass.js';
import { resolveKernel } from '../../../src/features/kernel.js';
import { drain } from '../../../src/runtime/cooperative.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

const kx = resolveKernel({ type: 'gaussian', sigma: 2, rffDim: 12 }, 'X'),
  ky = resolveKernel('cosine', 'Y');
const spec = (cacheBytes = 0): ShardSpec => ({
  kind: 'spec',
  kernelX: kx,
  kernelY: ky,
  eta: 0.7,
  seed: 5,
  dx: 3,
  dy: 4,
  names: ['x.npy', 'y.npy'],
  cacheBytes,
});
const n = 2 * CHUNK_ROWS + 100,
  X = randomF32(n * 3, 1),
  Y = randomF32(n * 4, 2);
const rows = (a: Float32Array, cols: number, r0: number, r1: number) => a.slice(r0 * cols, r1 * cols);

test('SPEC: a shard fed the rows equals SpecSums fed them; two shards split at CHUNK_ROWS add up to one pass', () => {
  const one = new Shard(spec()),
    a = new Shard(spec()),
    b = new Shard(spec());
  const ref = SpecSums.of(kx, ky, 0.7, 5, { cols: 3, name: 'x.npy' }, { cols: 4, name: 'y.npy' });
  try {
    assert.equal(one.D, 24 + 4);
    one.add(0, 0, n, X, Y);
    drain(ref.addSteps({ data: X, rows: n, cols: 3 }, { data: Y, rows: n, cols: 4 }));
    assert.deepEqual(one.takeSums(), ref.takeSums());
    a.add(0, 0, CHUNK_ROWS, rows(X, 3, 0, CHUNK_ROWS), rows(Y, 4, 0, CHUNK_ROWS));
    b.add(0, CHUNK_ROWS, n - CHUNK_ROWS, rows(X, 3, CHUNK_ROWS, n), rows(Y, 4, CHUNK_ROWS, n));
    const [sa] = a.takeSums(),
      [sb] = b.takeSums(),
      [s1] = one.takeSums();
    let err = 0,
      big = 0;
    for (let i = 0; i < s1.length; i++) {
      err = Math.max(err, Math.abs(sa[i] + sb[i] - s1[i]));
      big = Math.max(big, Math.abs(s1[i]));
    }
    // the same f32 block sums; only the f64 order of the flushes differs
    assert.ok(err <= 1e-13 * big, `${err}`);
    const sec = one.seconds;
    assert.ok(sec.features >= 0 && sec.accumulate >= 0);
  } finally {
    for (const s of [one, a, b]) s.free();
    ref.dispose();
  }
});

test('FINC: sets 0 and 1 go to SX and SY', () => {
  const fspec: ShardSpec = { kind: 'finc', kernel: resolveKernel('linear', ''), eta: 1, seed: 0, d: 3, names: ['a', 'b'], cacheBytes: 0 };
  const s = new Shard(fspec),
    ref = FincSums.of(fspec.kernel, 1, 0, { cols: 3, name: 'a' }, { name: 'b' });
  try {
    s.add(0, 0, 50, X.slice(0, 150));
    s.add(1, 0, 20, X.slice(150, 210));
    drain(ref.addSteps({ data: X.slice(0, 150), rows: 50, cols: 3 }, 'x'));
    drain(ref.addSteps({ data: X.slice(150, 210), rows: 20, cols: 3 }, 'y'));
    assert.deepEqual(s.takeSums(), ref.takeSums());
  } finally {
    s.free();
    ref.dispose();
  }
});

test('scoring: from cached features (no data sent) or from the rows sent again, the same scores; row order and begin enforced', () => {
  const V = new Float32Array(28 * 2);
  V[0 * 2 + 0] = 1; // mode 0: Ψ's column 0
  V[27 * 2 + 1] = 1; // mode 1: Ψ's last column (√η·cosine feature of Y's column 3)
  const results: Float64Array[][] = [];
  for (const cache of [1 << 22, 0]) {
    const s = new Shard(spec(cache));
    try {
      s.add(0, 0, n, X, Y);
      assert.equal(s.cachedAll, cache > 0);
      assert.throws(() => s.score(0, 0, 10), { message: 'spec-embed: worker scoring before scoreBegin' });
      assert.throws(() => s.partial(0), { message: 'spec-embed: worker partial before scoreBegin' });
      s.scoreBegin(0, V, 2, 1, 3, true, 0, n);
      assert.throws(() => s.score(0, 5, 10), { message: 'spec-embed: worker scoring rows from 5, expected 0' });
      if (cache) s.score(0, 0, n);
      else {
        s.score(0, 0, 1000, rows(X, 3, 0, 1000), rows(Y, 4, 0, 1000));
        s.score(0, 1000, n - 1000, rows(X, 3, 1000, n), rows(Y, 4, 1000, n));
      }
      const p = s.partial(0);
      assert.equal(p.keepers.length, 2);
      assert.equal(p.keepers[0].count, n);
      results.push(p.scores!);
    } finally {
      s.free();
    }
  }
  assert.deepEqual(results[0], results[1]);
  // mode 1's scores: √0.7·y₃/‖y‖ in f32 features
  const eta = Math.fround(Math.sqrt(0.7));
  for (const i of [0, 17, n - 1]) {
    const y = Y.subarray(i * 4, i * 4 + 4),
      norm = Math.hypot(...y);
    assert.ok(Math.abs(results[0][1][i] - (eta * y[3]) / norm) < 1e-6);
  }
});

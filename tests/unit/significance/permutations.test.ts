// What the permutation tests share (src/significance/permutations.ts): the seeded
// permutations, the (1 + #{null ≥ observed}) / (1 + N) convention, NumPy's
// default quantiles, the option checks and the batched loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Permutations, permutationTest, permutationsOf, quantile, runPermutations, significanceOf } from '../../../src/significance/permutations.js';
import { Cooperative } from '../../../src/runtime/cooperative.js';

test('seeded permutations: each a permutation of 0..n−1, reproducible from the seed, different across seeds', () => {
  const a = new Permutations(20, 5),
    b = new Permutations(20, 5),
    c = new Permutations(20, 6);
  for (let i = 0; i < 10; i++) {
    const p = a.next().slice();
    assert.deepEqual(
      [...p].sort((x, y) => x - y),
      Array.from({ length: 20 }, (_, k) => k),
    );
    assert.deepEqual(b.next(), p);
    if (i === 0) assert.notDeepEqual(c.next(), p);
  }
});

test('p-value convention and quantiles (numpy.quantile, linear interpolation)', () => {
  const nulls = Float64Array.from([1, 2, 3, 4]);
  // observed 3: nulls 3 and 4 are ≥ it → (1 + 2) / (1 + 4)
  assert.deepEqual(permutationTest(3, nulls), { permutations: 4, pValue: 0.6, nullQuantiles: [2.5, 3.8499999999999996, 3.9699999999999998] });
  assert.equal(permutationTest(10, nulls).pValue, 0.2);
  assert.equal(permutationTest(-1, nulls).pValue, 1);
  assert.equal(quantile(Float64Array.from([7]), 0.99), 7);
  // display maps the quantiles only
  permutationTest(3, nulls, (v) => 10 * v).nullQuantiles.forEach((q, i) => assert.ok(Math.abs(q - [25, 38.5, 39.7][i]) < 1e-12));
});

test('the option checks', () => {
  assert.equal(permutationsOf(undefined), 0);
  assert.equal(permutationsOf(0), 0);
  assert.equal(permutationsOf(100_000), 100_000);
  for (const bad of [-1, 1.5, '3', Number.NaN, Infinity]) assert.throws(() => permutationsOf(bad), /non-negative integer/);
  assert.throws(() => permutationsOf(100_001), /more than 100000/);
  assert.deepEqual(significanceOf(undefined, 7), { permutations: 0, seed: 7 });
  assert.deepEqual(significanceOf({ permutations: 3 }, 7), { permutations: 3, seed: 7 });
  assert.deepEqual(significanceOf({ permutations: 3, seed: 2 }, 7), { permutations: 3, seed: 2 });
  assert.throws(() => significanceOf({ seed: 1.5 }, 0), /significance.seed must be an integer/);
  assert.throws(() => significanceOf([], 0), /must be an object/);
});

test('the loop: the same permutations whatever the batch size, progress per batch, the estimate after the first', async () => {
  const seen = (batch: number) => {
    const out: number[][] = [];
    return {
      out,
      run: async (coop: Cooperative) =>
        runPermutations(
          10,
          6,
          3,
          coop,
          function* (ps) {
            for (const p of ps) out.push([...p]);
            yield;
          },
          batch,
        ),
    };
  };
  const one = seen(1),
    four = seen(4);
  const events: { done: number; estimatedSeconds?: number }[] = [];
  await one.run(new Cooperative());
  await four.run(new Cooperative(undefined, (e) => events.push(e)));
  assert.deepEqual(four.out, one.out);
  // the first event, the first batch's (with the estimate), the last; those between may be throttled
  const done = events.map((e) => e.done);
  assert.deepEqual([done[0], done[1], done.at(-1)], [0, 4, 10]);
  assert.ok(events[1].estimatedSeconds! >= 0);
});

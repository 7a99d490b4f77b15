// The significance option's checks (clear InputErrors for bad counts) and the weak rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { compare } from '../../../src/methods/compare.js';
import { finc } from '../../../src/methods/finc.js';
import { InputError } from '../../../src/errors.js';
import { significancePlan } from '../../../src/significance/options.js';
import { weakness } from '../../../src/significance/weakness.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

test('counts default to 0 and the seed to the task seed', () => {
  assert.deepEqual(significancePlan(undefined, 4), { splits: 0, bootstrap: 0, permutations: 0, seed: 4 });
  assert.deepEqual(significancePlan({ splits: 3, seed: 9 }, 4), { splits: 3, bootstrap: 0, permutations: 0, seed: 9 });
});

test('bad counts and seeds are InputErrors naming the field', () => {
  const bad: [unknown, RegExp][] = [
    [{ splits: -1 }, /^significance\.splits must be 0 \(off\) or a whole number from 2 to 10000, got -1/],
    [{ splits: 1 }, /splits .* got 1 \(a p-value or an interval needs at least 2\)/],
    [{ bootstrap: 2.5 }, /^significance\.bootstrap must be .* got 2\.5/],
    [{ bootstrap: 1e9 }, /^significance\.bootstrap must be .*10000, got 1000000000/],
    [{ splits: '10' }, /^significance\.splits must be .* got "10"/],
    [{ splits: Number.NaN }, /^significance\.splits/],
    [{ seed: -3 }, /^significance\.seed must be a non-negative integer/],
    [5, /^significance must be an object/],
    [{ split: 20 }, /^significance has no option 'split' \(it takes splits, bootstrap, permutations, seed\)/],
  ];
  for (const [o, re] of bad)
    assert.throws(
      () => significancePlan(o as never, 0),
      (e: unknown) => e instanceof InputError && re.test((e as Error).message),
      JSON.stringify(o),
    );
});

test('compare and finc refuse bad counts before any work', async () => {
  const m = { data: randomF32(40, 1), rows: 10, cols: 4 };
  await assert.rejects(compare(m, m, { significance: { splits: 1 } }), /significance\.splits/);
  await assert.rejects(finc(m, m, { significance: { bootstrap: -2 } }), /significance\.bootstrap/);
});

test('weakness: held-out p > 0.05, stability < 0.5 or permutation p > 0.05 make a mode weak, with one reason each', () => {
  const held = (pValue: number) => ({ splits: 10, mean: 0.1, lo: 0, hi: 0.2, pValue });
  const stab = (value: number) => ({ bootstrap: 10, value, eigenvalueLo: 0, eigenvalueHi: 1 });
  assert.deepEqual(weakness({ heldOut: held(0.01), stability: stab(0.9) }).weakReasons, []);
  assert.equal(weakness({ heldOut: held(0.05) }).weak, false);
  const w = weakness({ heldOut: held(0.2), stability: stab(0.3) });
  assert.equal(w.weak, true);
  assert.equal(w.weakReasons.length, 2);
  assert.match(w.weakReasons[0], /held-out replication p = 0\.200 > 0\.05/);
  assert.match(w.weakReasons[1], /stability 0\.30 < 0\.5/);
  const p = weakness({ permutation: { permutations: 99, pValue: 0.3, nullQuantiles: [0, 0, 0] } });
  assert.equal(p.weak, true);
  assert.match(p.weakReasons[0], /permutation p = 0\.300/);
  // a NaN p-value is not evidence of replication
  assert.equal(weakness({ heldOut: held(Number.NaN) }).weak, true);
});

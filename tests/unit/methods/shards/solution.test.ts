// solveParts and readSolution: the solution of merged parts holds the eigenvalues
// one accumulator's solve finds (the same sums to 1e-12, the same solver), the settings,
// the shard list and each shard's global offset; a corrupt solution is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/wasm/loader.js';
import { SpecAccumulator } from '../../../../src/methods/spec-accumulator.js';
import { accumulateShard, mergeParts } from '../../../../src/methods/shards/parts.js';
import { readSolution, shardOffset, solveParts } from '../../../../src/methods/shards/solution.js';
import { COSINE, X, Y, shard } from './fixture.js';

test('the solution of merged parts is one accumulator’s solve; offsets follow the shard names', async () => {
  await init();
  const parts = await Promise.all([0, 1, 2, 3].map(async (s) => ({ bytes: await accumulateShard(`s${s}`, shard(s), COSINE), file: `p${s}` })));
  const bytes = await solveParts(mergeParts(parts), 'm', { topK: 3, samplesPerMode: 4, returnScores: true });
  const sol = readSolution(bytes, 'sol');
  const acc = await SpecAccumulator.create({ kernelX: 'cosine', kernelY: 'cosine', dx: 12, dy: 8 });
  acc.add(X, Y);
  const ref = acc.solve({ topK: 3 });
  acc.dispose();
  // the same sums up to the order of f64 additions (parts.test.ts): eigenvalues to 1e-12
  assert.equal(sol.chosen.length, ref.eigenvalues.length);
  sol.chosen.forEach((c, i) => assert.ok(Math.abs(c.value - ref.eigenvalues[i]) <= 1e-12 * Math.abs(ref.eigenvalues[i]), `λ${i}`));
  assert.ok(Math.abs(sol.specDiff.norm - ref.specDiff.norm) <= 1e-12 * ref.specDiff.norm);
  assert.equal(sol.D, 20);
  assert.equal(sol.vectors[0].V.length, 20 * sol.chosen.length);
  assert.deepEqual([sol.topK, sol.samplesPerMode, sol.returnScores], [3, 4, true]);
  assert.deepEqual(shardOffset(sol, 's2', 'sol'), { offsets: [1024], rows: [512] });
  assert.throws(() => shardOffset(sol, 'nope', 'sol'), /'nope' is not among the 4 shards/);
  const bad = bytes.slice();
  bad[30] ^= 4;
  assert.throws(() => readSolution(bad, 'bad.sol'), /bad\.sol.*checksum/);
  assert.throws(() => readSolution(parts[0].bytes, 'p0'), /p0.*not a spec-embed solution file: bad magic/);
});

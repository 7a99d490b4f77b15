// scoreShard and readScores: a shard's scores file holds its rows' selection
// state at its global offset and, with returnScores, every score; together the
// shards' scores equal the scores of one pass over all rows (u = Ψv/√n).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/wasm/loader.js';
import { SpecAccumulator } from '../../../../src/methods/spec-accumulator.js';
import { accumulateShard, mergeParts } from '../../../../src/methods/shards/parts.js';
import { solveParts } from '../../../../src/methods/shards/solution.js';
import { readScores, scoreShard } from '../../../../src/methods/shards/scores.js';
import { COSINE, X, Y, rowsOf, shard } from './fixture.js';

test('scores parts: global offsets, and every score equal to one pass over all rows', async () => {
  await init();
  const parts = await Promise.all([0, 1, 2, 3].map(async (s) => ({ bytes: await accumulateShard(`s${s}`, shard(s), COSINE), file: `p${s}` })));
  const sol = await solveParts(mergeParts(parts), 'm', { topK: 2, returnScores: true });
  const acc = await SpecAccumulator.create({ kernelX: 'cosine', kernelY: 'cosine', dx: 12, dy: 8 });
  acc.add(X, Y);
  acc.solve({ topK: 2, returnScores: true });
  acc.scores(X, Y);
  const modes = acc.modes();
  acc.dispose();
  for (let s = 0; s < 4; s++) {
    const file = readScores(await scoreShard(sol, 'sol', `s${s}`, shard(s)), `sc${s}`);
    assert.equal(file.name, `s${s}`);
    const [set] = file.sets;
    assert.deepEqual([set.offset, set.rows], [512 * s, 512]);
    // unoriented scores: equal to the one-pass scores up to each mode's sign
    set.partial.scores!.forEach((col, j) => {
      const ref = modes[j].scores!.subarray(512 * s, 512 * (s + 1));
      const sign = Math.sign(col[0]) === Math.sign(ref[0]) ? 1 : -1;
      assert.deepEqual(
        Array.from(col, (v) => sign * v),
        Array.from(ref),
      );
    });
    assert.equal(set.partial.keepers[0].count, 512);
  }
  // other rows than the shard was accumulated with
  await assert.rejects(scoreShard(sol, 'sol', 's1', { x: rowsOf(X, 0, 500, 'x-short'), y: rowsOf(Y, 0, 500, 'y-short') }), /had 512 rows.*got 500/);
});

// sigma-sample, accumulate, merge and solve in process: the σ sample file, a
// shard's part, the merge note for shards not a multiple of 256 rows (D > 256),
// and the refusals made before anything runs (an output that is an input, no --out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accumulateCommand, mergeCommand, sigmaSampleCommand, solveCommand } from '../../../../src/cli/commands/shard-steps.js';
import { UsageError } from '../../../../src/cli/args.js';
import { npyBytes } from '../../../../src/io/npy-write.js';
import { runCommand } from './io.js';
import { X, Y } from '../../methods/shards/fixture.js';

test('sigma-sample, accumulate and merge write their files; merge notes unaligned shards; bad outputs are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-shard-steps-'));
  const p = (f: string) => join(dir, f);
  try {
    // two shards of 1000 and 1048 rows (not multiples of 256)
    const cut = [0, 1000, 2048];
    for (let s = 0; s < 2; s++) {
      writeFileSync(p(`x-${s}.npy`), npyBytes(X.data.slice(cut[s] * 12, cut[s + 1] * 12), [cut[s + 1] - cut[s], 12]));
      writeFileSync(p(`y-${s}.npy`), npyBytes(Y.data.slice(cut[s] * 8, cut[s + 1] * 8), [cut[s + 1] - cut[s], 8]));
    }
    const sx = await runCommand(sigmaSampleCommand, [p('x-0.npy'), p('x-1.npy'), '--out', p('sx.npy'), '--json']);
    assert.equal(sx.code, 0);
    assert.equal(JSON.parse(sx.out).rows, 1000);
    assert.ok(readFileSync(p('sx.npy')).length >= 1000 * 12 * 4);
    const sy = await runCommand(sigmaSampleCommand, [p('y-0.npy'), p('y-1.npy'), '--out', p('sy.npy')]);
    assert.match(sy.out, /^sigma = [0-9.]+ \(median pairwise distance of 1000 sampled rows\)\n$/);
    // Gaussian, rffDim 80 per side: D = 320 > 256, f32 blocks of 256 rows
    const g = ['--kernel', 'gaussian', '--rff-dim', '80', '--sigma-x', p('sx.npy'), '--sigma-y', p('sy.npy')];
    for (let s = 0; s < 2; s++)
      assert.equal((await runCommand(accumulateCommand, [p(`x-${s}.npy`), p(`y-${s}.npy`), '--out', p(`part-${s}.snap`), ...g])).code, 0);
    const m = await runCommand(mergeCommand, [p('part-1.snap'), p('part-0.snap'), '--out', p('all.snap')]);
    assert.equal(m.code, 0);
    assert.match(m.err, /shard 'x-0' \(1000 rows\) not a multiple of 256 rows/);
    assert.equal((await runCommand(solveCommand, [p('all.snap'), '--out', p('sol.snap'), '--top', '2'])).code, 0);
    await assert.rejects(runCommand(mergeCommand, [p('part-0.snap'), p('part-1.snap'), '--out', p('part-0.snap')]), UsageError);
    await assert.rejects(runCommand(solveCommand, [p('all.snap')]), /--out FILE is required/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// What the sharded-run commands share: the task from the arguments, the shard's
// name, and the options every part must agree on (σ a number or a sigma-sample
// file's median distance; auto and a missing σ refused, naming the option).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../../../src/cli/args.js';
import { SHARD_INPUT_OPTIONS, SHARD_KERNEL_OPTIONS, shardName, shardTaskOptions, taskOf } from '../../../src/cli/shard-options.js';
import { npyBytes } from '../../../src/io/npy-write.js';
import { init } from '../../../src/wasm/loader.js';

const args = (argv: string[]) => parseArgs(argv, [...SHARD_INPUT_OPTIONS, ...SHARD_KERNEL_OPTIONS], 'accumulate');

test('the task, the shard name and the shared options from the command line', async () => {
  assert.equal(taskOf(args(['x.npy', 'y.npy'])), 'compare');
  assert.equal(taskOf(args(['--y', 'y.npy'])), 'finc');
  assert.throws(() => taskOf(args(['x.npy'])), /two files/);
  assert.throws(() => taskOf(args(['x.npy', '--x', 'y.npy'])), /--x FILE and\/or --y FILE, not as positionals/);
  assert.equal(shardName(args(['a/part-007.npy', 'b.npy']), ['a/part-007.npy']), 'part-007');
  assert.equal(shardName(args(['--name', 'z', 'a.npy', 'b.npy']), ['a.npy']), 'z');

  assert.deepEqual(await shardTaskOptions(args(['x', 'y', '--eta', '0.5', '--seed', '4']), 'compare'), {
    task: 'compare',
    kernelX: 'cosine',
    kernelY: 'cosine',
    eta: 0.5,
    seed: 4,
  });
  await assert.rejects(shardTaskOptions(args(['x', 'y', '--kernel', 'gaussian', '--sigma', 'auto']), 'compare'), /--sigma auto.*sigma-sample/);
  await assert.rejects(shardTaskOptions(args(['x', 'y', '--kernel-x', 'gaussian']), 'compare'), /--sigma-x \(or --sigma\)/);
  await assert.rejects(shardTaskOptions(args(['--x', 'x', '--kernel-x', 'linear']), 'finc'), /one kernel/);
  assert.deepEqual(await shardTaskOptions(args(['--x', 'x', '--kernel', 'gaussian', '--sigma', '2.5', '--rff-dim', '7']), 'finc'), {
    task: 'finc',
    kernel: { type: 'gaussian', sigma: 2.5, rffDim: 7 },
  });
});

test('--sigma-x FILE: the median pairwise distance of the sample’s rows', async () => {
  await init();
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-shard-options-'));
  try {
    // three rows on a line at 0, 3 and 4: distances 3, 4, 1 → median 3
    writeFileSync(join(dir, 's.npy'), npyBytes(Float32Array.from([0, 0, 3, 0, 4, 0]), [3, 2]));
    const o = await shardTaskOptions(args(['x', 'y', '--kernel-x', 'gaussian', '--sigma-x', join(dir, 's.npy')]), 'compare');
    assert.deepEqual(o.task === 'compare' && o.kernelX, { type: 'gaussian', sigma: 3 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

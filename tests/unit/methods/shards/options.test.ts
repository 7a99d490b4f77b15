// The options every file of a sharded run shares: σ must be numeric (auto would
// differ per shard), equal options hash equally, and a mismatch is spelled out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalOptions, optionsDiff, optionsHash } from '../../../../src/methods/shards/options.js';

test('canonical options: σ = auto refused, the hash follows every field, the difference is named', () => {
  assert.throws(() => canonicalOptions({ task: 'compare', kernel: { type: 'gaussian' } }, [4, 4]), /sigma-sample/);
  const a = canonicalOptions({ task: 'compare', kernel: { type: 'gaussian', sigma: 2, rffDim: 10 } }, [4, 3]);
  assert.deepEqual(a, {
    task: 'compare',
    kernelX: { type: 'gaussian', sigma: 2, rffDim: 10 },
    kernelY: { type: 'gaussian', sigma: 2, rffDim: 10 },
    eta: 1,
    seed: 0,
    dx: 4,
    dy: 3,
  });
  const b = canonicalOptions({ task: 'compare', kernel: { type: 'gaussian', sigma: 2, rffDim: 10 }, seed: 9 }, [4, 3]);
  assert.equal(
    optionsHash(a),
    optionsHash(
      canonicalOptions({ task: 'compare', kernelX: { type: 'gaussian', sigma: 2, rffDim: 10 }, kernelY: { type: 'gaussian', sigma: 2, rffDim: 10 } }, [4, 3]),
    ),
  );
  assert.notEqual(optionsHash(a), optionsHash(b));
  assert.equal(optionsDiff(a, b), 'seed 0 vs 9');
  assert.equal(canonicalOptions({ task: 'finc' }, [5]).task, 'finc');
  assert.throws(() => canonicalOptions({ task: 'align' } as never, [5]), /task must be/);
});

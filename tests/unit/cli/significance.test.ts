// --permutations on the CLI (src/cli/significance.ts): the parsed option and the
// note announcing a long permutation run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANNOUNCE_SECONDS, permutationsOption, withCostNote } from '../../../src/cli/significance.js';
import type { ProgressEvent } from '../../../src/types/index.js';

const args = (v?: string) => ({ help: false, positionals: [], options: new Map<string, string | true>(v === undefined ? [] : [['permutations', v]]) });

test('--permutations N becomes significance.permutations; 0 or absent: none; bad values are usage errors', () => {
  assert.deepEqual(permutationsOption(args('250')), { significance: { permutations: 250 } });
  assert.deepEqual(permutationsOption(args('0')), {});
  assert.deepEqual(permutationsOption(args()), {});
  assert.throws(() => permutationsOption(args('-3')), { name: 'UsageError', message: "--permutations must be an integer from 0 to 100000, got '-3'" });
  assert.throws(() => permutationsOption(args('100001')), /--permutations 100001 is more than 100000/);
});

test('the cost note: printed once the estimate exceeds ANNOUNCE_SECONDS, every event still forwarded', () => {
  const notes: string[] = [],
    seen: ProgressEvent[] = [];
  const on = withCostNote(
    (e) => seen.push(e),
    (m) => notes.push(m),
  );
  on({ stage: 'significance', done: 0, total: 100 });
  on({ stage: 'significance', done: 23, total: 100, estimatedSeconds: ANNOUNCE_SECONDS / 2 });
  assert.deepEqual(notes, []);
  on({ stage: 'significance', done: 23, total: 100, estimatedSeconds: 42 });
  assert.deepEqual(notes, ['permutation tests: about 42.00 s for 100 permutations (estimated from the first)']);
  assert.equal(seen.length, 3);
});

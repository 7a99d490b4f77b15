// Library refusals and notes re-spelt with the CLI's flag names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flagNote, withFlagNames } from '../../../src/cli/budget.js';
import { UsageError } from '../../../src/cli/args.js';
import { OutputBudgetError } from '../../../src/score/modes.js';
import { InputError } from '../../../src/errors.js';

test('flagNote: each option name at the start of a note becomes its flag', () => {
  assert.equal(flagNote('topK = 9 is more than the 6 eigenvalues'), '--top 9 is more than the 6 eigenvalues');
  assert.equal(flagNote('samplesPerMode = 50 is more than the 6 rows'), '--samples-per-mode 50 is more than the 6 rows');
  assert.equal(flagNote('rffDim = 100 of kernelX is unused on the exact route'), "--rff-dim 100 (X's kernel) is unused on the exact route");
  assert.equal(flagNote('rffDim = 100 of kernelY is unused'), "--rff-dim 100 (Y's kernel) is unused");
  assert.equal(flagNote('rffDim = 7 is unused'), '--rff-dim 7 is unused');
  // only at the start: a name inside a sentence is left as written
  assert.equal(flagNote('the topK = 9 here'), 'the topK = 9 here');
});

test('withFlagNames: passes values through, turns the output-budget refusal into a usage error naming the flags', async () => {
  assert.equal(await withFlagNames(async () => 42), 42);
  const budget = new OutputBudgetError(2000, 1000, 5000, [1000, 1000]);
  assert.ok(budget.message.includes('topK = 2000 and samplesPerMode = 1000'));
  await assert.rejects(
    withFlagNames(async () => {
      throw budget;
    }),
    (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.message, budget.message.replace(/\btopK\b/g, '--top').replace(/\bsamplesPerMode\b/g, '--samples-per-mode'));
      assert.ok(
        e.message.startsWith('--top = 2000 and --samples-per-mode = 1000 ask for up to 2000 modes per side with up to 1000 top samples each (4000000 entries)'),
      );
      return true;
    },
  );
  // anything else passes unchanged (the same object)
  const other = new InputError('bad', 'x.npy');
  await assert.rejects(
    withFlagNames(async () => {
      throw other;
    }),
    (e: unknown) => e === other,
  );
});

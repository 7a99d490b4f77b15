// --splits/--bootstrap parsing (usage errors naming the flag) and the table's evidence columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../../src/cli/args.js';
import { SIGNIFICANCE_OPTIONS, significanceOption, withSignificanceColumns } from '../../../src/cli/significance.js';
import { resamplingEstimate } from '../../../src/cli/progress.js';

const parse = (...argv: string[]) => parseArgs(argv, SIGNIFICANCE_OPTIONS, 'compare');

test('significanceOption: absent, given, and bad counts as usage errors naming the flag', () => {
  assert.equal(significanceOption(parse()), undefined);
  assert.deepEqual(significanceOption(parse('--splits', '20', '--bootstrap', '5')), { splits: 20, bootstrap: 5 });
  assert.deepEqual(significanceOption(parse('--bootstrap', '0')), { bootstrap: 0 });
  assert.throws(
    () => significanceOption(parse('--splits', '1')),
    (e: unknown) => e instanceof UsageError && /^--splits must be 0 \(off\)/.test((e as Error).message),
  );
  assert.throws(
    () => significanceOption(parse('--bootstrap', '20000')),
    (e: unknown) => e instanceof UsageError && /^--bootstrap .* got 20000/.test((e as Error).message),
  );
  assert.throws(() => significanceOption(parse('--splits', 'x')), UsageError);
});

test('withSignificanceColumns inserts held-out p, stability and weak before the samples column', () => {
  const rows = [
    ['side', 'rank', 'samples'],
    ['x', '1', 'a'],
    ['y', '1', 'b'],
  ];
  const right = [false, true, false];
  assert.deepEqual(withSignificanceColumns(rows, right, [{}, {}]), { rows, right, legend: [] });
  const sig = (pValue: number, value: number, weak: boolean) => ({
    heldOut: { splits: 20, mean: 0, lo: 0, hi: 0, pValue },
    stability: { bootstrap: 10, value, eigenvalueLo: 0, eigenvalueHi: 0 },
    weak,
    weakReasons: weak ? ['why'] : [],
  });
  const t = withSignificanceColumns(rows, right, [{ significance: sig(0.0001, 0.987, false) }, { significance: sig(0.2, 0.3, true) }]);
  assert.deepEqual(t.rows, [
    ['side', 'rank', 'held-out p', 'stability', 'weak', 'samples'],
    ['x', '1', '<0.001', '0.99', '', 'a'],
    ['y', '1', '0.200', '0.30', 'weak', 'b'],
  ]);
  assert.deepEqual(t.right, [false, true, true, true, true, false]);
  assert.equal(t.legend.length, 3);
  assert.match(t.legend[0], /20 random halvings/);
  assert.match(t.legend[1], /10 bootstrap resamples/);
});

test('the announced cost is the first resample’s time times the resamples', () => {
  assert.equal(resamplingEstimate(1000, 3000, 40), 80);
});

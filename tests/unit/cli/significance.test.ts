// The significance flags on the CLI (src/cli/significance.ts): --permutations, --splits and
// --bootstrap parsed (usage errors naming the flag), the table's evidence columns, and the
// note announcing a long permutation or resampling run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../../src/cli/args.js';
import {
  ANNOUNCE_SECONDS,
  SIGNIFICANCE_OPTIONS,
  permutationsOption,
  resamplingEstimate,
  significanceOption,
  withCostNote,
  withSignificanceColumns,
} from '../../../src/cli/significance.js';
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

test('a resampling run is announced once, from the first resample, when it will take more than ANNOUNCE_SECONDS', () => {
  const notes: string[] = [];
  let t = 0,
    seen = 0;
  const on = withCostNote(
    () => seen++,
    (m) => notes.push(m),
    () => t,
  );
  on({ stage: 'significance', done: 0, total: 40, message: 'resamples' });
  t = 500; // 0.5 s per resample: 20 s for 40
  on({ stage: 'significance', done: 1, total: 40, message: 'resamples' });
  t = 1000;
  on({ stage: 'significance', done: 2, total: 40, message: 'resamples' });
  assert.deepEqual(notes, ['significance: 40 resamples will take about 20 s (estimated from the first)']);
  assert.equal(seen, 3);
  const quiet: string[] = [];
  const fast = withCostNote(
    () => {},
    (m) => quiet.push(m),
    () => 0,
  );
  fast({ stage: 'significance', done: 0, total: 40, message: 'resamples' });
  fast({ stage: 'significance', done: 1, total: 40, message: 'resamples' });
  assert.deepEqual(quiet, []);
});

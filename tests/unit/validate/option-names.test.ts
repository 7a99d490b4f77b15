// The option-name lists decide which options are refused as unknown: a name missing here
// would make a documented option an error, an extra one would let a typo run with defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPARE_OPTIONS, FINC_OPTIONS, KERNEL_KEYS } from '../../../src/validate/option-names.js';
import { checkOptionNames } from '../../../src/validate/checks.js';
import { InputError } from '../../../src/errors.js';

const sorted = (a: readonly string[]) => [...a].sort();

test('each list names exactly the documented options', () => {
  assert.deepEqual(sorted(KERNEL_KEYS), ['rffDim', 'sigma', 'type']);
  assert.deepEqual(
    sorted(COMPARE_OPTIONS),
    sorted([
      'eta',
      'topK',
      'method',
      'solver',
      'seed',
      'samplesPerMode',
      'returnScores',
      'threads',
      'worker',
      'onProgress',
      'signal',
      'kernel',
      'kernelX',
      'kernelY',
      'significance',
    ]),
  );
  // FINC has one kernel for both sets
  assert.deepEqual(sorted(FINC_OPTIONS), sorted(COMPARE_OPTIONS.filter((k) => k !== 'kernelX' && k !== 'kernelY')));
  for (const list of [KERNEL_KEYS, COMPARE_OPTIONS, FINC_OPTIONS]) assert.equal(new Set(list).size, list.length);
});

test('the lists drive the unknown-option check', () => {
  const names = (o: object, valid: readonly string[]) => {
    try {
      checkOptionNames(o, valid);
      return 'ok';
    } catch (e) {
      assert.ok(e instanceof InputError);
      return (e as Error).message;
    }
  };
  assert.equal(names(Object.fromEntries(COMPARE_OPTIONS.map((k) => [k, undefined])), COMPARE_OPTIONS), 'ok');
  assert.equal(names({ kernelY: 'cosine' }, FINC_OPTIONS), 'unknown option kernelY; did you mean kernel?');
  assert.equal(names({ topk: 3 }, COMPARE_OPTIONS), 'unknown option topk; did you mean topK?');
  assert.equal(names({ rff: 10 }, KERNEL_KEYS), 'unknown option rff; valid: type, sigma, rffDim');
});

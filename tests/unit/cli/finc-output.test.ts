// FINC's human table for a hand-built result: each mode's frequency in X and in Y,
// its kind, and the samples of the end the frequencies count (both ends of a contrast).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFincHuman } from '../../../src/cli/finc-output.js';
import { fincResult } from './results.js';

test('formatFincHuman: the exact text', () => {
  assert.equal(
    formatFincHuman(fincResult(), { xName: 'a.npy', yName: 'b.npy', labels: {}, sigmaAuto: true }),
    [
      'FINC modes of X = a.npy (nx = 4) vs Y = b.npy (ny = 3)',
      '',
      "side  rank  eigenvalue  freqX  freqY  kind      samples (indices into the side's set)",
      'x        1      0.5000    50%   0.0%  cluster   3, 1',
      'y        1     -0.1250    25%    67%  contrast  2 vs 1',
      '',
      'side x: sample types over-represented in X (λ > 0), samples from X; side y: over-represented in Y (λ < 0), samples from Y.',
      "freqX, freqY: the fraction of X's and of Y's samples in the mode (past the cut at its end where its side's set is the more over-represented).",
      'kind: cluster — one end holds the mode (its samples shown); contrast — both ends do (top vs bottom); diffuse — neither end stands out (top samples shown).',
      '1 eigenvalue within rounding error of 0 not reported.',
      '',
      'SPEC-diff   x-not-y 0.5000   y-not-x 0.1250   norm 0.5000',
      'kernel      gaussian σ = 1.5000 (auto: median pairwise distance), 64 random Fourier frequencies',
      'η           2',
      'method      covariance — asked for',
      'timings     features 0.02 s · total 0.25 s',
      '',
    ].join('\n'),
  );
});

test('formatFincHuman: the solver line under the method on the covariance route', () => {
  const lines = formatFincHuman(fincResult({ solver: 'syrk', solverReason: 'requested' }), { xName: 'a', yName: 'b', labels: {} }).split('\n');
  assert.equal(lines[lines.indexOf('method      covariance — asked for') + 1], 'solver      syrk — requested');
});

test('formatFincHuman: labels per side, no modes, escaped names', () => {
  const t = formatFincHuman(fincResult({ noiseDropped: 3 }), { xName: 'a\x1b', yName: 'b', labels: { y: ['p', 'q', 'r'] } });
  const lines = t.split('\n');
  assert.equal(lines[0], 'FINC modes of X = a\\x1b (nx = 4) vs Y = b (ny = 3)');
  assert.equal(lines[2], 'side  rank  eigenvalue  freqX  freqY  kind      samples (labels)');
  assert.equal(lines[3], 'x        1      0.5000    50%   0.0%  cluster   3, 1', 'side x has no labels: indices');
  assert.equal(lines[4], 'y        1     -0.1250    25%    67%  contrast  r (100%) vs q (100%)');
  // a cluster whose frequencies count its bottom end shows that end, marked
  const m = fincResult().modes[0];
  const b = formatFincHuman(fincResult({ modes: [{ ...m, freqEnd: 'bottom' }] }), { xName: 'a', yName: 'b', labels: { x: ['u', 'v', 'w', 'z'] } });
  assert.equal(b.split('\n')[3], 'x        1      0.5000    50%   0.0%  cluster  u (100%) (bottom end)');
  assert.ok(lines.includes('3 eigenvalues within rounding error of 0 not reported.'));
  const none = formatFincHuman(fincResult({ modes: [], noiseDropped: 0 }), { xName: 'a', yName: 'b', labels: {} });
  assert.equal(none.split('\n')[2], 'No modes: CX − η·CY is zero to numerical precision (no sample type is over-represented in either set).');
  assert.ok(!none.includes('side x:'));
});

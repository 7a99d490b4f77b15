// The plotted samples' scores per mode: rounded to 4 significant digits, by row;
// under finc only the side's set is scored; nothing when no mode carries its scores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plottedScores } from '../../../src/report/point-scores.js';

test('plottedScores: each plotted row’s score per mode, 4 significant digits', () => {
  const modes = [
    { side: 'x' as const, rank: 1, scores: Float64Array.from([0.123456, -2.5, 1e-7, 3]) },
    { side: 'y' as const, rank: 2, scores: Float64Array.from([1, 2, 3, 4]) },
    { side: 'y' as const, rank: 3 },
  ];
  assert.deepEqual(plottedScores(modes, [3, 0, 2], [0, 0, 0], false), { x1: [3, 0.1235, 1e-7], y2: [4, 1, 3] });
  // finc: side x scores X's rows (set 0), side y Y's rows (set 1); a row past the scores has none
  assert.deepEqual(plottedScores(modes, [1, 0, 9], [0, 1, 1], true), { x1: [-2.5, null, null], y2: [null, 1, null] });
  assert.equal(plottedScores([{ side: 'x', rank: 1 }], [0], [0], false), undefined);
});

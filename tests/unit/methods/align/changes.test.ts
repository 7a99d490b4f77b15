// The warning rule of align (changes.ts) on constructed numbers: a quantity warns
// exactly when it rises by more than 10% (after > 1.1 × before), from 0 to anything
// above 0 included; the sentences name the quantity, the rise and what it means.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeWarnings, RISE_LIMIT, specDiffChange, specDiffChanges } from '../../../../src/methods/align/changes.js';

test('specDiffChange: relative change, and warn exactly above a 10% rise', () => {
  assert.equal(RISE_LIMIT, 0.1);
  assert.deepEqual(specDiffChange(0.5, 0.25), { before: 0.5, after: 0.25, relative: -0.5, warn: false });
  assert.deepEqual(specDiffChange(0.5, 0.5), { before: 0.5, after: 0.5, relative: 0, warn: false });
  // 10% is not more than 10%; the next numbers above it are
  assert.equal(specDiffChange(0.5, 0.55).warn, false);
  assert.equal(specDiffChange(1, 1.1).warn, false);
  assert.equal(specDiffChange(0.1, 0.11).warn, false);
  assert.equal(specDiffChange(0.5, 0.5501).warn, true);
  assert.equal(specDiffChange(1, 1.1000001).warn, true);
  assert.equal(specDiffChange(0.05111, 0.2758).warn, true);
  // a rise of 9.9% does not warn
  assert.equal(specDiffChange(1, 1.099).warn, false);
  // from 0: no relative change, and any rise warns; 0 → 0 is no change
  assert.deepEqual(specDiffChange(0, 0.01), { before: 0, after: 0.01, relative: null, warn: true });
  assert.deepEqual(specDiffChange(0, 0), { before: 0, after: 0, relative: 0, warn: false });
  assert.deepEqual(specDiffChange(0.2, 0), { before: 0.2, after: 0, relative: -1, warn: false });
  // another limit
  assert.equal(specDiffChange(1, 1.4, 0.5).warn, false);
  assert.equal(specDiffChange(1, 1.6, 0.5).warn, true);
});

test('changeWarnings: one sentence per quantity that rose by more than 10%, in the order x-not-y, y-not-x, norm', () => {
  const demo = specDiffChanges({ xNotY: 0.1129, yNotX: 0.05111, norm: 0.1129 }, { xNotY: 0.02165, yNotX: 0.2758, norm: 0.2758 });
  assert.equal(demo.limit, 0.1);
  assert.deepEqual([demo.xNotY.warn, demo.yNotX.warn, demo.norm.warn], [false, true, true]);
  assert.deepEqual(changeWarnings(demo), [
    'held-out y-not-x (−λmin) rose by 440% (0.05111 → 0.2758), more than 10%: the map created clusters that X does not have',
    'held-out norm (max |λ|) rose by 144% (0.1129 → 0.2758), more than 10%: ψ(Y) differs more from X than Y did',
  ]);
  // every quantity falls or stays within 10%: no warning
  assert.deepEqual(changeWarnings(specDiffChanges({ xNotY: 0.1, yNotX: 0.08, norm: 0.1 }, { xNotY: 0.05, yNotX: 0.088, norm: 0.088 })), []);
  // only x-not-y rises (by 25%)
  assert.deepEqual(changeWarnings(specDiffChanges({ xNotY: 0.1, yNotX: 0.2, norm: 0.2 }, { xNotY: 0.125, yNotX: 0.1, norm: 0.125 })), [
    'held-out x-not-y (λmax) rose by 25.0% (0.1000 → 0.1250), more than 10%: ψ(Y) misses more of the clusters X has than Y did',
  ]);
  // all three, y-not-x from 0
  const all = changeWarnings(specDiffChanges({ xNotY: 0.1, yNotX: 0, norm: 0.1 }, { xNotY: 0.2, yNotX: 0.3, norm: 0.3 }));
  assert.equal(all.length, 3);
  assert.match(all[0], /^held-out x-not-y \(λmax\) rose by 100% \(0\.1000 → 0\.2000\)/);
  assert.equal(all[1], 'held-out y-not-x (−λmin) rose from 0 to 0.3000, more than 10%: the map created clusters that X does not have');
  assert.match(all[2], /^held-out norm \(max \|λ\|\) rose by 200% /);
  // each quantity by itself: a warning exactly when it is past the limit
  for (const key of ['xNotY', 'yNotX', 'norm'] as const) {
    for (const [after, warns] of [
      [1.1, false],
      [1.11, true],
      [0.9, false],
    ] as const) {
      const before = { xNotY: 1, yNotX: 1, norm: 1 },
        afterAll = { ...before, [key]: after };
      assert.equal(changeWarnings(specDiffChanges(before, afterAll)).length, warns ? 1 : 0, `${key} 1 → ${after}`);
    }
  }
});

// Class colours: ≤ 10 classes take the ten-colour palette, more the twenty-colour one,
// given to the most frequent classes (ties in natural order) and listed in natural order;
// the rest grouped as "other".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classPalette, FEW_CLASSES, MANY_CLASSES, OTHER_COLOR } from '../../../../src/report/client/palette.js';
import { mulberry32 } from '../../../shared/rng.mjs';

test('classPalette: none without labels; few classes in natural order with the ten colours', () => {
  assert.equal(classPalette(undefined), undefined);
  assert.equal(classPalette([null, null]), undefined);
  const p = classPalette(['10', '2', null, '2', '1'])!;
  assert.deepEqual(
    p.entries.map((e) => [e.label, e.color, e.count]),
    [
      ['1', FEW_CLASSES[0], 1],
      ['2', FEW_CLASSES[1], 2],
      ['10', FEW_CLASSES[2], 1],
    ],
  );
  assert.equal(p.other, null);
  assert.equal(p.colorOf('2'), FEW_CLASSES[1]);
  assert.equal(p.colorOf(null), OTHER_COLOR);
  assert.equal(p.colorOf('unknown'), OTHER_COLOR);
  assert.equal(p.isOther('2'), false);
});

test('classPalette: 40 classes → the 20 most frequent coloured (distinct colours), 20 grouped as other', () => {
  const rand = mulberry32(7);
  // class c appears 100 − 2c times (c = 0 most frequent), shuffled
  const labels: string[] = [];
  for (let c = 0; c < 40; c++) for (let k = 0; k < 100 - 2 * c; k++) labels.push(`c${c}`);
  for (let i = labels.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [labels[i], labels[j]] = [labels[j], labels[i]];
  }
  const p = classPalette(labels)!;
  assert.equal(p.entries.length, 20);
  assert.deepEqual(
    p.entries.map((e) => e.label),
    Array.from({ length: 20 }, (_, c) => `c${c}`),
  );
  assert.deepEqual(
    p.entries.map((e) => e.color),
    MANY_CLASSES,
  );
  assert.equal(new Set(MANY_CLASSES).size, 20);
  assert.ok(!MANY_CLASSES.includes(OTHER_COLOR));
  const otherCount = Array.from({ length: 20 }, (_, i) => 100 - 2 * (i + 20)).reduce((a, b) => a + b, 0);
  assert.deepEqual(p.other, { classes: 20, count: otherCount });
  assert.equal(p.colorOf('c25'), OTHER_COLOR);
  assert.ok(p.isOther('c25') && !p.isOther('c3') && !p.isOther(null));
});

test('classPalette: labels that name samples (over 20 distinct, ≤ 2 samples each on average) get no colours', () => {
  assert.equal(classPalette(Array.from({ length: 100 }, (_, i) => `file-${i}.png`)), undefined);
  assert.equal(classPalette(Array.from({ length: 100 }, (_, i) => `c${i % 50}`)), undefined, '50 labels of 2 samples each: names, not classes');
  assert.equal(classPalette(Array.from({ length: 100 }, (_, i) => `c${i % 40}`))!.entries.length, 20, '40 classes of 2–3 samples are classes');
});

test('classPalette: ties in frequency are broken in natural order, and a smaller cap works', () => {
  const p = classPalette(['b', 'a', 'c', 'a'], 2)!;
  assert.deepEqual(
    p.entries.map((e) => e.label),
    ['a', 'b'],
  );
  assert.deepEqual(p.other, { classes: 1, count: 1 });
});

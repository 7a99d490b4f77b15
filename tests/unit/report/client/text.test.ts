// Wording helpers: possessives of names ending in s, counts not repeated, short ratios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { possessive, ratioText, withCount } from '../../../../src/report/client/text.js';

test("possessive: pixels' (not pixels's), HOG's", () => {
  assert.equal(possessive('pixels'), "pixels'");
  assert.equal(possessive('CLIPS'), "CLIPS'");
  assert.equal(possessive('HOG'), "HOG's");
  assert.equal(possessive('pixels (784)'), "pixels (784)'s");
});

test('withCount: adds the count unless the name already says it', () => {
  assert.equal(withCount('X', 300), 'X (300 samples)');
  assert.equal(withCount('all digits (5000)', 5000), 'all digits (5000)');
  assert.equal(withCount('no 7s (4500 samples)', 4500), 'no 7s (4500 samples)');
  assert.equal(withCount('digits (500)', 5000), 'digits (500) (5000 samples)');
});

test('ratioText: two significant figures', () => {
  assert.equal(ratioText(0.98604), '0.99');
  assert.equal(ratioText(4.7415), '4.7');
  assert.equal(ratioText(15.69), '16');
  assert.equal(ratioText(1), '1.0');
  assert.equal(ratioText(Infinity), 'Infinity');
});

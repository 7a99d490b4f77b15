// Which array of an archive a side starts on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preferredKey } from '../../../src/app/npz-keys.js';

test('preferredKey: the only array; else the one named for the side; else none', () => {
  assert.equal(preferredKey(['emb'], 'y'), 'emb');
  assert.deepEqual([preferredKey(['X', 'Y'], 'x'), preferredKey(['X', 'Y'], 'y')], ['X', 'Y']);
  assert.deepEqual([preferredKey(['emb_x', 'emb_y'], 'x'), preferredKey(['X_train', 'y_train'], 'y')], ['emb_x', 'y_train']);
  assert.equal(preferredKey(['emb_a', 'emb_b'], 'x'), '');
  assert.equal(preferredKey(['x', 'X'], 'x'), '', 'two arrays named for X: the user chooses');
  assert.equal(preferredKey(['xy', 'yx'], 'x'), '', 'the letter must be a word of the name');
});

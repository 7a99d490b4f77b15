// src/runtime/protocol.ts: errors across the worker boundary keep their kind —
// InputError (message and source, not prefixed twice), AbortError, RangeError;
// anything else becomes an Error with the same message and name — and the
// worker's stack is kept under a marker line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toWire, fromWire } from '../../../src/runtime/protocol.js';
import { AbortError, InputError } from '../../../src/errors.js';

const across = (e: unknown) => fromWire(structuredClone(toWire(e)));

test('an InputError with a source comes back with the same message and source, prefixed once', () => {
  const w = toWire(new InputError('row 3 (1-based) is all zeros', 'x.npy'));
  assert.deepEqual([w.name, w.message, w.source], ['InputError', 'x.npy: row 3 (1-based) is all zeros', 'x.npy']);
  const back = across(new InputError('row 3 (1-based) is all zeros', 'x.npy'));
  assert.ok(back instanceof InputError);
  assert.equal(back.message, 'x.npy: row 3 (1-based) is all zeros');
  assert.equal((back as InputError).source, 'x.npy');
  const plain = across(new InputError('no rows were added'));
  assert.ok(plain instanceof InputError);
  assert.deepEqual([plain.message, (plain as InputError).source], ['no rows were added', undefined]);
  // a source whose prefix is missing from the message: the message is kept whole, then prefixed
  const odd = fromWire({ name: 'InputError', message: 'bare', source: 'y.csv' });
  assert.equal(odd.message, 'y.csv: bare');
});

test('AbortError and RangeError keep their kind; other errors become Error with the same name and message', () => {
  const a = across(new AbortError());
  assert.ok(a instanceof AbortError);
  assert.equal(a.message, new AbortError().message);
  const r = across(new RangeError('spec-embed: cannot allocate 2 GB'));
  assert.ok(r instanceof RangeError);
  assert.equal(r.message, 'spec-embed: cannot allocate 2 GB');
  const t = across(new TypeError('x is not a function'));
  assert.equal(Object.getPrototypeOf(t), Error.prototype);
  assert.deepEqual([t.name, t.message], ['TypeError', 'x is not a function']);
  const s = across('a thrown string');
  assert.deepEqual([s.name, s.message], ['Error', 'a thrown string']);
  assert.deepEqual(toWire(42), { name: 'Error', message: '42' });
});

test("the worker's stack frames follow a marker line under the error's own first line", () => {
  const e = fromWire({ name: 'Error', message: 'boom', stack: 'Error: boom\n    at f (worker.js:1:1)\n    at g (worker.js:2:2)' });
  assert.equal(e.stack, 'Error: boom\n    (in a spec-embed worker)\n    at f (worker.js:1:1)\n    at g (worker.js:2:2)');
  const i = fromWire({ name: 'InputError', message: 'X: bad', source: 'X', stack: 'InputError: X: bad\n    at h (w.js:3:3)' });
  assert.equal(i.stack, 'InputError: X: bad\n    (in a spec-embed worker)\n    at h (w.js:3:3)');
  assert.ok(!fromWire({ name: 'Error', message: 'm' }).stack!.includes('spec-embed worker'));
});

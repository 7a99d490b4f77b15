// The sharded steps' file layout: what is written reads back; a flipped bit, a
// cut, another magic or version are refused naming the file; contentHash
// separates different values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentHash, readPartFile, writePartFile } from '../../../src/sums/part-file.js';

test('part files round-trip and refuse corruption, naming the file', () => {
  const payload = new Uint8Array([1, 2, 3, 4, 5, 6, 7]);
  const bytes = writePartFile('TESTPRT', 3, { a: 1, b: 'x' }, payload);
  assert.equal(bytes.length % 4, 0);
  const r = readPartFile(bytes, 'TESTPRT', 3, 'test', 'f.bin');
  assert.deepEqual(r.meta, { a: 1, b: 'x' });
  assert.deepEqual(Array.from(r.payload.subarray(0, 7)), Array.from(payload));
  for (let i = 0; i < bytes.length; i += 5) {
    if (i >= 16 && i < 24) continue; // the checksum field itself: a change there is a mismatch too
    const bad = bytes.slice();
    bad[i] ^= 0x10;
    assert.throws(() => readPartFile(bad, 'TESTPRT', 3, 'test', 'f.bin'), /f\.bin/);
  }
  assert.throws(() => readPartFile(bytes.subarray(0, bytes.length - 4), 'TESTPRT', 3, 'test', 'cut.bin'), /cut\.bin.*checksum/);
  assert.throws(() => readPartFile(bytes, 'OTHERPR', 3, 'test', 'f.bin'), /bad magic/);
  assert.throws(() => readPartFile(bytes, 'TESTPRT', 4, 'test', 'f.bin'), /format version 3, this build reads 4/);
  assert.throws(() => readPartFile(bytes.subarray(0, 10), 'TESTPRT', 3, 'test', 'f.bin'), /too short/);
});

test('contentHash: equal values hash equally, different ones differently', () => {
  assert.equal(contentHash({ a: [1, 2] }), contentHash({ a: [1, 2] }));
  assert.notEqual(contentHash({ a: [1, 2] }), contentHash({ a: [1, 3] }));
  assert.notEqual(contentHash('a'), contentHash('a\u0000'));
  assert.match(contentHash(1), /^[0-9a-f]{16}$/);
});

// src/cli/scores.ts: the --scores .npy (rows × modes f32, columns in the modes' order,
// written through a temporary and renamed), the σ choice and the files entry of --json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScores } from '../../../src/cli/scores.js';
import { fileJson, sigmaChoice } from '../../../src/report/json.js';

test('writeScores: row-major rows × modes float32, columns named as the modes, via a temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-scores-'));
  try {
    const path = join(dir, 's.npy');
    const modes = [
      { side: 'x' as const, rank: 1, scores: Float64Array.of(0.1, 0.2, 0.3) },
      { side: 'y' as const, rank: 2, scores: Float64Array.of(-1, 1 / 3, 2) },
    ];
    assert.deepEqual(writeScores(path, modes, 3), { file: path, dtype: 'float32', shape: [3, 2], columns: ['x1', 'y2'] });
    const b = readFileSync(path);
    assert.equal(b.subarray(1, 6).toString('latin1'), 'NUMPY');
    const hlen = b.readUInt16LE(8);
    assert.match(b.subarray(10, 10 + hlen).toString('latin1'), /'descr': '<f4', 'fortran_order': False, 'shape': \(3, 2\)/);
    const data = new Float32Array(b.buffer.slice(b.byteOffset + 10 + hlen, b.byteOffset + b.length));
    assert.deepEqual(Array.from(data), [0.1, -1, 0.2, 1 / 3, 0.3, 2].map(Math.fround));
    assert.deepEqual(readdirSync(dir), ['s.npy']);
    // no modes: an n × 0 array
    assert.deepEqual(writeScores(path, [], 3).shape, [3, 0]);
    assert.throws(() => writeScores(path, [{ side: 'x', rank: 1 }], 3), /x1 has no 3 scores/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sigmaChoice and fileJson', () => {
  assert.equal(sigmaChoice({ type: 'cosine' }, false), null);
  assert.equal(sigmaChoice({ type: 'gaussian', sigma: 2 }, true), 'auto');
  assert.equal(sigmaChoice({ type: 'gaussian', sigma: 2 }, false), 'given');
  assert.deepEqual(fileJson('a/x.npy', { rows: 4, cols: 2 }), { name: 'a/x.npy', rows: 4, cols: 2 });
});

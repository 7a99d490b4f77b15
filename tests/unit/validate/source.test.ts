// Row sources: in-memory matrices read in chunks, and the seeded sample that σ = 'auto'
// and the linear kernel's scale read (rows pooled across sources, each checked under its
// own source's name and row number).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { matrixSource, readAll, sampleRows, SAMPLE_ROWS, type RowSource } from '../../../src/validate/source.js';
import { sampleIndices } from '../../../src/wasm/rng.js';
import { InputError } from '../../../src/errors.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });

test('matrixSource reads rows [start, start + count) as views; readAll the whole matrix', () => {
  const m = { data: Float64Array.from({ length: 12 }, (_, i) => i), rows: 4, cols: 3 };
  const s = matrixSource(m, 'X');
  assert.deepEqual([s.rows, s.cols, s.name], [4, 3, 'X']);
  assert.deepEqual(Array.from(s.read(1, 2)), [3, 4, 5, 6, 7, 8]);
  assert.deepEqual(Array.from(s.read(3, 1)), [9, 10, 11]);
  assert.equal(s.read(0, 0).length, 0);
  // a view, not a copy: no reader pays for a chunk it only scans
  assert.equal(s.read(1, 1).buffer, m.data.buffer);
  const all = readAll(s);
  assert.deepEqual([all.rows, all.cols, Array.from(all.data)], [4, 3, Array.from(m.data)]);
});

test('sampleRows: every row, in order, when the sources hold at most SAMPLE_ROWS; f64 rows read as f32', () => {
  assert.equal(SAMPLE_ROWS, 1000);
  const a = { data: Float64Array.from({ length: 6 }, (_, i) => i + 0.1), rows: 3, cols: 2 };
  const b = mat(4, 2, 1);
  const s = sampleRows([matrixSource(a, 'A'), matrixSource(b, 'B')], 9);
  assert.ok(s.data instanceof Float32Array);
  assert.deepEqual([s.rows, s.cols], [7, 2]);
  const want = [...Array.from(a.data, Math.fround), ...b.data];
  assert.deepEqual(Array.from(s.data), want);
});

test('sampleRows over more than SAMPLE_ROWS: the seeded indices, counted through the sources in order', () => {
  const parts = [mat(700, 3, 2), mat(1, 3, 3), mat(900, 3, 4)];
  const sources = parts.map((m, i) => matrixSource(m, `S${i}`));
  const pooled = new Float32Array(1601 * 3);
  let o = 0;
  for (const m of parts) {
    pooled.set(m.data, o);
    o += m.data.length;
  }
  for (const seed of [0, 17]) {
    const idx = sampleIndices(1601, SAMPLE_ROWS, seed);
    const s = sampleRows(sources, seed);
    assert.equal(s.rows, SAMPLE_ROWS);
    for (let i = 0; i < s.rows; i++) {
      for (let j = 0; j < 3; j++) assert.equal(s.data[i * 3 + j], pooled[idx[i] * 3 + j], `seed ${seed} sample ${i}`);
    }
  }
  // the single row of the middle source is reachable (row 700 pooled)
  const hit = [0, 1, 2, 3, 4, 5, 6, 7].find((seed) => sampleIndices(1601, SAMPLE_ROWS, seed).includes(700));
  assert.ok(hit !== undefined);
  const s = sampleRows(sources, hit);
  const k = Array.from(sampleIndices(1601, SAMPLE_ROWS, hit)).indexOf(700);
  assert.deepEqual(Array.from(s.data.subarray(k * 3, k * 3 + 3)), Array.from(parts[1].data));
  // a different seed draws a different sample
  assert.notDeepEqual(Array.from(sampleRows(sources, 1).data.subarray(0, 30)), Array.from(sampleRows(sources, 2).data.subarray(0, 30)));
});

test("sampleRows checks each sampled row under its own source's name and row number", () => {
  const a = mat(5, 2, 5),
    b = mat(4, 2, 6);
  b.data[2 * 2 + 1] = NaN; // row 3 of B
  const read: [string, number, number][] = [];
  const logged = (m: typeof a, name: string): RowSource => {
    const s = matrixSource(m, name);
    return {
      ...s,
      read: (start, count) => {
        read.push([name, start, count]);
        return s.read(start, count);
      },
    };
  };
  assert.throws(
    () => sampleRows([logged(a, 'a.npy'), logged(b, 'b.npy')], 0),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, 'b.npy: non-finite value NaN at row 3, column 2 (1-based)');
      assert.equal(e.source, 'b.npy');
      return true;
    },
  );
  // rows are read one at a time (a streamed file is never read whole for a sample)
  assert.ok(read.every(([, , count]) => count === 1));
  const inf = { data: new Float64Array([1, 2, 3, 1e39]), rows: 2, cols: 2 };
  assert.throws(() => sampleRows([matrixSource(inf, 'Y')], 0), /^InputError: Y: value 1e\+39 at row 2, column 2 \(1-based\) is out of float32 range/);
});

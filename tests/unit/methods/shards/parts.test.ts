// accumulateShard and mergeParts: the merged sums equal one accumulator's over
// the concatenated rows to 1e-12 (at D ≤ 256 every row's f64 products go into
// the running total, so per-shard totals round differently); the merge
// is the same bytes in any input order; other options, a shard twice, a NaN
// row or a corrupt part are refused naming the file (and the row).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/wasm/loader.js';
import { SpecAccumulator } from '../../../../src/methods/spec-accumulator.js';
import { accumulateShard, alignmentNote, mergeParts, readPart } from '../../../../src/methods/shards/parts.js';
import { COSINE, X, Y, rowsOf, shard } from './fixture.js';

const sumsOf = (snapshot: Uint8Array, D: number) => new Float64Array(snapshot.slice(snapshot.length - 4 * D * (D + 1)).buffer);

test('merged parts hold the one-accumulator sums of the concatenated rows; any input order gives the same bytes', async () => {
  await init();
  const parts = await Promise.all([0, 1, 2, 3].map(async (s) => ({ bytes: await accumulateShard(`s${s}`, shard(s), COSINE), file: `p${s}` })));
  const a = mergeParts(parts),
    b = mergeParts([parts[2], parts[0], parts[3], parts[1]]);
  assert.deepEqual(a, b);
  const info = readPart(a, 'a');
  assert.deepEqual(info.rows, [2048]);
  assert.equal(info.D, 20);
  assert.deepEqual(
    info.shards.map((s) => s.name),
    ['s0', 's1', 's2', 's3'],
  );
  const acc = await SpecAccumulator.create({ kernelX: 'cosine', kernelY: 'cosine', dx: 12, dy: 8 });
  acc.add(X, Y);
  const mine = sumsOf(info.snapshot, 20),
    ref = sumsOf(acc.serialize(), 20);
  mine.forEach((v, i) => assert.ok(Math.abs(v - ref[i]) <= 1e-12 * Math.abs(ref[i]), `sum ${i}: ${v} vs ${ref[i]}`));
  acc.dispose();
  // merged parts merge again (a tree), and the shard list follows
  const tree = readPart(
    mergeParts([
      { bytes: mergeParts(parts.slice(0, 2)), file: 'l' },
      { bytes: mergeParts(parts.slice(2)), file: 'r' },
    ]),
    't',
  );
  assert.equal(tree.shards.length, 4);
  assert.equal(alignmentNote(info), undefined, 'D ≤ 256: no blocks');
});

test('merge refuses other options and a shard twice, naming the file; a corrupt part names its file', async () => {
  await init();
  const p0 = { bytes: await accumulateShard('s0', shard(0), COSINE), file: 'p0.snap' };
  const seeded = { bytes: await accumulateShard('s1', shard(1), { ...COSINE, eta: 2 }), file: 'eta.snap' };
  assert.throws(() => mergeParts([p0, seeded]), /eta\.snap.*eta 2 vs 1/);
  const again = { bytes: await accumulateShard('s0', shard(1), COSINE), file: 'again.snap' };
  assert.throws(() => mergeParts([p0, again]), /again\.snap.*shard 's0' is also in p0\.snap/);
  const bad = p0.bytes.slice();
  bad[bad.length - 3] ^= 1;
  assert.throws(() => mergeParts([{ bytes: bad, file: 'bad.snap' }]), /bad\.snap.*checksum/);
  assert.throws(() => mergeParts([{ bytes: p0.bytes.subarray(0, 100), file: 'cut.snap' }]), /cut\.snap/);
});

test('a NaN row fails the shard naming its source and row; compare needs both sides', async () => {
  await init();
  const x = X.data.slice(0, 512 * 12);
  x[300 * 12 + 5] = Number.NaN;
  const bad = rowsOf({ data: x, rows: 512, cols: 12 }, 0, 512, 'x-bad.npy');
  await assert.rejects(accumulateShard('s', { x: bad, y: shard(0).y }, COSINE), /x-bad\.npy.*row 301\b/);
  await assert.rejects(accumulateShard('s', { x: shard(0).x }, COSINE), /give both/);
  await assert.rejects(accumulateShard('', shard(0), COSINE), /name/);
});

test('parts given as readers are read twice (check, then add one at a time) and merge to the same bytes; a part that changes in between is refused', async () => {
  await init();
  const parts = await Promise.all([0, 1, 2].map(async (s) => ({ bytes: await accumulateShard(`s${s}`, shard(s), COSINE), file: `p${s}` })));
  const calls = [0, 0, 0];
  const lazy = parts.map((p, i) => ({
    bytes: () => {
      calls[i]++;
      return p.bytes;
    },
    file: p.file,
  }));
  assert.deepEqual(mergeParts(lazy), mergeParts(parts));
  assert.deepEqual(calls, [2, 2, 2]);
  let n = 0;
  const swapped = { bytes: () => (n++ === 0 ? parts[1].bytes : parts[2].bytes), file: 'moving.snap' };
  assert.throws(() => mergeParts([parts[0], swapped]), /moving\.snap.*changed while it was being merged/);
});

test('accumulateShard reports progress up to its last row and stops with AbortError on its signal', async () => {
  await init();
  const events: { stage: string; done: number; total: number }[] = [];
  await accumulateShard('s', shard(0), COSINE, { onProgress: (e) => events.push(e) });
  assert.ok(events.length >= 1);
  assert.deepEqual({ ...events.at(-1) }, { stage: 'accumulate', done: 512, total: 512, message: 'rows' });
  const aborted = new AbortController();
  aborted.abort();
  await assert.rejects(accumulateShard('s', shard(0), COSINE, { signal: aborted.signal }), { name: 'AbortError' });
  // aborted at its first progress event, part-way through 2048 rows
  const ac = new AbortController();
  const all = { x: rowsOf(X, 0, 2048, 'x'), y: rowsOf(Y, 0, 2048, 'y') };
  await assert.rejects(accumulateShard('s', all, COSINE, { signal: ac.signal, onProgress: () => ac.abort() }), { name: 'AbortError' });
});

// src/runtime/worker-entry.ts run in this process: the script reads its port from
// globalThis.__specEmbedPort (as the Node worker bootstrap sets it), so a stand-in
// port here sends it requests and collects its replies. Requests are answered one
// at a time in order; a failing request drops the shard; `run` streams progress.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { SpecSums } from '../../../src/sums/spec-sums.js';
import { resolveKernel } from '../../../src/features/kernel.js';
import { drain } from '../../../src/runtime/cooperative.js';
import { fromWire, type Reply, type Request, type ShardSpec } from '../../../src/runtime/protocol.js';
import { InputError } from '../../../src/errors.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

const replies: Reply[] = [];
let deliver: ((m: unknown) => void) | null = null;
const waiting = new Map<number, (r: Reply) => void>();
(globalThis as any).__specEmbedPort = {
  postMessage: (m: Reply) => {
    replies.push(m);
    if ('ok' in m) waiting.get(m.id)?.(m);
  },
  on: (_: 'message', f: (m: unknown) => void) => {
    deliver = f;
  },
};
await import('../../../src/runtime/worker-entry.js');
assert.ok(deliver, 'the script listens on its port');

let nextId = 1;
/** Posts a request; resolves with its final reply. */
function send(req: Request): Promise<Reply & { ok: boolean }> {
  const id = nextId++;
  return new Promise((res) => {
    waiting.set(id, res as any);
    deliver!({ ...req, id });
  });
}
const value = async (req: Request) => {
  const r = await send(req);
  if (!r.ok) throw fromWire((r as any).error);
  return (r as any).value;
};

const lin = resolveKernel('linear', 'X');
const shardSpec: ShardSpec = { kind: 'spec', kernelX: lin, kernelY: lin, eta: 1, seed: 0, dx: 2, dy: 3, names: ['X', 'Y'], cacheBytes: 0 };

test("init, shard, add, sums: the shard's sums equal SpecSums fed the same rows", async () => {
  await value({ op: 'init', source: '' });
  await value({ op: 'shard', spec: shardSpec });
  const X = randomF32(40 * 2, 1),
    Y = randomF32(40 * 3, 2);
  await value({ op: 'add', set: 0, row0: 0, rows: 40, x: X.slice(), y: Y.slice() });
  const got = await value({ op: 'sums' });
  const ref = SpecSums.of(lin, lin, 1, 0, { cols: 2, name: 'X' }, { cols: 3, name: 'Y' });
  drain(ref.addSteps({ data: X, rows: 40, cols: 2 }, { data: Y, rows: 40, cols: 3 }));
  assert.deepEqual(got.sums, ref.takeSums());
  assert.deepEqual(got.colSums, ref.colSums);
  assert.equal(got.cachedAll, false);
  assert.deepEqual(Object.keys(got.seconds).sort(), ['accumulate', 'features']);
  ref.dispose();
  await value({ op: 'free' });
});

test("requests before a shard, or after a failure, are refused with the worker's message; a failure drops the shard", async () => {
  await assert.rejects(value({ op: 'sums' }), { message: 'spec-embed: worker has no shard' });
  await assert.rejects(value({ op: 'gramRows', r0: 0, r1: 1 }), { message: 'spec-embed: worker has no kernel rows to compute' });
  await value({ op: 'shard', spec: shardSpec });
  const bad = new Float32Array(4).fill(1);
  bad[3] = NaN;
  await assert.rejects(
    value({ op: 'add', set: 0, row0: 0, rows: 2, x: bad, y: new Float32Array(6).fill(1) }),
    (e: unknown) => e instanceof InputError && /^X: /.test((e as Error).message),
  );
  await assert.rejects(value({ op: 'sums' }), { message: 'spec-embed: worker has no shard' });
});

test('requests are answered in the order sent, each once', async () => {
  const first = replies.length;
  const ids = [nextId, nextId + 1, nextId + 2];
  await Promise.all([
    value({ op: 'shard', spec: shardSpec }),
    value({ op: 'add', set: 0, row0: 0, rows: 1, x: new Float32Array(2).fill(1), y: new Float32Array(3).fill(1) }),
    value({ op: 'free' }),
  ]);
  assert.deepEqual(
    replies.slice(first).map((r) => r.id),
    ids,
  );
});

test('gramBegin and gramRows: kernel rows from the diagonal on, scaled', async () => {
  const x = Float32Array.from([1, 0, 0, 2, 3, 4]); // 3 rows × 2
  await value({ op: 'gramBegin', spec: { n: 3, d: 2, kind: 'linear', gamma: 0, scale: 0.5, name: 'X' }, x });
  const band = await value({ op: 'gramRows', r0: 0, r1: 3 });
  // row i holds K[i][0..3) of the 3 − 0 columns; K = x xᵀ·0.5 (upper triangle read)
  const K = [
    [1, 0, 3],
    [0, 4, 8],
    [3, 8, 25],
  ].map((r) => r.map((v) => v * 0.5));
  for (let i = 0; i < 3; i++) for (let j = i; j < 3; j++) assert.equal(band[i * 3 + j], K[i][j], `(${i}, ${j})`);
  await value({ op: 'free' });
});

test("run: a whole compare() here, its progress posted under the request's id before the result", async () => {
  const X = { data: randomF32(30 * 3, 5), rows: 30, cols: 3 },
    Y = { data: randomF32(30 * 2, 6), rows: 30, cols: 2 };
  const first = replies.length,
    id = nextId;
  const r = await value({ op: 'run', task: 'compare', X, Y, options: { topK: 2, threads: 1 } });
  assert.deepEqual([r.n, r.method], [30, 'exact']);
  assert.ok(r.modes.length > 0);
  const mine = replies.slice(first).filter((m) => m.id === id);
  assert.ok(mine.length >= 2);
  assert.ok(mine.slice(0, -1).every((m) => 'progress' in m));
  assert.ok('ok' in mine.at(-1)!);
  // an option error comes back as the InputError it is
  await assert.rejects(
    value({ op: 'run', task: 'finc', X, Y, options: {} }),
    (e: unknown) => e instanceof InputError && /dimensions differ/.test((e as Error).message),
  );
});

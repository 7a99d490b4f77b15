// The pool in Node: workers idle unreferenced and stay warm across calls (Deno,
// whose Web Workers cannot be unreferenced, terminates them when idle instead:
// tests/deno/exit.deno.ts covers that side).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { pool, terminateWorkers } from '../../../src/runtime/pool.js';

after(() => terminateWorkers());

test('Node: released workers are reused by the next call, even several macrotasks later', async () => {
  const first = await pool.acquire(2);
  assert.equal(first.length, 2);
  assert.ok(
    first.every((w) => !w.holdsProcess),
    'node:worker_threads workers can be unreferenced',
  );
  pool.release(first, true);
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
  const again = await pool.acquire(2);
  assert.deepEqual(new Set(again), new Set(first), 'the same, warm workers');
  assert.ok(again.every((w) => !w.failed));
  pool.release(again, true);
});

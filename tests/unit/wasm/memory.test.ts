import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, isInitialized } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import { wasm } from '../../../src/wasm/loader.js';

test('init is idempotent and concurrent calls share one instance', async () => {
  await Promise.all([init(), init(), init()]);
  const first = wasm();
  await init();
  assert.equal(wasm(), first);
  assert.ok(isInitialized());
});

test('buffers survive memory growth: views are re-created, contents kept', async () => {
  await init();
  const a = memory.f32(1000).set(Float32Array.from({ length: 1000 }, (_, i) => i));
  const before = wasm().memory.buffer.byteLength;
  const big = memory.f64((40 * 2 ** 20) / 8); // 40 MiB forces growth
  assert.ok(wasm().memory.buffer.byteLength > before);
  assert.equal(a.view[999], 999);
  big.free();
  a.free();
});

test('freed memory is reused (no leak across repeated allocations)', async () => {
  await init();
  const b0 = memory.f32(2 ** 20);
  b0.free();
  const size = wasm().memory.buffer.byteLength;
  for (let i = 0; i < 50; i++) memory.f32(2 ** 20).free();
  assert.equal(wasm().memory.buffer.byteLength, size);
});

test('a request beyond wasm32 capacity is a RangeError, not a crash', async () => {
  await init();
  assert.throws(() => memory.f64(2 ** 30), RangeError);
  assert.throws(() => memory.allocBytes(5 * 2 ** 30, 'kernel matrix'), /kernel matrix needs 5\.00 GiB/);
  // many 1 GiB-ish blocks: the fourth or fifth cannot fit in 4 GiB
  const held: number[] = [];
  assert.throws(() => {
    for (let i = 0; i < 6; i++) held.push(memory.allocBytes(2 ** 30 - 1024, 'chunk'));
  }, RangeError);
  for (const p of held) wasm().free(p);
  // the module still works afterwards
  const ok = memory.f32(10);
  ok.free();
});

test('use after free is reported', async () => {
  await init();
  const a = memory.f32(4);
  a.free();
  assert.throws(() => a.view, /freed/);
});

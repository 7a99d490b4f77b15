// The computations every runtime (Node, Deno, Chromium) must reproduce bit for
// bit. Each result is reported as hex of its IEEE bytes, so equality is exact.
// Later issues append cases here; the three suites pick them up automatically.
import { randomF32 } from './rng.mjs';

function hex(typed) {
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export async function crossRuntimeResults(lib, internal) {
  await lib.init();
  const { memory, blas1 } = internal;
  const out = {};
  for (const n of [0, 1, 3, 4, 7, 8, 15, 16, 17, 1023, 1024, 1025]) {
    const x = memory.f32(n + 1).set(randomF32(n + 1, 11 + n));
    const y = memory.f32(n + 1).set(randomF32(n + 1, 97 + n));
    // offset 1 exercises unaligned SIMD loads
    out[`sdot:${n}`] = hex(new Float32Array([blas1.sdot(n, x, y, 1, 1)]));
    blas1.saxpy(n, 0.37, x, y, 1, 1);
    out[`saxpy:${n}`] = hex(y.toArray());
    x.free();
    y.free();
  }
  if (internal.extraCrossRuntime) Object.assign(out, await internal.extraCrossRuntime(lib, internal));
  return out;
}

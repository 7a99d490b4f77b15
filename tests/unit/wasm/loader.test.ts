// Loading the kernels. The loader keeps its instance in module state, so each case that
// needs a loader that has not loaded yet imports a copy of its own (a query string makes
// a separate module instance) — as a second copy of spec-embed in one realm would be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as loader from '../../../src/wasm/loader.js';
import { WASM_BASE64 } from '../../../src/generated/wasm-bytes.js';
import { VERSION } from '../../../src/version.js';

type Loader = typeof loader;
const SHARED = Symbol.for(`spec-embed@${VERSION}/wasm-module`);
const g = globalThis as any;

let copies = 0;
async function freshLoader(): Promise<Loader> {
  const url = new URL(`../../../src/wasm/loader.ts?copy=${++copies}`, import.meta.url).href;
  return (await import(url)) as Loader;
}

/** Runs fn with WebAssembly.instantiate replaced and the realm's shared module hidden. */
async function withInstantiate<T>(fake: (...a: any[]) => Promise<any>, fn: () => Promise<T>, hideShared = true): Promise<T> {
  const real = WebAssembly.instantiate,
    shared = g[SHARED];
  (WebAssembly as any).instantiate = fake;
  if (hideShared) delete g[SHARED];
  try {
    return await fn();
  } finally {
    (WebAssembly as any).instantiate = real;
    if (hideShared && shared) g[SHARED] = shared;
  }
}

const wasmBytes = () => new Uint8Array(Buffer.from(WASM_BASE64, 'base64'));
const FORBIDDEN =
  /^spec-embed: this runtime forbids compiling WebAssembly from bytes \(as edge functions such as Cloudflare Workers do\): import the precompiled module and hand it over: `import wasmModule from 'spec-embed\/spec-embed\.wasm'; import \{ init \} from 'spec-embed\/slim'; await init\(\{ module: wasmModule \}\);`$/;

test('before init(): not initialised, no module, and wasm() says what to call', () => {
  assert.equal(loader.isInitialized(), false);
  assert.equal(loader.wasmModule(), null);
  assert.throws(() => loader.wasm(), /^Error: spec-embed: call `await init\(\)` before using the kernels$/);
});

test('a runtime that forbids compiling bytes gets the message to pass a precompiled module', async () => {
  const l = await freshLoader();
  const disallowed = new WebAssembly.CompileError('WebAssembly.instantiate(): Wasm code generation disallowed by embedder');
  await withInstantiate(
    async () => {
      throw disallowed;
    },
    async () => {
      await assert.rejects(l.init(), (e: any) => {
        assert.match(e.message, FORBIDDEN);
        assert.equal(e.cause, disallowed);
        return true;
      });
      // bytes of the caller's: refused the same way when the runtime says it disallows them
      await assert.rejects(l.init({ bytes: new Uint8Array(8) }), (e: any) => FORBIDDEN.test(e.message) && e.cause === disallowed);
    },
  );
  // an ordinary CompileError of the caller's bytes is theirs to see, unchanged
  const bad = new WebAssembly.CompileError('expected magic word 00 61 73 6d');
  await withInstantiate(
    async () => {
      throw bad;
    },
    async () => {
      await assert.rejects(l.init({ bytes: new Uint8Array(8) }), (e) => e === bad);
    },
  );
  assert.equal(l.isInitialized(), false);
  // a failed init() is not remembered: the next one loads
  await l.init();
  assert.equal(l.isInitialized(), true);
});

test('bytes that are not wasm: the CompileError, and a later init() still loads', async () => {
  const l = await freshLoader();
  await assert.rejects(l.init({ bytes: new Uint8Array([0, 1, 2, 3]) }), WebAssembly.CompileError);
  assert.equal(l.isInitialized(), false);
  assert.equal(l.wasmModule(), null);
  // bytes as an ArrayBuffer, or a view into a larger buffer
  const bytes = wasmBytes();
  const padded = new Uint8Array(bytes.length + 11);
  padded.set(bytes, 7);
  await l.init({ bytes: padded.subarray(7, 7 + bytes.length) });
  assert.equal(typeof l.wasm().alloc, 'function');
  const m = await freshLoader();
  await m.init({ bytes: bytes.slice().buffer });
  assert.ok(m.wasmModule() instanceof WebAssembly.Module);
});

test('init(): concurrent calls share one instance; later calls, whatever their options, return it', async () => {
  const [a, b] = [loader.init(), loader.init()];
  await Promise.all([a, b]);
  const ex = loader.wasm();
  assert.ok(ex.memory instanceof WebAssembly.Memory);
  assert.ok(loader.wasmModule() instanceof WebAssembly.Module);
  await loader.init({ bytes: new Uint8Array([1, 2, 3]) });
  assert.equal(loader.wasm(), ex);
  assert.ok(g[SHARED] instanceof WebAssembly.Module);
});

test('another copy in the realm instantiates the shared module instead of compiling bytes', async () => {
  await loader.init();
  const l = await freshLoader();
  const seen: unknown[] = [];
  const real = WebAssembly.instantiate;
  await withInstantiate(
    async (src: any, imp: any) => {
      seen.push(src);
      return real(src, imp);
    },
    () => l.init(),
    false,
  );
  assert.equal(seen.length, 1);
  assert.equal(seen[0], g[SHARED]);
  // its own instance: memory of its own
  assert.notEqual(l.wasm().memory, loader.wasm().memory);
  // { module } is used as given
  const m = await freshLoader();
  await m.init({ module: loader.wasmModule()! });
  assert.equal(m.wasmModule(), loader.wasmModule());
});

test('an abort inside the module is a WasmAbort with its message and place', async () => {
  await loader.init();
  assert.throws(
    () => loader.wasm().alloc(0xfffffff0),
    (e: unknown) => {
      assert.ok(e instanceof loader.WasmAbort);
      assert.equal((e as Error).name, 'WasmAbort');
      assert.match((e as Error).message, /^Allocation too large \(~lib\/rt\/tlsf\.ts:\d+:\d+\)$/);
      return true;
    },
  );
  // the kernels still work afterwards
  const p = loader.wasm().alloc(16);
  assert.ok(p > 0);
  loader.wasm().free(p);
});

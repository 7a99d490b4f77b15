// Deno suite: imports the built dist/ as a user would and checks that every
// shared computation is bit-identical to Node's (expected values come from the
// Node side through SPEC_EMBED_EXPECTED). The internals come from the test
// bundle that deno.test.mjs builds (build/test/internal.js), with their own init().
import * as lib from '../../dist/index.js';
import * as internal from '../../build/test/internal.js';
import { crossRuntimeResults } from '../shared/cross-runtime.mjs';
import { threadCases } from '../shared/cross-runtime-threads.mjs';

Deno.test('init({ module }) accepts a precompiled WebAssembly.Module', async () => {
  const bytes = await Deno.readFile(new URL('../../dist/spec-embed.wasm', import.meta.url));
  const module = await WebAssembly.compile(bytes);
  // Runs first in this file, so this call is the one that instantiates the module.
  if (lib.isInitialized()) throw new Error('expected a fresh module instance');
  await lib.init({ module });
  if (!lib.isInitialized()) throw new Error('init({ module }) did not initialise');
});

Deno.test('init() loads the embedded wasm in Deno', async () => {
  await lib.init();
  if (!lib.isInitialized()) throw new Error('not initialised');
});

Deno.test('shared computations are bit-identical to Node', async () => {
  const expectedPath = Deno.env.get('SPEC_EMBED_EXPECTED');
  if (!expectedPath) throw new Error('SPEC_EMBED_EXPECTED is not set (run through tests/deno/deno.test.mjs)');
  const expected = JSON.parse(await Deno.readTextFile(expectedPath));
  await internal.init();
  const got = await crossRuntimeResults(lib, internal);
  const keys = Object.keys(expected);
  if (keys.length === 0) throw new Error('no expected results');
  for (const k of keys) {
    if (got[k] !== expected[k]) throw new Error(`${k}: Deno ${String(got[k]).slice(0, 64)} != Node ${String(expected[k]).slice(0, 64)}`);
  }
  if (Object.keys(got).length !== keys.length) throw new Error('result sets differ in size');
});

Deno.test('compare and finc with threads: 2 (Web Workers from a Blob URL) equal Node', async () => {
  const expectedPath = Deno.env.get('SPEC_EMBED_EXPECTED_THREADS');
  if (!expectedPath) throw new Error('SPEC_EMBED_EXPECTED_THREADS is not set (run through tests/deno/deno.test.mjs)');
  const expected = JSON.parse(await Deno.readTextFile(expectedPath));
  try {
    const got = await threadCases(lib);
    const keys = Object.keys(expected);
    if (keys.length !== 9 || Object.keys(got).length !== keys.length) throw new Error('result sets differ in size');
    for (const k of keys) {
      if (got[k] !== expected[k]) throw new Error(`${k}: Deno ${String(got[k]).slice(0, 64)} != Node ${String(expected[k]).slice(0, 64)}`);
    }
  } finally {
    lib.terminateWorkers();
  }
});

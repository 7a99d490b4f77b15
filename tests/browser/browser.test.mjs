// Browser suite: real headless Chromium driven by playwright-core loads dist/
// from a localhost server and must reproduce the Node results bit for bit.
// The browser is $CHROMIUM_PATH, else /usr/bin/chromium, else the one shipped
// in the @sparticuz/chromium devDependency (see chromium.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import * as lib from '../../dist/index.js';
import { buildTestInternal } from '../../scripts/build-test-internal.mjs';
import { crossRuntimeResults } from '../shared/cross-runtime.mjs';
import { serve } from './server.mjs';
import { resolveChromium, LAUNCH_ARGS } from './chromium.mjs';

let browser, server, page, base, chrome;

let internal;

before(async () => {
  // The internals come from the test bundle both sides load (build/test/internal.js, also served to the page).
  internal = await import(pathToFileURL(await buildTestInternal()).href);
  await internal.init();
  chrome = await resolveChromium();
  console.log(`browser suite: Chromium from ${chrome.source}`);
  server = await serve(process.cwd());
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: chrome.executablePath, env: chrome.env, args: LAUNCH_ARGS });
  console.log(`browser suite: ${browser.version()}`);
  page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.ready === true);
});

after(async () => {
  await browser?.close();
  server?.close();
  chrome?.cleanup();
});

test('init() loads the embedded wasm in Chromium', async () => {
  const ok = await page.evaluate(async () => {
    await window.lib.init();
    return window.lib.isInitialized();
  });
  assert.equal(ok, true);
});

test('init({ module }) with a module compiled from the shipped .wasm, in a fresh page', async () => {
  const fresh = await browser.newPage();
  await fresh.goto(`${base}/`);
  await fresh.waitForFunction(() => window.ready === true);
  const got = await fresh.evaluate(async () => {
    const before = window.lib.isInitialized();
    const module = await WebAssembly.compileStreaming(fetch('/dist/spec-embed.wasm'));
    await window.lib.init({ module });
    const r = await window.lib.compare(
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      [
        [1, 2],
        [2, 1],
        [1, 1],
      ],
      { topK: 1 },
    );
    return { before, after: window.lib.isInitialized(), norm: r.specDiff.norm };
  });
  await fresh.close();
  assert.equal(got.before, false);
  assert.equal(got.after, true);
  assert.ok(got.norm > 0);
});

test('shared computations are bit-identical to Node', { timeout: 300_000 }, async () => {
  const expected = await crossRuntimeResults(lib, internal);
  const got = await page.evaluate(() => window.runShared());
  assert.deepEqual(Object.keys(got).sort(), Object.keys(expected).sort());
  for (const k of Object.keys(expected)) assert.equal(got[k], expected[k], k);
});

// Workers in Chromium: threads: 2 on Web Workers started from a Blob URL give
// Node's numbers bit for bit; `worker: true` keeps the page responsive (a 10 ms
// timer keeps ticking through a ~2 s analysis), gives the in-process result,
// forwards progress, and an abort terminates the worker.
// Run: node --test tests/browser/workers.test.mjs (after npm run build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import * as lib from '../../dist/index.js';
import { threadCases } from '../shared/cross-runtime-threads.mjs';
import { randomF32 } from '../shared/rng.mjs';
import { serve } from './server.mjs';
import { resolveChromium, LAUNCH_ARGS } from './chromium.mjs';
import { buildTestInternal } from '../../scripts/build-test-internal.mjs';

let browser, server, page, chrome;

before(async () => {
  await buildTestInternal(); // the suite page (index.html) also loads the test bundle
  chrome = await resolveChromium();
  server = await serve(process.cwd());
  browser = await chromium.launch({ executablePath: chrome.executablePath, env: chrome.env, args: LAUNCH_ARGS });
  page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.ready === true);
  await page.evaluate(async () => {
    window.threadCases = (await import('/tests/shared/cross-runtime-threads.mjs')).threadCases;
    window.randomF32 = (await import('/tests/shared/rng.mjs')).randomF32;
  });
});

after(async () => {
  lib.terminateWorkers();
  await browser?.close();
  server?.close();
  chrome?.cleanup();
});

test('threads: 2 on Web Workers (Blob URL) equals Node bit for bit', { timeout: 120_000 }, async () => {
  const expected = await threadCases(lib);
  const got = await page.evaluate(() => window.threadCases(window.lib));
  assert.deepEqual(got, expected);
});

/** A run of ~1-3 s here: Gaussian RFF, D = 2·(700 + 500), n = 5000. */
const N = 5000,
  DX = 64,
  DY = 48;
const LONG = {
  kernelX: { type: 'gaussian', sigma: 'auto', rffDim: 700 },
  kernelY: { type: 'gaussian', sigma: 'auto', rffDim: 500 },
  method: 'covariance',
  topK: 3,
  samplesPerMode: 5,
  threads: 1,
  // the SYRK solver: its long accumulate stage is what the timer must tick through
  solver: 'syrk',
};

test('worker: true keeps a 10 ms timer ticking and returns the in-process result', { timeout: 180_000 }, async () => {
  const X = { data: randomF32(N * DX, 41), rows: N, cols: DX },
    Y = { data: randomF32(N * DY, 42), rows: N, cols: DY };
  const ref = await lib.compare(X, Y, LONG);
  const got = await page.evaluate(
    async ({ N, DX, DY, LONG }) => {
      const X = { data: window.randomF32(N * DX, 41), rows: N, cols: DX },
        Y = { data: window.randomF32(N * DY, 42), rows: N, cols: DY };
      let last = performance.now(),
        maxGap = 0,
        ticks = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
        ticks++;
      }, 10);
      const stages = new Set();
      const t0 = performance.now();
      let atFirst = -1,
        atLast = -1;
      const r = await window.lib.compare(X, Y, {
        ...LONG,
        worker: true,
        onProgress: (e) => {
          stages.add(e.stage);
          if (atFirst < 0) atFirst = ticks;
          atLast = ticks;
        },
      });
      const ms = performance.now() - t0;
      clearInterval(timer);
      return {
        eig: Array.from(r.eigenvalues),
        top: r.modes.map((m) => m.top.map((t) => t.index)),
        maxGap,
        ticks,
        ticksBetween: atLast - atFirst,
        ms,
        stages: [...stages],
      };
    },
    { N, DX, DY, LONG },
  );
  console.log(`worker: true run ${got.ms.toFixed(0)} ms, ${got.ticks} ticks, max gap ${got.maxGap.toFixed(1)} ms`);
  // The page's timer runs between the worker's progress messages: a page blocked by the
  // computation would see its 10 ms timer fire at most once or twice (counted, not timed).
  assert.ok(got.ticksBetween >= 5, `the page's timer fired ${got.ticksBetween} times between the first and last progress message`);
  assert.deepEqual(got.eig, Array.from(ref.eigenvalues));
  assert.deepEqual(
    got.top,
    ref.modes.map((m) => m.top.map((t) => t.index)),
  );
  assert.ok(got.stages.includes('accumulate') && got.stages.includes('scores'), `progress forwarded: ${got.stages}`);
});

test('worker: true aborts promptly (the worker is terminated)', { timeout: 120_000 }, async () => {
  const got = await page.evaluate(
    async ({ N, DX, DY, LONG }) => {
      const X = { data: window.randomF32(N * DX, 41), rows: N, cols: DX },
        Y = { data: window.randomF32(N * DY, 42), rows: N, cols: DY };
      const ac = new AbortController();
      let events = 0;
      const p = window.lib.compare(X, Y, {
        ...LONG,
        worker: true,
        signal: ac.signal,
        onProgress: () => {
          if (++events === 1) ac.abort();
        },
      });
      try {
        await p;
        return { name: 'resolved', events };
      } catch (e) {
        return { name: e.name, events };
      }
    },
    { N, DX, DY, LONG },
  );
  assert.equal(got.name, 'AbortError');
  // terminated at abort(): none of the worker's later progress reaches the page
  assert.equal(got.events, 1, `${got.events - 1} progress events after abort()`);
  // and the page can run again
  const again = await page.evaluate(() =>
    window.lib
      .finc(
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
        { worker: true, topK: 1 },
      )
      .then((r) => r.task),
  );
  assert.equal(again, 'finc');
});

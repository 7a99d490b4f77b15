// The in-browser app (dist/app.html) in real headless Chromium from file://
// with the network cut: set files on the inputs, run compare and finc in the
// page's worker and compare the result with the CLI's --json for the same files;
// cancel a long run and start another.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIX, cli, launch, withoutTimings } from './page-helpers.mjs';
import { openApp, runIn } from './app-helpers.mjs';

let dir, b;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spec-embed-app-'));
  b = await launch();
});

after(async () => {
  await b?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the page opens empty, says nothing leaves the machine, and computes compare like the CLI', async () => {
  const { page, context, log } = await openApp(b.browser);
  assert.match(await page.textContent('#local-note'), /nothing leaves this machine/);
  assert.equal(await page.$$eval('#report *', (e) => e.length), 0);
  const data = await runIn(page, { task: 'compare', x: `${FIX}x.npy`, y: `${FIX}y.npy`, labels: `${FIX}labels.txt`, options: { top: '3' } });
  const want = JSON.parse(cli(['compare', `${FIX}x.npy`, `${FIX}y.npy`, '--labels', `${FIX}labels.txt`, '--top', '3', '--json']).stdout);
  assert.deepEqual(withoutTimings(data.json), withoutTimings(want));
  // rendered in place by the report's renderer: cards carry the CLI's eigenvalues, maps highlight the top samples
  const cards = await page.$$eval('#report section.card', (els) => els.map((e) => Number(e.getAttribute('data-eigenvalue'))));
  assert.deepEqual(
    cards,
    want.modes.map((m) => m.eigenvalue),
  );
  const hl = await page.evaluate(() => JSON.parse(document.querySelector('#map-1').getAttribute('data-highlighted')));
  assert.deepEqual(
    hl,
    want.modes[0].top.map((t) => t.index).sort((a, c) => a - c),
  );
  assert.match(await page.textContent('#report .local'), /nothing left this machine/);
  assert.equal(await page.$$eval('img[src="x"]', (e) => e.length), 0);
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

test('finc (Gaussian, σ auto) in the app equals the CLI', async () => {
  const { page, context, log } = await openApp(b.browser);
  const data = await runIn(page, {
    task: 'finc',
    x: `${FIX}x.npy`,
    y: `${FIX}y-finc.npy`,
    options: { 'kernel-x': 'gaussian', top: '2', 'samples-per-mode': '10' },
  });
  const want = JSON.parse(cli(['finc', `${FIX}x.npy`, `${FIX}y-finc.npy`, '--kernel', 'gaussian', '--top', '2', '--samples-per-mode', '10', '--json']).stdout);
  assert.deepEqual(withoutTimings(data.json), withoutTimings(want));
  assert.equal(data.maps.layouts.length, 1);
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

/** A float32 C-order .npy of deterministic pseudo-random values. */
function writeNpy(path, rows, cols, seed) {
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  const h = Buffer.from(`${header}${' '.repeat(pad)}\n`, 'latin1');
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  const data = new Float32Array(rows * cols);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  writeFileSync(path, Buffer.concat([pre, h, Buffer.from(data.buffer)]));
}

test('cancel stops a long run (the worker is terminated) and another run then completes', async () => {
  const big = [join(dir, 'bx.npy'), join(dir, 'by.npy')];
  writeNpy(big[0], 20000, 64, 1);
  writeNpy(big[1], 20000, 64, 2);
  const { page, context, log } = await openApp(b.browser);
  await page.check('#task-compare');
  await page.setInputFiles('#file-x', big[0]);
  await page.setInputFiles('#file-y', big[1]);
  await page.selectOption('#kernel-x', 'gaussian');
  await page.selectOption('#kernel-y', 'gaussian');
  await page.selectOption('#method', 'covariance');
  await page.fill('#rff-x', '2000');
  await page.fill('#rff-y', '2000');
  await page.click('#run');
  await page.waitForFunction(() => window.specApp.state === 'running' && document.querySelector('#progress').value > 0, null, { timeout: 60_000 });
  assert.equal(await page.isEnabled('#cancel'), true);
  await page.click('#cancel');
  assert.equal(await page.evaluate(() => window.specApp.state), 'cancelled');
  assert.equal(await page.textContent('#status'), 'cancelled');
  assert.equal(await page.isEnabled('#run'), true);
  const data = await runIn(page, {
    task: 'compare',
    x: `${FIX}x.npy`,
    y: `${FIX}y.npy`,
    options: { 'kernel-x': 'cosine', 'kernel-y': 'cosine', method: 'auto', top: '2' },
  });
  const want = JSON.parse(cli(['compare', `${FIX}x.npy`, `${FIX}y.npy`, '--top', '2', '--json']).stdout);
  assert.deepEqual(withoutTimings(data.json), withoutTimings(want));
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

test('bad input gets one clear message on the page', async () => {
  const { page, context } = await openApp(b.browser);
  await page.setInputFiles('#file-x', `${FIX}x.npy`);
  await page.setInputFiles('#file-y', `${FIX}labels.txt`);
  await page.click('#run');
  await page.waitForFunction(() => window.specApp.state === 'error');
  assert.match(await page.textContent('#error'), /labels\.txt/);
  assert.doesNotMatch(await page.textContent('#error'), /--/);
  await context.close();
});

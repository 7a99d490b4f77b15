// The app's options in real headless Chromium (offline, from file://): per-side kernels
// reach the analysis as the library's options do; each task shows only its options; an
// .npz holding X and Y under different names serves both sides; align's W and bias
// download as .npy files equal to the library's; picked images become the right rows'
// thumbnails; messages never give command-line advice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { align, compare } from '../../dist/index.js';
import { parseNpy } from '../../dist/io.js';
import { FIX, cli, launch } from './page-helpers.mjs';
import { fill, openApp, readNpy, run, runIn } from './app-helpers.mjs';

let dir, b;
const npy = (name) => parseNpy(new Uint8Array(readFileSync(`${FIX}${name}`)), name);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spec-embed-app-options-'));
  b = await launch();
});

after(async () => {
  await b?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Eigenvalues within 1e-12 (relative) and the same top samples, mode by mode. */
function sameModes(got, want) {
  assert.equal(got.length, want.length);
  got.forEach((m, i) => {
    assert.equal(m.side, want[i].side);
    assert.ok(Math.abs(m.eigenvalue - want[i].eigenvalue) <= 1e-12 * Math.abs(want[i].eigenvalue), `mode ${i}: ${m.eigenvalue} vs ${want[i].eigenvalue}`);
    assert.deepEqual(
      m.top.map((t) => t.index),
      want[i].top.map((t) => t.index),
    );
  });
}

test('per-side kernels, σ and random features reach the analysis: the app equals the library given those options', async () => {
  const { page, context, log } = await openApp(b.browser);
  const X = npy('x.npy'),
    Y = npy('y.npy');
  const d1 = await runIn(page, {
    task: 'compare',
    x: `${FIX}x.npy`,
    y: `${FIX}y.npy`,
    options: { 'kernel-x': 'gaussian', 'sigma-x': '2.5', 'kernel-y': 'linear', top: '3' },
  });
  const w1 = await compare(X, Y, { kernelX: { type: 'gaussian', sigma: 2.5 }, kernelY: 'linear', topK: 3 });
  assert.deepEqual(d1.json.kernelX, { type: 'gaussian', sigma: 2.5 });
  assert.deepEqual(d1.json.kernelY, { type: 'linear' });
  sameModes(d1.json.modes, w1.modes);
  assert.ok(Math.abs(d1.json.specDiff.norm - w1.specDiff.norm) <= 1e-12 * w1.specDiff.norm);

  const d2 = await runIn(page, {
    task: 'compare',
    options: {
      'kernel-x': 'gaussian',
      'sigma-x': 'auto',
      'rff-x': '64',
      'kernel-y': 'gaussian',
      'sigma-y': '3',
      'rff-y': '128',
      method: 'covariance',
      seed: '5',
    },
  });
  const w2 = await compare(X, Y, {
    kernelX: { type: 'gaussian', sigma: 'auto', rffDim: 64 },
    kernelY: { type: 'gaussian', sigma: 3, rffDim: 128 },
    method: 'covariance',
    seed: 5,
    topK: 3,
  });
  assert.equal(d2.json.kernelX.rffDim, 64);
  assert.equal(d2.json.kernelY.rffDim, 128);
  assert.equal(d2.json.kernelX.sigma, w2.kernelX.sigma);
  assert.equal(d2.json.kernelY.sigma, 3);
  sameModes(d2.json.modes, w2.modes);
  assert.deepEqual(d2.sigmaAuto, { x: true, y: false });
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

const visible = (page, ids) => Promise.all(ids.map((id) => page.isVisible(`#${id}`)));

test('each task shows only its options (and a σ only for a Gaussian side); the task choices are never cut off', async () => {
  const { page, context } = await openApp(b.browser);
  const check = async (task, shown, hidden) => {
    await page.check(`#task-${task}`);
    assert.deepEqual(
      await visible(page, shown),
      shown.map(() => true),
      `${task} shows ${shown}`,
    );
    assert.deepEqual(
      await visible(page, hidden),
      hidden.map(() => false),
      `${task} hides ${hidden}`,
    );
  };
  const TRAIN = ['objective', 'epochs', 'lr', 'beta', 'batch', 'holdout', 'patience', 'dim', 'bias'];
  await fill(page, { task: 'compare', x: `${FIX}x.npy`, y: `${FIX}y.npy` });
  await check(
    'compare',
    ['file-x', 'file-y', 'labels-x', 'images-x-files', 'images-x-folder', 'kernel-x', 'kernel-y', 'method', 'eta', 'top', 'samples-per-mode', 'seed'],
    ['labels-y', 'images-y-files', 'sigma-x', 'rff-x', 'sigma-y', 'key-x', 'key-y', 'header', 'index-col', ...TRAIN],
  );
  await page.selectOption('#kernel-y', 'gaussian');
  await check('compare', ['sigma-y', 'rff-y'], ['sigma-x', 'rff-x']);
  await page.selectOption('#kernel-x', 'gaussian');
  await check('finc', ['labels-y', 'images-y-files', 'kernel-x', 'sigma-x', 'rff-x', 'method', 'eta'], ['kernel-y', 'sigma-y', 'rff-y', ...TRAIN]);
  assert.equal((await page.textContent('label:has(#kernel-x) span')).trim(), 'kernel (both sets)');
  await check('align', ['kernel-x', 'sigma-x', 'top', 'seed', ...TRAIN], ['kernel-y', 'sigma-y', 'rff-x', 'method', 'eta', 'labels-y', 'images-y-files']);
  const csv = join(dir, 'x.csv');
  writeFileSync(csv, '0.5,1\n2,3\n');
  await page.setInputFiles('#file-x', csv);
  await check('align', ['header', 'index-col'], []);
  // the CSV options reach the reader: line 1 of 0,1,2 is pandas' header (detected) or data, as the form says
  const rows = (k) => Array.from({ length: 20 }, (_, i) => [i === 0 ? '0,1,2' : `${(i * k) % 7},${(i * 3) % 5},${i % 4}`]).join('\n');
  writeFileSync(join(dir, 'a.csv'), rows(2));
  writeFileSync(join(dir, 'b.csv'), rows(3));
  await fill(page, { task: 'compare', x: join(dir, 'a.csv'), y: join(dir, 'b.csv'), options: { 'kernel-x': 'linear', 'kernel-y': 'linear', top: '1' } });
  let s;
  for (const [header, n] of [
    ['', 19],
    ['data', 20],
    ['header', 19],
  ]) {
    await page.selectOption('#header', header);
    s = await run(page);
    assert.equal(s.state, 'done', s.error);
    assert.equal(await page.evaluate(() => window.specApp.data.json.n), n, header);
  }
  for (const width of [1280, 520]) {
    await page.setViewportSize({ width, height: 900 });
    const cut = await page.$$eval(
      '.task, .task *',
      (els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1).length,
    );
    assert.equal(cut, 0, `no task choice is cut off at ${width} px`);
  }
  await context.close();
});

test('an .npz holding X and Y under other names: each side lists the arrays and picks its own', async () => {
  const arch = join(dir, 'both.npz');
  writeFileSync(arch, zipSync({ 'emb_a.npy': readFileSync(`${FIX}x.npy`), 'emb_b.npy': readFileSync(`${FIX}y.npy`) }, { level: 0 }));
  const { page, context, log } = await openApp(b.browser);
  await fill(page, { task: 'compare', x: arch, y: arch, options: { top: '3' } });
  await page.waitForFunction(() => document.querySelectorAll('#key-y option').length === 3);
  assert.deepEqual(await page.$$eval('#key-x option', (o) => o.map((e) => e.value)), ['', 'emb_a', 'emb_b']);
  assert.equal(await page.isVisible('#key-x'), true);
  // not chosen: the form says which field to set, in its own words
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#error').textContent !== '');
  assert.equal(await page.evaluate(() => window.specApp.runs), 0, 'no run starts');
  const msg = await page.textContent('#error');
  assert.match(msg, /both\.npz holds 2 arrays: choose which is X under “X: array in the \.npz archive”/);
  assert.doesNotMatch(msg, /--/);
  await page.selectOption('#key-x', 'emb_a');
  await page.selectOption('#key-y', 'emb_b');
  const s = await run(page);
  assert.equal(s.state, 'done', s.error);
  const data = await page.evaluate(() => window.specApp.data);
  const want = JSON.parse(cli(['compare', `${FIX}x.npy`, `${FIX}y.npy`, '--top', '3', '--json']).stdout);
  assert.deepEqual(data.json.modes, want.modes);
  assert.deepEqual(data.json.specDiff, want.specDiff);
  // arrays named for their side are chosen at once
  const named = join(dir, 'named.npz');
  writeFileSync(named, zipSync({ 'Y.npy': readFileSync(`${FIX}y.npy`), 'X.npy': readFileSync(`${FIX}x.npy`) }));
  await fill(page, { task: 'compare', x: named, y: named });
  await page.waitForFunction(() => document.querySelector('#key-y').value === 'Y');
  assert.equal(await page.inputValue('#key-x'), 'X');
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

test("align: W and the bias download as .npy files holding the library's map", async () => {
  const { page, context, log } = await openApp(b.browser);
  const data = await runIn(page, { task: 'align', x: `${FIX}x.npy`, y: `${FIX}y.npy`, options: { epochs: '3', seed: '1', bias: true, dim: '5' } });
  assert.equal(data.task, 'align');
  const want = await align(npy('x.npy'), npy('y.npy'), { epochs: 3, seed: 1, bias: true, dim: 5 });
  const save = async (id) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}`)]);
    return { name: dl.suggestedFilename(), ...readNpy(await dl.path()) };
  };
  const W = await save('download-w');
  assert.equal(W.name, 'W.npy');
  assert.deepEqual(W.shape, [want.dim, want.dy]);
  assert.deepEqual(W.values, want.W);
  const bias = await save('download-bias');
  assert.equal(bias.name, 'W.bias.npy');
  assert.deepEqual(bias.shape, [5]);
  assert.deepEqual(bias.values, want.bias);
  // beside the JSON export, in the report's toolbar
  assert.deepEqual(await page.$$eval('#report .toolbar button', (bs) => bs.map((e) => e.id)), ['export-json', 'download-w', 'download-bias']);
  // the page gives no command-line advice (the report's hint names the form's field)
  assert.doesNotMatch(await page.textContent('#app'), /(^|[\s(])--[a-z]/);
  // compare has no map to download
  await runIn(page, { task: 'compare' });
  assert.doesNotMatch(await page.textContent('#app'), /(^|[\s(])--[a-z]/);
  assert.equal(await page.$$eval('#download-w', (e) => e.length), 0);
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

/** A 2 × 2 RGB PNG whose colour encodes `i`. */
function png(i) {
  const chunk = (type, body) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const tb = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(tb));
    return Buffer.concat([len, tb, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const px = [i & 255, (i >> 8) & 255, 128];
  const raw = Buffer.from([0, ...px, ...px, 0, ...px, ...px]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('images: a list names each row’s picked image (as the CLI’s images file); without one, a folder’s images go in name order', async () => {
  const n = 300;
  const imgs = join(dir, 'imgs');
  mkdirSync(imgs);
  const paths = Array.from({ length: n }, (_, i) => join(imgs, `img-${i}.png`));
  paths.forEach((p, i) => writeFileSync(p, png(i)));
  const uri = (i) => `data:image/png;base64,${png(i).toString('base64')}`;
  // row i shows image (7i mod n); rows 0 and 1 name a URL (never fetched) and nothing
  const lines = Array.from({ length: n }, (_, i) => `imgs/img-${(7 * i) % n}.png`);
  lines[0] = 'https://example.com/a.png';
  lines[1] = '';
  const list = join(dir, 'list.txt');
  writeFileSync(list, `${lines.join('\n')}\n`);
  const { page, context, log } = await openApp(b.browser);
  await fill(page, { task: 'compare', x: `${FIX}x.npy`, y: `${FIX}y.npy`, options: { top: '2', 'samples-per-mode': '5' } });
  await page.setInputFiles('#images-x', [...paths, list]);
  let s = await run(page);
  assert.equal(s.state, 'done', s.error);
  let data = await page.evaluate(() => window.specApp.data);
  const keys = Object.keys(data.thumbs);
  assert.ok(keys.length >= 10, `${keys.length} thumbnails`);
  for (const k of keys) {
    const row = Number(k.split(':')[1]);
    assert.ok(row > 1, 'rows 0 and 1 have no image');
    assert.equal(data.thumbs[k], uri((7 * row) % n), `row ${row}`);
  }
  for (const m of data.json.modes) for (const t of m.top) if (t.index > 1) assert.ok(`0:${t.index}` in data.thumbs);
  const notes = await page.evaluate(() => window.specApp.notes);
  assert.deepEqual(notes, ['images: 2 of 300 rows have no picked image (lines 1, 2)']);
  // a folder, no list: row i is the i-th image in name order (img-2 before img-10)
  await page.setInputFiles('#images-x', []);
  await page.setInputFiles('#images-x-dir', imgs); // picking a folder drops the files
  assert.equal(await page.textContent('#images-x-status'), '300 files chosen');
  s = await run(page);
  assert.equal(s.state, 'done', s.error);
  data = await page.evaluate(() => window.specApp.data);
  for (const [k, v] of Object.entries(data.thumbs)) assert.equal(v, uri(Number(k.split(':')[1])), k);
  // too few images and no list: the form's own words
  await page.setInputFiles('#images-x', paths.slice(0, 9)); // picking files drops the folder
  assert.equal(await page.textContent('#images-x-status'), '9 files chosen');
  s = await run(page);
  assert.equal(s.state, 'error');
  assert.equal(
    s.error,
    'images: 9 images picked but there are 300 rows; pick one image per row (taken in file-name order), or add a list file naming one image per row',
  );
  assert.deepEqual(log, { requests: [], errors: [], dialogs: [] });
  await context.close();
});

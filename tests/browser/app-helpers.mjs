// Shared by the app suites: open dist/app.html offline, fill the form, run a task.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ROOT, offlinePage } from './page-helpers.mjs';

export async function openApp(browser) {
  const p = await offlinePage(browser);
  await p.page.goto(`file://${ROOT}dist/app.html`);
  await p.page.waitForSelector('#run');
  return p;
}

const SELECTS = new Set(['kernel-x', 'kernel-y', 'method', 'objective', 'key-x', 'key-y', 'header', 'index-col']);

/** Sets the task, the files and the options (by element id), without running. */
export async function fill(page, { task, x, y, labels, options = {} }) {
  await page.check(`#task-${task}`);
  if (x) await page.setInputFiles('#file-x', x);
  if (y) await page.setInputFiles('#file-y', y);
  if (labels) await page.setInputFiles('#labels-x', labels);
  for (const [id, v] of Object.entries(options)) {
    if (SELECTS.has(id)) await page.selectOption(`#${id}`, v);
    else if (typeof v === 'boolean') await page.setChecked(`#${id}`, v);
    else await page.fill(`#${id}`, v);
  }
}

/** Clicks Run and waits for the run to end; returns { state, error }. */
export async function run(page) {
  const runs = await page.evaluate(() => window.specApp.runs);
  await page.click('#run');
  await page.waitForFunction((n) => window.specApp.runs > n && window.specApp.state !== 'running', runs, { timeout: 120_000 });
  return page.evaluate(() => ({ state: window.specApp.state, error: window.specApp.error }));
}

/** Fills the form, runs, and returns the report data (the run must succeed). */
export async function runIn(page, spec) {
  await fill(page, spec);
  const s = await run(page);
  assert.equal(s.state, 'done', s.error);
  return page.evaluate(() => window.specApp.data);
}

/** A float32 C-order .npy file's shape and values (the header as npy-write.ts and NumPy write it). */
export function readNpy(path) {
  const b = readFileSync(path);
  assert.deepEqual([...b.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 'a .npy v1.0 file');
  const len = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + len).toString('latin1');
  assert.match(header, /'descr': '<f4', 'fortran_order': False/);
  const shape = header
    .match(/'shape': \(([^)]*)\)/)[1]
    .split(',')
    .filter((s) => s.trim() !== '')
    .map(Number);
  const data = b.subarray(10 + len);
  const values = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
  return { shape, values };
}

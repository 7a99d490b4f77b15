// Regenerates the README's screenshots in docs/: the demo's compare report and
// the in-browser app after a compare run on the report fixtures. Needs a build
// (dist/) and the mnist devDependency; drives Chromium like the browser suite.
//   node scripts/screenshots.mjs [--reuse DIR]   (DIR: an existing demo output)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { resolveChromium, LAUNCH_ARGS } from '../tests/browser/chromium.mjs';

const ROOT = new URL('../', import.meta.url).pathname;
const reuse = process.argv[2] === '--reuse' ? resolve(process.argv[3]) : undefined;
const dir = reuse ?? mkdtempSync(join(tmpdir(), 'spec-embed-shots-'));
if (!reuse) {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'demo', '--task', 'compare'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
mkdirSync(join(ROOT, 'docs'), { recursive: true });
const chrome = await resolveChromium();
// The system's fontconfig when it has fonts (the bundled Chromium's own font dir may be empty).
const env = { ...chrome.env };
if (existsSync('/etc/fonts/fonts.conf')) delete env.FONTCONFIG_PATH;
const browser = await chromium.launch({ executablePath: chrome.executablePath, env, args: LAUNCH_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
  await page.goto(`file://${join(dir, 'spec-embed-demo.html')}`);
  await page.waitForFunction(() => window.specReport !== undefined);
  await page.click('.chooser button[data-mode="x1"]');
  await page.waitForTimeout(300);
  const maps = await page.$('h2:text("Maps")');
  await maps.scrollIntoViewIfNeeded();
  const y = await maps.evaluate((e) => e.getBoundingClientRect().top + window.scrollY - 10);
  await page.screenshot({ path: join(ROOT, 'docs/report-maps.png'), fullPage: true, clip: { x: 0, y, width: 1280, height: 1100 } });
  await page.screenshot({ path: join(ROOT, 'docs/report-top.png'), clip: { x: 0, y: 0, width: 1280, height: 760 } });

  const app = await browser.newPage({ viewport: { width: 1280, height: 1300 } });
  await app.goto(`file://${join(ROOT, 'dist/app.html')}`);
  const fx = join(ROOT, 'tests/fixtures/report');
  await app.setInputFiles('#file-x', join(fx, 'x.npy'));
  await app.setInputFiles('#file-y', join(fx, 'y.npy'));
  await app.setInputFiles('#labels-x', join(fx, 'labels.txt'));
  await app.fill('#top', '3');
  await app.click('#run');
  await app.waitForFunction(() => window.specApp.state === 'done', null, { timeout: 120_000 });
  await app.waitForTimeout(300);
  await app.screenshot({ path: join(ROOT, 'docs/app.png'), clip: { x: 0, y: 0, width: 1280, height: 1300 } });
  console.log('wrote docs/report-top.png, docs/report-maps.png, docs/app.png');
} finally {
  await browser.close();
  chrome.cleanup();
  if (!reuse) rmSync(dir, { recursive: true, force: true });
}

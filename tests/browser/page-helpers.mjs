// Shared by the report and app suites: run the CLI, launch Chromium (see
// chromium.mjs), and open pages from file:// with every network request aborted.
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { resolveChromium, LAUNCH_ARGS } from './chromium.mjs';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const FIX = `${ROOT}tests/fixtures/report/`;

export function cli(args) {
  const r = spawnSync(process.execPath, [`${ROOT}dist/cli.js`, ...args], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) throw new Error(`spec-embed ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}

export async function launch() {
  const chrome = await resolveChromium();
  const browser = await chromium.launch({ executablePath: chrome.executablePath, env: chrome.env, args: LAUNCH_ARGS });
  return {
    browser,
    close: async () => {
      await browser.close();
      chrome.cleanup();
    },
  };
}

/**
 * A page in a fresh offline context: any request other than the file:// page
 * itself is aborted and recorded; console errors, page errors and dialogs
 * (an alert from an injected label) are recorded too.
 */
export async function offlinePage(browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  await context.setOffline(true);
  const log = { requests: [], errors: [], dialogs: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    log.requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('dialog', (d) => {
    log.dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, context, log };
}

// Timings differ run to run; an input's name is the path the CLI was given, the file's own name in the app.
export const withoutTimings = ({ timings, ...rest }) =>
  rest.files ? { ...rest, files: Object.fromEntries(Object.entries(rest.files).map(([k, f]) => [k, { ...f, name: f.name.split('/').pop() }])) } : rest;

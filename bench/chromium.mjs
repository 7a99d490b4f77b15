// B1 in headless Chromium against Node, in one script: the target is Chromium
// running B1 (in memory, 2 workers) within 1.3× of Node's time. The page imports
// dist/index.js from the browser suite's static server and runs compare() with
// `threads: 2`, i.e. on two Web Workers; this process runs the same call on two
// worker_threads. Both read the same .npy files (bench/python/make_bench_data.py)
// before any clock starts, so data loading is never timed. Each side gets one
// untimed warm-up run (wasm compilation, worker start, JIT), then the timed runs
// alternate Node, Chromium, Chromium, Node, … so that a change in the machine's
// load hits both sides alike. Prints one JSON line (the samples, medians, the
// ratio Chromium/Node and the largest relative difference between the results).
//
//   node bench/chromium.mjs '{"dir":…,"options":{…},"reps":3}'
// (bench/run.mjs calls it: `node bench/run.mjs --only chromium`)
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { resolveChromium, LAUNCH_ARGS } from '../tests/browser/chromium.mjs';
import { serve } from '../tests/browser/server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { dir, options, reps } = JSON.parse(process.argv[2]);
const log = (...a) => console.error(...a);

const lib = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href);
const io = await import(pathToFileURL(join(ROOT, 'dist/io.js')).href);

/** What is compared across runtimes, and how long the call took. */
const summary = (r, seconds) => ({ seconds, threads: r.threads ?? 1, specDiff: r.specDiff, eigenvalues: Array.from(r.eigenvalues), timings: r.timings });

// CPU seconds (all threads) beside wall seconds: on a shared machine they move
// far less with other load. Chromium's are those of every process this one
// started (browser, renderer with its workers, utilities), read from /proc.
let ticks = 100;
try {
  ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
} catch {
  /* the usual value */
}
function descendantsCpuSeconds() {
  let procs;
  try {
    procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const parent = new Map(),
    cpu = new Map();
  for (const pid of procs) {
    try {
      // The command name may hold spaces or parentheses: fields are counted after the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(pid), Number(f[1]));
      cpu.set(Number(pid), (Number(f[11]) + Number(f[12])) / ticks);
    } catch {
      /* exited meanwhile */
    }
  }
  let sum = 0;
  for (const [pid, c] of cpu) {
    for (let p = parent.get(pid); p > 1; p = parent.get(p))
      if (p === process.pid) {
        sum += c;
        break;
      }
  }
  return sum;
}

// ---------- Node side (this process) ----------
const load = (f) => io.parseNpy(new Uint8Array(readFileSync(join(dir, f))), f);
const X = load('X.npy'),
  Y = load('Y.npy');
await lib.init();
async function nodeRun() {
  const t0 = performance.now(),
    c0 = process.cpuUsage();
  const r = await lib.compare(X, Y, options);
  const seconds = (performance.now() - t0) / 1000,
    c = process.cpuUsage(c0);
  return { ...summary(r, seconds), cpu: (c.user + c.system) / 1e6 };
}

// ---------- Chromium side ----------
const chrome = await resolveChromium();
const server = await serve(ROOT);
let browser;
try {
  browser = await chromium.launch({ executablePath: chrome.executablePath, env: chrome.env, args: LAUNCH_ARGS });
  const page = await browser.newPage();
  page.on('pageerror', (e) => log('page error:', e));
  // The data files live outside the served root: the page asks for /bench-data/X.npy and gets DIR/X.npy.
  await page.route('**/bench-data/*.npy', (route) =>
    route.fulfill({ path: join(dir, String(new URL(route.request().url()).pathname.split('/').pop())), contentType: 'application/octet-stream' }),
  );
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => /** @type {any} */ (window).ready === true);
  const info = await page.evaluate(async () => {
    const window = /** @type {any} */ (globalThis); // the test page's globals: lib, io, benchX, benchY
    const load = async (f) => window.io.parseNpy(new Uint8Array(await (await fetch(`/bench-data/${f}`)).arrayBuffer()), f);
    window.benchX = await load('X.npy');
    window.benchY = await load('Y.npy');
    return {
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated: self.crossOriginIsolated,
      rows: window.benchX.rows,
    };
  });
  if (info.rows !== X.rows) throw new Error(`the page read ${info.rows} rows, Node ${X.rows}`);
  const browserRun = async () => {
    const c0 = descendantsCpuSeconds();
    const r = await pageRun();
    const c1 = descendantsCpuSeconds();
    return { ...r, cpu: c0 == null || c1 == null ? null : c1 - c0 };
  };
  const pageRun = () =>
    page.evaluate(async (options) => {
      const window = /** @type {any} */ (globalThis);
      const t0 = performance.now();
      const r = await window.lib.compare(window.benchX, window.benchY, options);
      const seconds = (performance.now() - t0) / 1000;
      return { seconds, threads: r.threads ?? 1, specDiff: r.specDiff, eigenvalues: Array.from(r.eigenvalues), timings: r.timings };
    }, options);

  const sides = { node: nodeRun, chromium: browserRun };
  /** @type {Record<'node' | 'chromium', any[]>} */
  const samples = { node: [], chromium: [] };
  for (const side of ['node', 'chromium']) {
    const w = await sides[side]();
    log(`  B1 chromium-vs-node warm-up ${side}: ${w.seconds.toFixed(3)} s (${w.threads} thread${w.threads > 1 ? 's' : ''})`);
  }
  for (let rep = 0; rep < reps; rep++) {
    // ABBA order: neither side always runs first after the other's run.
    for (const side of rep % 2 ? ['chromium', 'node'] : ['node', 'chromium']) {
      const s = await sides[side]();
      samples[side].push(s);
      log(`  B1 chromium-vs-node rep ${rep + 1}/${reps} ${side}: ${s.seconds.toFixed(3)} s${s.cpu == null ? '' : `, CPU ${s.cpu.toFixed(2)} s`}`);
    }
  }

  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const h = s.length >> 1;
    return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
  };
  const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
  // Every Chromium run against every Node run: specDiff's three numbers and all reported eigenvalues.
  let maxRelDiff = 0;
  for (const c of samples.chromium) {
    for (const n of samples.node) {
      if (c.eigenvalues.length !== n.eigenvalues.length) throw new Error(`Chromium found ${c.eigenvalues.length} eigenvalues, Node ${n.eigenvalues.length}`);
      for (const k of ['xNotY', 'yNotX', 'norm']) maxRelDiff = Math.max(maxRelDiff, rel(c.specDiff[k], n.specDiff[k]));
      c.eigenvalues.forEach((v, i) => {
        maxRelDiff = Math.max(maxRelDiff, rel(v, n.eigenvalues[i]));
      });
    }
  }
  const out = (side) => ({
    seconds: median(samples[side].map((s) => s.seconds)),
    samples: samples[side].map((s) => s.seconds),
    cpu: samples[side][0].cpu == null ? null : median(samples[side].map((s) => s.cpu)),
    cpuSamples: samples[side].map((s) => s.cpu),
    threads: samples[side][0].threads,
    timings: Object.fromEntries(Object.keys(samples[side][0].timings).map((k) => [k, median(samples[side].map((s) => s.timings[k] ?? 0))])),
  });
  const node = out('node'),
    chromiumSide = out('chromium');
  const first = samples.node[0];
  process.stdout.write(
    `${JSON.stringify({
      node,
      chromium: {
        ...chromiumSide,
        browser: `${chrome.source}; ${info.userAgent}`,
        hardwareConcurrency: info.hardwareConcurrency,
        crossOriginIsolated: info.crossOriginIsolated,
      },
      ratio: chromiumSide.seconds / node.seconds,
      cpuRatio: chromiumSide.cpu == null ? null : chromiumSide.cpu / node.cpu,
      maxRelDiff,
      specDiff: first.specDiff,
      eigenvalues: first.eigenvalues,
    })}\n`,
  );
} finally {
  lib.terminateWorkers();
  await browser?.close();
  server.close();
  chrome.cleanup();
}

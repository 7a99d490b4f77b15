// The README's edge-function snippet in Cloudflare's own runtime, workerd (the
// devDependency), not an emulation: the packed package bundled as Wrangler does
// (the .wasm import left to the platform, which compiles it at load time), served
// by workerd with a generated config, fetched, and compared with the same calls
// in Node. workerd has no Web Worker, and its node:worker_threads (nodejs_compat,
// the default for a current compatibility date) cannot start one, so `threads: 2`
// must fall back to one thread: results bit-identical to Node's one-thread run,
// `threads` absent. The full entry's `init()` compiles its embedded bytes, which
// workerd forbids: its error must name the way that works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { build } from 'esbuild';
import { consumerProject, run, write } from './packed.mjs';

const require = createRequire(import.meta.url);

/** Platforms workerd ships a binary for (its optional @cloudflare/workerd-* packages); the Linux ones need glibc. */
const SHIPPED = ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'win32-x64'];
function unsupported() {
  const platform = `${process.platform}-${process.arch}`;
  if (!SHIPPED.includes(platform)) return `workerd ships no binary for ${platform}`;
  if (process.platform === 'linux' && !process.report?.getReport().header.glibcVersionRuntime) return 'workerd needs glibc (this Linux has none)';
  return false;
}

/** Seeded data, so that every run compares the same numbers: three blobs in X that Y (fewer dimensions) merges in two, Z another mix of X's. */
function data() {
  let s = 12345;
  const uniform = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const blob = (centre, d) => Array.from({ length: d }, (_, j) => (j === centre % d ? 3 : 0) + normal());
  // n > 1024 rows (one internal chunk): only then does `threads: 2` ask for two workers.
  const labels = Array.from({ length: 1536 }, (_, i) => i % 3);
  return {
    X: labels.map((c) => blob(c, 6)),
    Y: labels.map((c) => blob(Math.min(c, 1), 4)),
    Z: Array.from({ length: 1100 }, (_, i) => blob(i % 4 === 0 ? 0 : 2, 6)),
  };
}

const FILES = {
  'package.json': { type: 'module' },
  // The calls both runtimes make; every number of the results (typed arrays as arrays), timings left out (workerd
  // freezes clocks), and the solver's reason too: its cost estimates name the threads the runtime offered.
  'calls.mjs': `export async function calls({ compare, finc }, { X, Y, Z, threads }) {
  const options = { method: 'covariance', kernel: { type: 'gaussian', sigma: 1.5, rffDim: 64 }, topK: 3, samplesPerMode: 5, returnScores: true, seed: 7, threads };
  const results = { compare: await compare(X, Y, options), finc: await finc(X, Z, options) };
  return JSON.stringify(results, (key, v) => (key === 'timings' || key === 'solverReason' ? undefined : ArrayBuffer.isView(v) ? Array.from(v) : v));
}
`,
  // The README snippet, verbatim, at the top of a module Worker.
  'worker.mjs': `import wasmModule from 'spec-embed/spec-embed.wasm';  // a precompiled WebAssembly.Module
import { init, compare, finc } from 'spec-embed/slim';
import { calls } from './calls.mjs';
await init({ module: wasmModule });

export default {
  async fetch(request) {
    try {
      return new Response(await calls({ compare, finc }, await request.json()));
    } catch (e) {
      return new Response(String(e?.stack ?? e), { status: 500 });
    }
  },
};
`,
  'embedded.mjs': `import { init } from 'spec-embed';

export default {
  async fetch() {
    try {
      await init();
      return Response.json({ loaded: true });
    } catch (e) {
      return Response.json({ message: e.message, cause: e.cause?.name });
    }
  },
};
`,
  'node.mjs': `import { readFileSync } from 'node:fs';
import { compare, finc } from 'spec-embed';
import { calls } from './calls.mjs';
const body = JSON.parse(readFileSync(0, 'utf8'));
for (const threads of [1, 2]) console.log(await calls({ compare, finc }, { ...body, threads }));
`,
};

/** Bundles as Wrangler does: everything inlined but the .wasm import, which stays a module of the Worker (returns the .wasm's path). */
async function bundle(dir, entry, outfile) {
  let wasm = null;
  const wasmModule = {
    name: 'wasm-module',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, async (a) => {
        if (a.pluginData?.inner) return undefined;
        const r = await b.resolve(a.path, { kind: a.kind, resolveDir: a.resolveDir, pluginData: { inner: true } }); // through the exports map
        wasm = r.path;
        return { path: './spec-embed.wasm', external: true, errors: r.errors };
      });
    },
  };
  await build({
    absWorkingDir: dir,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    plugins: [wasmModule],
    logLevel: 'warning',
  });
  return wasm;
}

/**
 * Three Workers in one workerd: the snippet under an old compatibility date (no `process`
 * at all) and under workerd's own current date (nodejs_compat by default), and the full
 * entry. Every socket on port 0: workerd reports the ports on its control descriptor.
 */
function config(wasm, currentDate) {
  const snippet = (date) => `(
    modules = [ (name = "worker.js", esModule = embed "out/worker.js"), (name = "spec-embed.wasm", wasm = embed ${JSON.stringify(wasm)}) ],
    compatibilityDate = "${date}" )`;
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "classic", worker = ${snippet('2025-01-01')}),
    (name = "current", worker = ${snippet(currentDate)}),
    (name = "embedded", worker = ( modules = [ (name = "worker.js", esModule = embed "out/embedded.js") ], compatibilityDate = "${currentDate}" )),
  ],
  sockets = [
    (name = "classic", address = "127.0.0.1:0", http = (), service = "classic"),
    (name = "current", address = "127.0.0.1:0", http = (), service = "current"),
    (name = "embedded", address = "127.0.0.1:0", http = (), service = "embedded"),
  ],
);
`;
}

/** Starts workerd (killed when the test ends, however it ends) and resolves with the port of each socket. */
function serve(t, binary, dir) {
  const child = spawn(binary, ['serve', 'config.capnp', '--control-fd=3'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const ports = {};
    let control = '';
    const timer = setTimeout(() => reject(new Error(`workerd did not listen within 10 s:\n${stderr}`)), 10_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`workerd exited (${code}):\n${stderr}`));
    });
    child.stdio[3].on('data', (d) => {
      control += d;
      for (const line of control.split('\n').slice(0, -1)) {
        const m = JSON.parse(line);
        if (m.event === 'listen') ports[m.socket] = m.port;
      }
      if (Object.keys(ports).length === 3) {
        clearTimeout(timer);
        resolve(ports);
      }
    });
  });
}

test('the edge snippet in workerd: bit-identical to Node, threads fall back to one; init() of the full entry says what to use', {
  skip: unsupported(),
  timeout: 60_000,
}, async (t) => {
  const binary = require('workerd').default;
  const { compatibilityDate } = require('workerd');
  const version = run(binary, ['--version']);
  assert.equal(version.status, 0, `workerd cannot run here:\n${version.out}`);

  const dir = consumerProject(t);
  write(dir, FILES);
  const wasm = await bundle(dir, 'worker.mjs', 'out/worker.js');
  assert.ok(wasm, 'the bundle imports no .wasm');
  await bundle(dir, 'embedded.mjs', 'out/embedded.js');
  write(dir, { 'config.capnp': config(relative(dir, wasm), compatibilityDate) });
  const listening = serve(t, binary, dir);

  const body = JSON.stringify(data());
  const node = run(process.execPath, ['node.mjs'], { cwd: dir, input: body });
  assert.equal(node.status, 0, node.out);
  const [one, two] = node.out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  // In Node the same call runs on two workers (whose sums round differently): in workerd, one thread is the fallback's doing, not the planner's.
  assert.equal(two.compare.threads, 2);
  assert.equal(two.finc.threads, 2);
  assert.equal(one.compare.threads, undefined);
  assert.ok(one.compare.modes.length > 0 && one.finc.modes.length > 0, 'the data give no modes: nothing is compared');

  const ports = await listening;
  for (const name of ['classic', 'current']) {
    const res = await fetch(`http://127.0.0.1:${ports[name]}/`, { method: 'POST', body: JSON.stringify({ ...JSON.parse(body), threads: 2 }) });
    const text = await res.text();
    assert.equal(res.status, 200, `${name}: ${text}`);
    const got = JSON.parse(text);
    assert.equal(got.compare.threads, undefined, `${name}: compare reports threads ${got.compare.threads}`);
    assert.equal(got.finc.threads, undefined, `${name}: finc reports threads ${got.finc.threads}`);
    assert.deepEqual(got, one, `${name}: workerd's results differ from Node's one-thread run`);
  }

  const embedded = await (await fetch(`http://127.0.0.1:${ports.embedded}/`)).json();
  assert.equal(embedded.cause, 'CompileError', JSON.stringify(embedded));
  assert.match(embedded.message, /forbids compiling WebAssembly from bytes/);
  assert.ok(
    embedded.message.includes(
      "import wasmModule from 'spec-embed/spec-embed.wasm'; import { init } from 'spec-embed/slim'; await init({ module: wasmModule });",
    ),
    embedded.message,
  );
});

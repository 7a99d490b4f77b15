// The package as a consumer receives it: `npm pack` of the current dist/ (once
// per dist/, shared by the package suites), unpacked into node_modules/ of a
// fresh temporary project. No network and no install step: spec-embed has no
// runtime dependency, so unpacking the tarball is what `npm install` would do.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACK_DIR = join(ROOT, 'build', 'package');
/** Our own TypeScript compiler: the consumer projects install nothing. */
export const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * The npm that runs this suite. Under `npm test`, PATH starts with node_modules/.bin,
 * where a devDependency's dependency installs npm 6 (too old for --pack-destination).
 */
const NPM = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? [process.execPath, process.env.npm_execpath] : ['npm'];

function newest(path) {
  const s = statSync(path);
  return s.isDirectory() ? Math.max(s.mtimeMs, ...readdirSync(path).map((n) => newest(join(path, n)))) : s.mtimeMs;
}

/** The tarball of the current dist/, packed again only when dist/, docs/ or a packed file at the top (package.json, README.md, CHANGELOG.md) changed. */
export function tarball() {
  const file = join(PACK_DIR, 'spec-embed.tgz');
  const inputs = Math.max(...['dist', 'docs', 'package.json', 'README.md', 'CHANGELOG.md'].map((f) => newest(join(ROOT, f))));
  if (existsSync(file) && statSync(file).mtimeMs > inputs) return file;
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-pack-'));
  // --ignore-scripts: dist/ is already built (prepack would rebuild it).
  const out = execFileSync(NPM[0], [...NPM.slice(1), 'pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  mkdirSync(PACK_DIR, { recursive: true });
  renameSync(join(dir, out.trim().split('\n').pop()), file);
  rmSync(dir, { recursive: true, force: true });
  return file;
}

/** A temporary project with the packed spec-embed in node_modules (and its `spec-embed` bin); removed by the returned cleanup. */
export function consumerProject(t) {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-consumer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pkg = join(dir, 'node_modules', 'spec-embed');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['xzf', tarball(), '-C', pkg, '--strip-components=1']);
  mkdirSync(join(dir, 'node_modules', '.bin'));
  symlinkSync('../spec-embed/dist/cli.js', join(dir, 'node_modules', '.bin', 'spec-embed'));
  return dir;
}

/** Writes files (path → text) under dir. */
export function write(dir, files) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof text === 'string' ? text : JSON.stringify(text, null, 2));
  }
}

/** Runs a command; returns { status, out } with stdout and stderr together. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, ...opts });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

// Workers import a .wasm file as a compiled WebAssembly.Module and forbid compiling at run time:
// this plugin does the first and then disables WebAssembly.compile/instantiate(bytes)/new Module.
const workersWasm = {
  name: 'workers-wasm',
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, async (a) => {
      if (a.pluginData?.inner) return undefined;
      const r = await b.resolve(a.path, { kind: a.kind, resolveDir: a.resolveDir, pluginData: { inner: true } }); // through the exports map
      return { path: r.path, namespace: 'wasm', errors: r.errors };
    });
    b.onLoad({ filter: /.*/, namespace: 'wasm' }, (a) => ({
      contents: `import { readFileSync } from 'node:fs';
const module = new WebAssembly.Module(readFileSync(${JSON.stringify(a.path)}));
const forbidden = () => { throw new Error('Wasm code generation disallowed by embedder'); };
const instantiate = WebAssembly.instantiate;
WebAssembly.compile = forbidden;
WebAssembly.Module = forbidden;
WebAssembly.instantiate = (source, imports) => (source instanceof module.constructor ? instantiate(source, imports) : forbidden());
export default module;`,
    }));
  },
};

/** Bundles an edge function's entry as a Workers bundler would, into one ES module that Node runs under those rules. */
export async function bundleLikeWorkers(entry, outfile) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    external: ['node:*'],
    plugins: [workersWasm],
    logLevel: 'warning',
  });
}

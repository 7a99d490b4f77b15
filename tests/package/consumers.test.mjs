// The packed package in every consumer set-up the README promises: ESM and CJS
// Node, TypeScript under node16 CommonJS, bundler ESM with DOM, es2022 without
// DOM or Node types, an edge-function bundle that imports the .wasm as a module
// (compiling bytes forbidden, as on Cloudflare Workers), the slim entry, ESM and
// CJS copies in one process; and @arethetypeswrong/cli on the tarball. Every set-up
// reads X with the readers of spec-embed/io. One temporary project, one tsc run
// (tsc -b over the TypeScript set-ups).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, TSC, bundleLikeWorkers, consumerProject, run, tarball, write } from './packed.mjs';

// Reference: the SPEC-diff norm of the probe from NumPy: max |λ| of Λ = (KX − KY)/n, cosine kernels.
const X = [
  [1, 0],
  [0, 1],
  [1, 1],
];
const Y = [
  [1, 2],
  [2, 1],
  [1, 1],
];
function numpyNorm() {
  const py = `import numpy as np
def k(a):
    a = np.array(a, float); a /= np.linalg.norm(a, axis=1, keepdims=True); return a @ a.T
print(repr(float(np.abs(np.linalg.eigvalsh((k(${JSON.stringify(X)}) - k(${JSON.stringify(Y)})) / ${X.length})).max())))`;
  const r = run('python3', ['-c', py]);
  assert.equal(r.status, 0, r.out);
  return Number(r.out);
}

// What every set-up prints: the probe's norm (X read by spec-embed/io), whether bad input is an
// InputError (from compare, and from a reader: the root's class recognises the subpath's), the version.
const PROBE = `
  const x = parseJsonMatrix(${JSON.stringify(JSON.stringify(X))}, 'x.json');
  const r = await compare({ data: x.data, rows: x.rows, cols: x.cols }, ${JSON.stringify(Y)}, { topK: 1 });
  const bad = await compare([[1, NaN]], [[1, 2]]).catch((e: unknown) => e);
  let badFile: unknown;
  try { parseNpy(new Uint8Array([1, 2, 3]), 'bad.npy'); } catch (e) { badFile = e; }
  console.log(JSON.stringify({ norm: r.specDiff.norm, input: bad instanceof InputError && badFile instanceof InputError, version: VERSION }));`;
const IO_ESM = "import { parseJsonMatrix, parseNpy } from 'spec-embed/io';\n";
const jsProbe = PROBE.replace(/: unknown/g, '');
const CONSOLE = 'declare const console: { log(...args: unknown[]): void };\n';
const tsconfig = (options) => ({
  compilerOptions: { target: 'es2022', strict: true, outDir: 'out', rootDir: 'src', skipLibCheck: false, ...options },
  include: ['src'],
});

const SETUPS = {
  'esm-node': {
    'package.json': { type: 'module' },
    'index.mjs': `import { init, compare, InputError, VERSION } from 'spec-embed';\n${IO_ESM}await init();\n${jsProbe}\n`,
  },
  'cjs-node': {
    'package.json': { type: 'commonjs' },
    'index.cjs': `const { init, compare, InputError, VERSION } = require('spec-embed');\nconst { parseJsonMatrix, parseNpy } = require('spec-embed/io');\n(async () => {\nawait init();\n${jsProbe}\n})();\n`,
  },
  // TS1479 here before .d.cts types: a CommonJS file importing an ESM-only declaration.
  'ts-node16-cjs': {
    'package.json': { type: 'commonjs' },
    'tsconfig.json': tsconfig({ module: 'node16', moduleResolution: 'node16', lib: ['es2022'], types: [] }),
    'src/index.ts': `${CONSOLE}import { init, compare, InputError, VERSION, type SpecResult } from 'spec-embed';
import type { InitOptions } from 'spec-embed/slim';
import { parseJsonMatrix, parseNpy, type ParsedMatrix } from 'spec-embed/io';
const parsed: ParsedMatrix = parseJsonMatrix('[[1]]', 'one.json');
void parsed;
const options: InitOptions = {};
async function main(): Promise<void> {
  await init(options);
  const typed: SpecResult = await compare([[1]], [[1]], { topK: 1 });
  void typed;
${PROBE}
}
void main();
`,
  },
  'ts-bundler-esm': {
    'package.json': { type: 'module' },
    'tsconfig.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] }),
    'src/index.ts': `import { init, compare, InputError, VERSION } from 'spec-embed';
${IO_ESM}// the .wasm's declared type is the DOM lib's own WebAssembly.Module (type-only: Node cannot import a .wasm)
const m: WebAssembly.Module | undefined = undefined as typeof import('spec-embed/spec-embed.wasm').default | undefined;
const controller = new AbortController();
await init({ module: m });
await compare([[1]], [[1]], { signal: controller.signal }); // the DOM lib's AbortSignal is accepted
${PROBE}
`,
  },
  // lib es2022, no DOM and no Node types: the declarations must not need either.
  'ts-es2022-nodom': {
    'package.json': { type: 'module' },
    'tsconfig.json': tsconfig({ module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: [] }),
    'src/index.ts': `${CONSOLE}import { init, compare, InputError, VERSION, type CompareOptions, type InitOptions } from 'spec-embed';
${IO_ESM}const opts: CompareOptions = { topK: 1, signal: { aborted: false } as CompareOptions['signal'] };
const initOptions: InitOptions = { bytes: new Uint8Array(0) };
void initOptions;
await init();
await compare([[1]], [[1]], opts);
${PROBE}
`,
  },
  // The README's edge-function snippet, bundled as an edge platform does it; run with compiling bytes forbidden.
  edge: {
    'package.json': { type: 'module' },
    'tsconfig.json': tsconfig({ module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: [] }),
    'src/worker.ts': `${CONSOLE}import wasmModule from 'spec-embed/spec-embed.wasm';  // a precompiled WebAssembly.Module
import { init, compare, InputError, VERSION } from 'spec-embed/slim';
${IO_ESM}await init({ module: wasmModule });
${PROBE}
`,
  },
  // Two copies in one process: init({ module }) in the ESM slim copy serves the CJS full copy
  // without compiling bytes, and an InputError of one copy is an InputError for the other.
  dual: {
    'package.json': { type: 'module' },
    'index.mjs': `import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const slim = await import('spec-embed/slim');
const failed = await slim.init().then(() => 'no error', (e) => e.message);
await slim.init({ module: new WebAssembly.Module(readFileSync(require.resolve('spec-embed/spec-embed.wasm'))) });
const full = require('spec-embed');
let compiled = 0;
for (const name of ['compile', 'instantiate']) {
  const original = WebAssembly[name];
  WebAssembly[name] = (source, ...rest) => { if (!(source instanceof WebAssembly.Module)) compiled++; return original(source, ...rest); };
}
await full.init();
const bad = await full.compare([[1, NaN]], [[1, 2]]).catch((e) => e);
const aborted = await slim.compare([[1]], [[1]], { signal: AbortSignal.abort() }).catch((e) => e);
console.log(JSON.stringify({ failed, compiled, cjsErrorIsEsmInputError: bad instanceof slim.InputError,
  esmAbortIsCjsAbortError: aborted instanceof full.AbortError, notCrossed: !(bad instanceof full.AbortError) }));
`,
  },
};

test('every consumer set-up type-checks and runs against the packed package', { timeout: 180_000 }, async (t) => {
  const dir = consumerProject(t);
  for (const [name, files] of Object.entries(SETUPS)) write(join(dir, name), files);
  // symlinked node_modules per set-up: each resolves spec-embed as an installed dependency
  for (const name of Object.keys(SETUPS)) run('ln', ['-s', '../node_modules', join(dir, name, 'node_modules')]);
  const ts = Object.keys(SETUPS).filter((n) => SETUPS[n]['tsconfig.json']);
  const tsc = run(process.execPath, [TSC, '-b', ...ts], { cwd: dir });
  assert.equal(tsc.status, 0, `tsc:\n${tsc.out}`);

  await bundleLikeWorkers(join(dir, 'edge/out/worker.js'), join(dir, 'edge/out/bundle.mjs'));

  const expected = numpyNorm();
  const entry = {
    'esm-node': 'index.mjs',
    'cjs-node': 'index.cjs',
    'ts-node16-cjs': 'out/index.js',
    'ts-bundler-esm': 'out/index.js',
    'ts-es2022-nodom': 'out/index.js',
    edge: 'out/bundle.mjs',
  };
  for (const [name, file] of Object.entries(entry)) {
    const r = run(process.execPath, [file], { cwd: join(dir, name) });
    assert.equal(r.status, 0, `${name}:\n${r.out}`);
    const got = JSON.parse(r.out.trim().split('\n').pop());
    assert.ok(Math.abs(got.norm - expected) <= 1e-6 * expected, `${name}: norm ${got.norm}, NumPy ${expected}`);
    assert.equal(got.input, true, `${name}: bad input is not an InputError`);
    assert.equal(got.version, JSON.parse(run('tar', ['xzOf', tarball(), 'package/package.json']).out).version, name);
  }

  const dual = run(process.execPath, ['index.mjs'], { cwd: join(dir, 'dual') });
  assert.equal(dual.status, 0, dual.out);
  const { failed, ...rest } = JSON.parse(dual.out.trim());
  assert.match(failed, /^spec-embed\/slim carries no wasm: call `await init\(\{ module \}\)`/);
  assert.deepEqual(rest, { compiled: 0, cjsErrorIsEsmInputError: true, esmAbortIsCjsAbortError: true, notCrossed: true });
});

test('@arethetypeswrong/cli finds no problem in any resolution mode', { timeout: 120_000 }, () => {
  const attw = join(ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
  const r = run(process.execPath, [attw, tarball(), '--format', 'json'], { cwd: ROOT });
  const report = JSON.parse(r.out.slice(r.out.indexOf('{')));
  assert.deepEqual(report.problems, {}, JSON.stringify(report.problems, null, 2));
  const modes = Object.values(report.analysis.entrypoints).flatMap((e) => Object.keys(e.resolutions));
  assert.ok(
    ['node10', 'node16-cjs', 'node16-esm', 'bundler'].every((m) => modes.includes(m)),
    `modes checked: ${[...new Set(modes)]}`,
  );
  assert.deepEqual(Object.keys(report.analysis.entrypoints).sort(), ['.', './io', './package.json', './slim', './spec-embed.wasm']);
});

test('spec-embed/io carries no WebAssembly and no Node import; the tarball has the changelog', () => {
  const file = (path) => run('tar', ['xzOf', tarball(), `package/${path}`]).out;
  const index = file('dist/index.js');
  // the embedded binary is base64 of bytes that start with "\0asm": AGFzbQ
  assert.ok(index.includes('AGFzbQ'), 'the root embeds the binary (the check below would prove nothing)');
  for (const path of ['dist/io.js', 'dist/io.cjs']) {
    const io = file(path);
    assert.ok(io.length > 1000, path);
    assert.ok(!io.includes('AGFzbQ') && !/WebAssembly/.test(io), `${path} holds WebAssembly`);
    assert.doesNotMatch(io, /(?:from |require\(|import\()\s*['"]node:/, `${path} imports a node: module`);
    assert.ok(io.length < index.length / 4, `${path}: ${io.length} bytes against the root's ${index.length}`);
  }
  const listed = run('tar', ['tzf', tarball()]).out.split('\n');
  assert.ok(listed.includes('package/CHANGELOG.md'), 'CHANGELOG.md is packed');
});

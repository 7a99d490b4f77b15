import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

// Each case runs in a fresh process, where init() has not run yet, so the option under test is
// really the one that loads the module.
function run(code: string, type: 'module' | 'commonjs' = 'module') {
  const args = type === 'module' ? ['--input-type=module', '-e', code] : ['-e', code];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: process.cwd() });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const probe = `
  const { compare, isInitialized } = lib;
  const r = await compare([[1, 0], [0, 1], [1, 1]], [[1, 2], [2, 1], [1, 1]], { topK: 1 });
  console.log(isInitialized(), r.specDiff.norm.toFixed(12));
`;

test('init({ module }) instantiates a precompiled WebAssembly.Module (edge platforms)', () => {
  const out = run(`
    import { readFileSync } from 'node:fs';
    import * as lib from './dist/index.js';
    const module = new WebAssembly.Module(readFileSync('dist/spec-embed.wasm'));
    await lib.init({ module });
    ${probe}`);
  assert.match(out, /^true 0\.\d+$/);
});

test('init({ bytes }) compiles the supplied binary', () => {
  const out = run(`
    import { readFileSync } from 'node:fs';
    import * as lib from './dist/index.js';
    await lib.init({ bytes: readFileSync('dist/spec-embed.wasm') });
    ${probe}`);
  assert.match(out, /^true 0\.\d+$/);
});

test('init({ bytes }) with garbage rejects, and a later init() still works', () => {
  const out = run(`
    import * as lib from './dist/index.js';
    await lib.init({ bytes: new Uint8Array([1, 2, 3]) }).then(() => console.log('accepted'), () => console.log('rejected'));
    await lib.init();
    ${probe}`);
  assert.match(out, /^rejected\ntrue 0\.\d+$/);
});

test('the embedded default, the module and the bytes give identical results; CJS require works too', () => {
  const esm = run(`import * as lib from './dist/index.js'; ${probe}`);
  const cjs = run(`const lib = require('./dist/index.cjs'); (async () => { ${probe} })();`, 'commonjs');
  assert.equal(cjs, esm);
});

// Node side of the Deno suite: computes the shared results in Node, then runs
// `deno test` which must reproduce them exactly. Deno is $DENO_PATH if set, else
// the deno devDependency: its bin.cjs runs the binary shipped in the platform
// package (@deno/linux-x64-glibc etc.), and finds it there even when npm did not
// run the postinstall that links it (--ignore-scripts). No apt step, no download.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import * as lib from '../../dist/index.js';
import { buildTestInternal } from '../../scripts/build-test-internal.mjs';
import { crossRuntimeResults } from '../shared/cross-runtime.mjs';
import { threadCases } from '../shared/cross-runtime-threads.mjs';

/** [command, leading args] that run Deno. */
function denoCommand() {
  const fromEnv = process.env.DENO_PATH;
  if (fromEnv) {
    assert.ok(existsSync(fromEnv), `DENO_PATH=${fromEnv} does not exist`);
    return [fromEnv, []];
  }
  const require = createRequire(import.meta.url);
  let pkg;
  try {
    pkg = require.resolve('deno/package.json');
  } catch {
    assert.fail('the deno devDependency is not installed (run npm ci), or set DENO_PATH');
  }
  return [process.execPath, [join(pkg, '..', 'bin.cjs')]];
}

test('deno test: the same dist gives bit-identical results in Deno', { timeout: 300_000 }, async (t) => {
  // The internals come from the test bundle both runtimes load (build/test/internal.js).
  const internal = await import(pathToFileURL(await buildTestInternal()).href);
  await internal.init();
  const expected = await crossRuntimeResults(lib, internal);
  const threads = await threadCases(lib);
  lib.terminateWorkers();
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-deno-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'expected.json');
  writeFileSync(file, JSON.stringify(expected));
  const threadsFile = join(dir, 'expected-threads.json');
  writeFileSync(threadsFile, JSON.stringify(threads));
  const [cmd, pre] = denoCommand();
  const r = spawnSync(cmd, [...pre, 'test', '--allow-read', '--allow-env', '--no-check', 'tests/deno/cross-runtime.deno.ts'], {
    encoding: 'utf8',
    // No network here: a private cache, and no update check or prompt.
    env: {
      ...process.env,
      SPEC_EMBED_EXPECTED: file,
      SPEC_EMBED_EXPECTED_THREADS: threadsFile,
      NO_COLOR: '1',
      DENO_DIR: join(dir, 'cache'),
      DENO_NO_UPDATE_CHECK: '1',
      DENO_NO_PROMPT: '1',
    },
    timeout: 280_000,
  });
  assert.equal(r.error, undefined, `could not run deno: ${r.error?.message}`);
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, out);
  assert.match(out, /ok \| \d+ passed \| 0 failed/, out);
});

test('deno run: a script that used workers (threads: 2, worker: true) ends with its work', { timeout: 120_000 }, () => {
  const [cmd, pre] = denoCommand();
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-deno-exit-'));
  try {
    // The timeout only stops a hang; the verdict comes from the script's own lines.
    const r = spawnSync(cmd, [...pre, 'run', '--allow-read', '--allow-env', '--no-check', 'tests/deno/exit.deno.ts'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', DENO_DIR: join(dir, 'cache'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
      timeout: 60_000,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.error, undefined, `deno did not exit by itself (${r.error?.message}): ${out}`);
    assert.equal(r.signal, null, out);
    assert.equal(r.status, 0, out);
    assert.match(r.stdout, /spec-embed-exit: results \S+ \S+/, out);
    assert.match(r.stdout, /spec-embed-exit: live workers 0\n/, `idle workers outlived the result: ${out}`);
    const turns = Number(/spec-embed-exit: event loop empty after (\d+) turns/.exec(r.stdout)?.[1]);
    assert.ok(turns <= 20, `the loop ran on for ${turns} turns after the result: something held the process. ${out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Node side of the Deno suite: computes the shared results in Node, then runs
// `deno test` (the deno npm package's binary) which must reproduce them exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import * as lib from '../../dist/index.js';
import * as internal from '../../dist/internal.js';
import { crossRuntimeResults } from '../shared/cross-runtime.mjs';

test('deno test: the same dist gives bit-identical results in Deno', { timeout: 300_000 }, async () => {
  const expected = await crossRuntimeResults(lib, internal);
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-deno-'));
  const file = join(dir, 'expected.json');
  writeFileSync(file, JSON.stringify(expected));
  const require = createRequire(import.meta.url);
  const denoBin = join(require.resolve('deno/package.json'), '..', 'bin.cjs');
  const r = spawnSync(process.execPath, [denoBin, 'test', '--allow-read', '--allow-env', '--no-check', 'tests/deno/cross-runtime.deno.ts'], {
    encoding: 'utf8',
    env: { ...process.env, SPEC_EMBED_EXPECTED: file, NO_COLOR: '1', DENO_DIR: join(dir, 'cache') },
    timeout: 280_000,
  });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, out);
  assert.match(out, /ok \| \d+ passed \| 0 failed/, out);
});

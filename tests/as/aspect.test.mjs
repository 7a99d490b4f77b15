// Runs the as-pect specs (AssemblyScript kernels tested inside wasm) as one node:test case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('as-pect specs for the AssemblyScript kernels pass', () => {
  const r = spawnSync(process.execPath, ['node_modules/@as-pect/cli/bin/asp.js', '--config', 'as-pect.config.js', '--no-logo'], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, out);
  assert.match(out, /\[Result\]:.*Pass/, out);
});

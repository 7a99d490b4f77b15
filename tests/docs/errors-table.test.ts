// docs/errors.md is generated from real CLI runs; this fails when a case no longer
// behaves as documented (exit code, one `spec-embed: ...` line, message shape) or
// when the committed table differs from what the CLI prints now. Needs dist/ (npm run build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('docs/errors.md matches the CLI (scripts/errors-table.mjs --check)', { timeout: 300_000 }, () => {
  const script = fileURLToPath(new URL('../../scripts/errors-table.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
});

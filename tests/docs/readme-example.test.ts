// The README's first example shows the output of a real run on the files
// scripts/readme-example.py writes; this fails when the CLI now prints something
// else there (every line but the timings). Needs dist/ (npm run build) and python3 with NumPy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('the README example output matches the CLI (scripts/readme-example.mjs --check)', { timeout: 120_000 }, () => {
  const script = fileURLToPath(new URL('../../scripts/readme-example.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
});

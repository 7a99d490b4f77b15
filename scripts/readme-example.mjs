#!/usr/bin/env node
// The README's first example, captured from a real run: writes X.npy, Y.npy and labels.txt with
// scripts/readme-example.py into a temporary folder, runs the command the README shows there
// with the built CLI (dist/cli.js; run `npm run build` first) and puts its output between the
// README's `readme-example` markers. The timings line is the only one that may differ from run
// to run, so --check compares every other line.
//   node scripts/readme-example.mjs           run it and write the output into README.md
//   node scripts/readme-example.mjs --check   run it and exit 1 when README.md shows other output
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const README = join(ROOT, 'README.md');
const COMMAND = ['compare', 'X.npy', 'Y.npy', '--labels', 'labels.txt', '--top', '3'];
const START = '<!-- readme-example:start -->';
const END = '<!-- readme-example:end -->';

function fail(message) {
  console.error(`readme-example: ${message}`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'spec-embed-readme-'));
let output;
try {
  const py = spawnSync('python3', [join(ROOT, 'scripts', 'readme-example.py'), dir], { encoding: 'utf8' });
  if (py.status !== 0) fail(`python3 scripts/readme-example.py failed:\n${py.stderr}`);
  const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...COMMAND], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (run.status !== 0) fail(`spec-embed ${COMMAND.join(' ')} exited ${run.status}:\n${run.stderr}`);
  output = run.stdout.trimEnd();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const text = readFileSync(README, 'utf8');
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < start) fail(`README.md has no ${START} … ${END} block`);
const block = `${START}\n\n\`\`\`\n$ spec-embed ${COMMAND.join(' ')}\n${output}\n\`\`\`\n\n`;
const shown = text.slice(start, end);

if (process.argv.includes('--check')) {
  const lines = (s) => s.split('\n').filter((l) => !l.startsWith('timings '));
  const want = lines(block);
  const got = lines(shown);
  const i = want.findIndex((l, k) => l !== got[k]);
  if (i >= 0 || want.length !== got.length) {
    fail(
      `README.md's example output is stale (first difference at line ${i + 1} of the block):\n  README: ${got[i]}\n  CLI:    ${want[i]}\nrun: node scripts/readme-example.mjs`,
    );
  }
  console.log('README.md example output is current');
} else {
  writeFileSync(README, text.slice(0, start) + block + text.slice(end));
  console.log('README.md example output written');
}

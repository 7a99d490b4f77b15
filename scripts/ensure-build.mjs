// Runs `npm run build` when dist/ is missing or older than its sources, so the
// scripts that run the built package (demo, errors-table, screenshots) work on
// a fresh clone right after `npm ci`, and cost nothing when dist/ is current.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = [
  'src',
  'assembly',
  'scripts/embed-wasm.mjs',
  'scripts/embed-worker.mjs',
  'scripts/build-web.mjs',
  'package.json',
  'rollup.config.mjs',
  'asconfig.json',
];
const BUILT = ['dist/index.js', 'dist/cli.js', 'dist/app.html'];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) if (name !== 'generated') t = Math.max(t, newest(join(path, name)));
  return t;
}

const built = BUILT.every(existsSync) ? Math.min(...BUILT.map((f) => statSync(f).mtimeMs)) : -Infinity;
const sources = Math.max(...SOURCES.filter(existsSync).map(newest));
if (built < sources) {
  const r = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

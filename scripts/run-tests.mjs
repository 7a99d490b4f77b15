// `npm test`: rebuild dist/ (runtime, CLI and package tests import it exactly as
// users do), then run every suite through node's test runner so one summary
// closes the run: unit tests (TypeScript via tsx), as-pect specs, the Deno and
// Chromium suites, and the package suite (the packed tarball in consumer set-ups).
// `node scripts/run-tests.mjs PATH...` runs only those files, or the tests in those folders.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function collect(dir, pattern, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, pattern, out);
    else if (pattern.test(name)) out.push(p);
  }
  return out;
}

if (!process.env.SPEC_EMBED_SKIP_BUILD) run('npm', ['run', '--silent', 'build']);
run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.bench.json']);
// the layer order, no cycles or orphans (dependency-cruiser), and Biome's format and lint rules
run('npm', ['run', '--silent', 'lint']);

const only = process.argv.slice(2);
const files = only.length
  ? only.flatMap((p) => (statSync(p).isDirectory() ? collect(p, /\.test\.(ts|mjs)$/) : [p]))
  : [
      ...collect('tests/unit', /\.test\.ts$/),
      ...collect('tests/contracts', /\.test\.ts$/),
      ...collect('tests/cli', /\.test\.ts$/),
      // the sharded route on the engines users run (Dask; skipped where absent)
      ...collect('tests/scale', /\.test\.ts$/),
      ...collect('tests/package', /\.test\.ts$/),
      // property-based suites (seeded: SPEC_EMBED_PROP_SEED) and the reader fuzzer
      ...collect('tests/property', /\.test\.ts$/),
      ...collect('tests/fuzz', /\.test\.ts$/),
      ...collect('tests/docs', /\.test\.ts$/),
      'tests/as/aspect.test.mjs',
      'tests/deno/deno.test.mjs',
      'tests/browser/browser.test.mjs',
      'tests/browser/report.test.mjs',
      'tests/browser/app.test.mjs',
      'tests/browser/workers.test.mjs',
      ...collect('tests/package', /\.test\.mjs$/),
    ].filter((f) => {
      try {
        return statSync(f).isFile();
      } catch {
        return false;
      }
    });

run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files]);

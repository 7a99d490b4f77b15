// Bundles tests/shared/internal.ts (the kernels, solvers and readers the
// cross-runtime suites call directly) into build/test/internal.js, one
// self-contained ES module that Deno and Chromium load as they load dist/.
// A test artefact: not in dist/, not published. Run by the suites that need it
// (also usable alone: node scripts/build-test-internal.mjs).
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TEST_INTERNAL = fileURLToPath(new URL('../build/test/internal.js', import.meta.url));

/** Writes build/test/internal.js and returns its path. Suites may run this concurrently: each writes a private file and renames it into place. */
export async function buildTestInternal() {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../tests/shared/internal.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    // src/runtime reaches node:worker_threads only through a guarded dynamic import
    external: ['node:*'],
    logLevel: 'warning',
  });
  mkdirSync(new URL('../build/test/', import.meta.url), { recursive: true });
  const tmp = `${TEST_INTERNAL}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, TEST_INTERNAL);
  return TEST_INTERNAL;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await buildTestInternal());

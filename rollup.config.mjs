// Bundles src/ into ESM + CJS (wasm embedded), the .d.ts, the internal entry
// used by tests and benchmarks, and the CLI.
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';

// fflate is bundled (tree-shaken) so the library has no runtime dependency and
// loads in a browser page or Deno without an import map.
const external = (id) => /^node:/.test(id) || ['cli-progress', 'mnist', 'umap-js'].includes(id);

const copyWasm = {
  name: 'copy-wasm',
  writeBundle() {
    mkdirSync('dist', { recursive: true });
    copyFileSync('build/spec-embed.wasm', 'dist/spec-embed.wasm');
  },
};

export default [
  {
    input: { index: 'src/index.ts', internal: 'src/internal.ts' },
    external,
    plugins: [nodeResolve({ browser: true }), esbuild({ target: 'es2022' }), copyWasm],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
    ],
  },
  {
    input: 'src/cli/main.ts',
    external,
    // dist/cli.js is the package's `bin`: make it executable for direct runs from a checkout.
    plugins: [nodeResolve(), esbuild({ target: 'es2022' }), { name: 'chmod-cli', writeBundle() { chmodSync('dist/cli.js', 0o755); } }],
    output: { file: 'dist/cli.js', format: 'es', banner: '#!/usr/bin/env node' },
  },
  {
    input: 'src/index.ts',
    plugins: [dts()],
    output: { file: 'dist/index.d.ts', format: 'es' },
  },
];

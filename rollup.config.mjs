// Bundles src/ into what the package ships (dist/):
//   index.js / index.cjs   the API with the wasm embedded as base64
//   slim.js / slim.cjs     the same API without it (init({ module }) or init({ bytes }))
//   io.js / io.cjs         the file readers (spec-embed/io): no wasm, no node: import
//   *.d.ts / *.d.cts       one declaration bundle per entry and module format
//   wasm.d.ts / wasm.d.cts the type of `import wasmModule from 'spec-embed/spec-embed.wasm'`
//   spec-embed.wasm        the binary, for platforms that import it as a module
//   cli.js                 the `spec-embed` command, with its own dependencies bundled
// fflate is bundled (tree-shaken) so the library has no runtime dependency and
// loads in a browser page or Deno without an import map.
import esbuild from 'rollup-plugin-esbuild';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';

const nodeBuiltin = (id) => /^node:/.test(id);

// The public declarations name two platform types, AbortSignal and
// WebAssembly.Module. Declared here module-locally, they resolve to the
// consumer's own (DOM, Node, Deno, Workers types) when those are loaded, and
// otherwise to the minimal shape spec-embed needs, so the types check with
// `lib: ["es2022"], types: []` and pull in no lib of their own.
const PLATFORM_TYPES = `type AbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer T } } ? T : { readonly aborted: boolean };
declare namespace WebAssembly {
  type Module = typeof globalThis extends { WebAssembly: { Module: { prototype: infer T } } } ? T : object;
}`;

const WASM_TYPES = `${PLATFORM_TYPES}
/** The kernels as a WebAssembly.Module, as edge platforms (Cloudflare Workers, Vercel Edge) import a \`.wasm\` file: pass it to \`init({ module })\`. */
declare const wasmModule: WebAssembly.Module;
export default wasmModule;
`;

const copyWasm = {
  name: 'copy-wasm',
  writeBundle() {
    mkdirSync('dist', { recursive: true });
    copyFileSync('build/spec-embed.wasm', 'dist/spec-embed.wasm');
    for (const ext of ['d.ts', 'd.cts']) writeFileSync(`dist/wasm.${ext}`, WASM_TYPES);
  },
};

// The slim entry: the embedded binary becomes an empty string (the loader then asks for a module).
const withoutEmbeddedWasm = {
  name: 'without-embedded-wasm',
  resolveId: (id) => (/generated\/wasm-bytes\.js$/.test(id) ? '\0no-wasm-bytes' : null),
  load: (id) => (id === '\0no-wasm-bytes' ? "export const WASM_BASE64 = '';" : null),
};

const library = (name, input, extra = []) => ({
  input: { [name]: input },
  external: nodeBuiltin,
  plugins: [...extra, nodeResolve({ browser: true }), esbuild({ target: 'es2022' })],
  output: [
    { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: `chunks/${name}-[hash].js` },
    { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: `chunks/${name}-[hash].cjs` },
  ],
});

// One declaration bundle per entry, written as .d.ts (ESM, the package is "type": "module")
// and .d.cts (CommonJS) so TypeScript under node16/nodenext reads each in its own format.
// The readers' declarations name no platform type, so they get no PLATFORM_TYPES banner.
const declarations = (name, input, banner = PLATFORM_TYPES) => ({
  input,
  plugins: [dts()],
  output: ['d.ts', 'd.cts'].map((ext) => ({ file: `dist/${name}.${ext}`, format: 'es', ...(banner ? { banner } : {}) })),
});

// The readers must run wherever the API does, and must not pull the kernels in.
const pureReaders = {
  name: 'pure-readers',
  generateBundle(_, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      const node = [...chunk.imports, ...chunk.dynamicImports].filter(nodeBuiltin);
      if (node.length) this.error(`spec-embed/io imports ${node.join(', ')}: the readers must not need Node`);
      const kernels = Object.keys(chunk.modules).filter((id) => /[\\/](wasm|generated)[\\/]/.test(id));
      if (kernels.length) this.error(`spec-embed/io bundles ${kernels.join(', ')}: the readers carry no WebAssembly`);
    }
  },
};

export default [
  library('index', 'src/index.ts', [copyWasm]),
  library('slim', 'src/slim.ts', [withoutEmbeddedWasm]),
  library('io', 'src/io/index.ts', [pureReaders]),
  {
    input: 'src/cli/main.ts',
    // The CLI's own dependencies (cli-progress, umap-js) are bundled here, so the package
    // has no runtime dependency; only `mnist` (the demo's data, a development dependency)
    // stays a lazy require that fails with instructions when absent.
    external: (id) => nodeBuiltin(id) || id === 'mnist',
    // dist/cli.js is the package's `bin`: make it executable for direct runs from a checkout.
    plugins: [
      nodeResolve({ preferBuiltins: true }),
      commonjs(),
      esbuild({ target: 'es2022' }),
      {
        name: 'chmod-cli',
        writeBundle() {
          chmodSync('dist/cli.js', 0o755);
        },
      },
    ],
    output: { file: 'dist/cli.js', format: 'es', banner: '#!/usr/bin/env node' },
  },
  declarations('index', 'src/index.ts'),
  declarations('slim', 'src/slim.ts'),
  declarations('io', 'src/io/index.ts', ''),
];

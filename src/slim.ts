/**
 * spec-embed/slim: the same API as `spec-embed` without the embedded wasm
 * binary, for edge bundles that load the kernels as a module.
 *
 * ```ts
 * import wasmModule from 'spec-embed/spec-embed.wasm';
 * import { init, compare } from 'spec-embed/slim';
 * await init({ module: wasmModule });
 * ```
 * The bundle is built from this file with the embedded binary replaced by
 * nothing (rollup.config.mjs), so `init()` needs `{ module }` or `{ bytes }`.
 * @packageDocumentation
 */
export * from './index.js';

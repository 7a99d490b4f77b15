/**
 * spec-embed: explain how two feature embeddings of the same samples differ.
 *
 * ```ts
 * import { init, compare } from 'spec-embed';
 * await init();
 * ```
 * @packageDocumentation
 */
export { init, isInitialized } from './wasm.js';
export type { InitOptions } from './wasm.js';
export { VERSION } from './version.js';

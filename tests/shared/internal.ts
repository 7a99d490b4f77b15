// The internals the cross-runtime suites compare bit for bit (wasm kernels,
// eigensolvers, readers), with the loader's init(). Node tests import this file
// through tsx; the Deno and Chromium suites import it bundled by
// scripts/build-test-internal.mjs into build/test/internal.js. Not published.
export { init, wasm } from '../../src/wasm/loader.js';
export * as memory from '../../src/wasm/memory.js';
export * as blas1 from '../../src/wasm/blas1.js';
export * as io from '../../src/io/index.js';
export * as pack from '../../src/wasm/pack.js';
export * as rng from '../../src/wasm/rng.js';
export * as features from '../../src/wasm/features.js';
export * as gemm from '../../src/wasm/gemm.js';
export * as syrk from '../../src/wasm/syrk.js';
export * as gram from '../../src/wasm/gram.js';
export * as eigen from '../../src/solve/eigen.js';
export * as dense from '../../src/solve/dense.js';
export * as align from '../../src/methods/align/index.js';
export * as snapshot from '../../src/sums/snapshot.js';
export * as covarianceEigs from '../../src/solve/covariance-eigs.js';

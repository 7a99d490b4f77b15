// Entry for tests and benchmarks that need the internal kernels from dist/.
// Not part of the public API: names and shapes may change between versions.
export * as memory from './wasm/memory.js';
export * as blas1 from './wasm/blas1.js';
export { wasm } from './wasm/loader.js';
export * as io from './io/index.js';
export * as pack from './wasm/pack.js';
export * as rng from './wasm/rng.js';
export * as features from './wasm/features.js';
export * as gemm from './wasm/gemm.js';
export * as syrk from './wasm/syrk.js';
export * as gram from './wasm/gram.js';
export * as eigen from './solver/eigen.js';
export * as align from './align.js';
export * as snapshot from './snapshot.js';
export * as covarianceEigs from './solver/covariance-eigs.js';

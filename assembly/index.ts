// The single wasm module: every kernel file re-exported here.
export * from './memory';
export * from './blas1';
export * from './pack';
export * from './rng';
export * from './trig';
export * from './gemm';
export * from './syrk';
export * from './features';
export * from './gram';
export * from './potrf';
export * from './syev';
export * from './lanczos';

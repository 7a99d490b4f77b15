// The single wasm module: every kernel file re-exported here.
export * from './memory';
export * from './blas1';
export * from './potrf';
export * from './syev';
export * from './lanczos';

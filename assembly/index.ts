// The single wasm module: the exports the host (src/wasm, src/solver) calls, by
// kernel family. Helpers and the scalar references (*-ref.ts, compiled into the
// as-pect tests only) stay out of the release binary.
export { alloc, free, liveAllocations, memoryBytes } from './memory';
export { sdot, saxpy, ddot, daxpy, dscal } from './blas1';
export { packColumns, packRows } from './pack';
export { sgemm } from './gemm-4x8';
export { syrkBlockRows, syrkAccumulate, syrkPackedRows, syrkF64, gemmTNAccumulate, symmetrize, symmetrizeRows } from './syrk';
export { sincosF32 } from './sincos';
export { rngSeed, rngNextU32, rngGaussianF32, rngSampleIndices } from './rng';
export { featErrKind, featErrCol, firstNonFinite, featCosine, featLinear, featRff, unitRowsInPlace } from './features';
export { gramF64, gramRowsF64, gramRowF64, pairwiseDistances, pairwiseDistancesRows, expNegScaled } from './gram';
export { dsymvUpper } from './symv';
export { dpstrfBlock, dpstrfInit, dpstrfPanel, dpstrfPackBytes, dpstrfPack, dpstrfUpdate, dpstrfTransposeRows } from './pstrf';
export { dsyevRaw, dsteqlT, eigTranspose } from './syev';
export { gemvTAcc, gemvNAcc, frob2F32 } from './gemv-pair';
export { lzBind, lzBindGram, lzBindExternal, lzGramT, lzGramN, lzApply, lanczosStart, lanczosRun, lzNormEstimate, lzCombineRows, lzRsrBack, lzRsrFrob2, lzFrob2Upper } from './lanczos';

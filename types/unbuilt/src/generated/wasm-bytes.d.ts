// Stands in for src/generated/wasm-bytes.ts (written by `npm run build`) so that
// `npm run typecheck` passes on a fresh clone; tsconfig.json's rootDirs fall back here.
export declare const WASM_BASE64: string;

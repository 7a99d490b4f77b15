// Stands in for src/generated/worker-source.ts (written by `npm run build`) so that
// `npm run typecheck` passes on a fresh clone; tsconfig.json's rootDirs fall back here.
export declare const WORKER_SOURCE: string;

// Stands in for src/generated/report-client.ts (written by `npm run build`) so that
// `npm run typecheck` passes on a fresh clone; tsconfig.json's rootDirs fall back here.
export declare const REPORT_CLIENT_JS: string;

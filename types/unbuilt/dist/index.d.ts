// Stands in for the built dist/index.d.ts so that tests importing dist/ type-check on a
// fresh clone (tsconfig.json's rootDirs fall back here); after `npm run build` the real
// declarations are checked instead.
export * from '../../../src/index.js';

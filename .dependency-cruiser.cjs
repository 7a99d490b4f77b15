// The source tree is the pipeline: each folder may import only from the layers below it
// (docs/design.md §2). `npm run lint` runs this; a violation fails `npm test`.
/** Bottom to top. A module belongs to the first layer whose pattern matches it. */
const layers = [
  ['base', '^src/(errors|version)\\.ts$|^src/types/|^src/generated/'],
  ['runtime-core', '^src/runtime/(cooperative|prng|platform)\\.ts$'],
  ['wasm', '^src/wasm/'],
  ['io', '^src/io/'],
  ['validate', '^src/validate/'],
  ['features', '^src/features/'],
  ['sums', '^src/sums/'],
  ['solve', '^src/solve/'],
  ['score', '^src/score/'],
  ['significance', '^src/significance/'],
  ['runtime-driver', '^src/runtime/(?!worker-entry\\.ts$)'],
  ['methods', '^src/methods/'],
  ['worker-entry', '^src/runtime/worker-entry\\.ts$'],
  ['report', '^src/report/'],
  ['demo', '^src/demo/'],
  ['app', '^src/app/'],
  ['cli', '^src/cli/'],
  ['entry', '^src/(index|slim)\\.ts$'],
];

// Exact module sets per layer: earlier layers' patterns win (runtime-core before runtime-driver).
const inLayer = (i) => {
  const earlierRuntime = layers
    .slice(0, i)
    .map(([, p]) => p)
    .filter((p) => p.startsWith('^src/runtime/'));
  return { path: layers[i][1], pathNot: earlierRuntime.length ? earlierRuntime : undefined };
};

const layerRules = layers.slice(0, -1).map(([name], i) => ({
  name: `no-upward-from-${name}`,
  comment: `${name} may import only from layers below it`,
  severity: 'error',
  from: inLayer(i),
  to: {
    path: layers.slice(i + 1).map(([, p]) => p),
    pathNot: layers.slice(0, i + 1).map(([, p]) => p),
  },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'no-orphans',
      comment: 'every module is imported by something, or is an entry point',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: [
          '\\.d\\.ts$',
          '^src/(index|slim)\\.ts$',
          '^src/io/index\\.ts$',
          '^src/cli/main\\.ts$',
          '^src/app/(main|worker)\\.ts$',
          '^src/report/client/main\\.ts$',
          '^src/runtime/worker-entry\\.ts$',
        ],
      },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};

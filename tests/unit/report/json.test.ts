// The compare --json object (docs/design.md §3): exactly its keys, in order, with
// the result's values carried over unchanged; labels, notes and inputs only when given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputJson, kernelJson, toCliJson } from '../../../src/report/json.js';
import { specResult } from '../cli/results.js';
import { adjustedMutualInfo, normalizedMutualInfo } from '../../../src/score/agreement.js';
import { VERSION } from '../../../src/version.js';

const KEYS = ['n', 'method', 'eta', 'kernelX', 'kernelY', 'specDiff', 'modes', 'noiseDropped', 'timings'];
const ENDS = ['bottom', 'kind', 'massTop', 'massBottom', 'countTop', 'countBottom', 'cutTop', 'cutBottom'];

test('toCliJson: the §3 keys in order and the exact values', () => {
  const r = specResult();
  const j = toCliJson(r);
  assert.deepEqual(Object.keys(j), KEYS);
  assert.deepEqual(JSON.parse(JSON.stringify(j)), {
    n: 6,
    method: 'exact',
    eta: 1,
    kernelX: { type: 'cosine' },
    kernelY: { type: 'gaussian', sigma: 0.5, rffDim: 100 },
    specDiff: { xNotY: 0.75, yNotX: 0.25, norm: 0.75 },
    modes: [
      {
        rank: 1,
        side: 'x',
        eigenvalue: 0.75,
        top: [
          { index: 2, score: 0.5 },
          { index: 0, score: 0.25 },
          { index: 5, score: 0.125 },
        ],
        bottom: [
          { index: 3, score: -0.375 },
          { index: 1, score: -0.0625 },
        ],
        kind: 'contrast',
        massTop: 0.5,
        massBottom: 0.375,
        countTop: 2,
        countBottom: 1,
        cutTop: 0.25,
        cutBottom: -0.1875,
      },
      {
        rank: 1,
        side: 'y',
        eigenvalue: -0.25,
        top: [{ index: 4, score: 0.625 }],
        bottom: [{ index: 0, score: -0.125 }],
        kind: 'cluster',
        massTop: 0.875,
        massBottom: 0,
        countTop: 1,
        countBottom: 0,
        cutTop: 0.3125,
        cutBottom: -0.25,
      },
    ],
    noiseDropped: 0,
    timings: { read: 0.001, solve: 0.5, total: 1.25 },
  });
  // the ends follow the §3 fields of a mode (new fields after the existing ones)
  for (const m of j.modes) assert.deepEqual(Object.keys(m), ['rank', 'side', 'eigenvalue', 'top', ...ENDS]);
  // methodReason, eigenvalues and threads are the library's, not the CLI object's
  assert.ok(!('methodReason' in j) && !('eigenvalues' in j) && !('threads' in j));
  // copies, not views of the result
  j.timings.total = 0;
  j.specDiff.norm = 0;
  assert.equal(r.timings.total, 1.25);
  assert.equal(r.specDiff.norm, 0.75);
});

test('toCliJson: labels name each top sample; notes before timings; inputs last', () => {
  const labels = ['a', 'b', 'c', 'd', 'e', 'f'];
  const inputs = { X: { header: 'a,b', indexColumn: 'dropped' as const }, Y: { header: null, indexColumn: null } };
  const j = toCliJson(specResult({ notes: ['topK = 9 is more than 6'] }), labels, inputs);
  assert.deepEqual(Object.keys(j), ['n', 'method', 'eta', 'kernelX', 'kernelY', 'specDiff', 'modes', 'noiseDropped', 'notes', 'timings', 'inputs']);
  assert.deepEqual(j.modes[0].top, [
    { index: 2, score: 0.5, label: 'c' },
    { index: 0, score: 0.25, label: 'a' },
    { index: 5, score: 0.125, label: 'f' },
  ]);
  assert.deepEqual(j.modes[1].top, [{ index: 4, score: 0.625, label: 'e' }]);
  assert.deepEqual(j.modes[0].bottom, [
    { index: 3, score: -0.375, label: 'd' },
    { index: 1, score: -0.0625, label: 'b' },
  ]);
  // no CLI extras: no label mix of either end
  assert.ok(!('labelMix' in j.modes[0]) && !('bottomLabelMix' in j.modes[0]));
  assert.deepEqual(j.notes, ['topK = 9 is more than 6']);
  assert.deepEqual(j.inputs, inputs);
});

test('kernelJson: type, then σ and m only where the kernel has them', () => {
  assert.deepEqual(kernelJson({ type: 'linear' }), { type: 'linear' });
  assert.deepEqual(Object.keys(kernelJson({ rffDim: 3, sigma: 2, type: 'gaussian' })), ['type', 'sigma', 'rffDim']);
  assert.deepEqual(kernelJson({ type: 'gaussian', sigma: 2 }), { type: 'gaussian', sigma: 2 });
});

test('inputJson: header and index column, null when a file has neither (or is not a table)', () => {
  assert.deepEqual(inputJson(undefined), { header: null, indexColumn: null });
  assert.deepEqual(inputJson({ header: null, indexColumn: null }), { header: null, indexColumn: null });
  assert.deepEqual(inputJson({ header: ',a,b', indexColumn: 'kept' }), { header: ',a,b', indexColumn: 'kept' });
});

test("toCliJson with the CLI's extras: share and label mix after top; the trailing fields after inputs, in order", () => {
  const labels = ['a', 'b', 'c', 'd', 'e', 'a'];
  const inputs = { X: { header: null, indexColumn: null }, Y: { header: null, indexColumn: null } };
  const scores = { file: 's.npy', dtype: 'float32' as const, shape: [6, 2] as [number, number], columns: ['x1', 'y1'] };
  const files = { X: { name: 'x.npy', rows: 6, cols: 3 }, Y: { name: 'y.npy', rows: 6, cols: 2 } };
  const r = specResult({
    modes: [
      { ...specResult().modes[0], scores: Float64Array.of(0.5, 0.4, 0.6, 0, 0.1, 0) },
      { ...specResult().modes[1], scores: Float64Array.of(0, 0.1, 0, 0.2, 0.9, 0) },
    ],
  });
  const j = toCliJson(r, labels, inputs, { seed: 3, sigma: { X: null, Y: 'given' }, files, scores });
  assert.deepEqual(Object.keys(j), [
    'n',
    'method',
    'eta',
    'kernelX',
    'kernelY',
    'specDiff',
    'modes',
    'noiseDropped',
    'timings',
    'inputs',
    'methodReason',
    'seed',
    'version',
    'sigma',
    'files',
    'shareOf',
    'agreement',
    'scores',
  ]);
  assert.deepEqual(Object.keys(j.modes[0]), [
    'rank',
    'side',
    'eigenvalue',
    'top',
    'share',
    'labelMix',
    'purity',
    'entropy',
    ...ENDS,
    'bottomLabelMix',
    'bottomPurity',
    'bottomEntropy',
  ]);
  // the bottom end's labels: d and b, one each
  assert.deepEqual(j.modes[0].bottomLabelMix, [
    { label: 'b', count: 1 },
    { label: 'd', count: 1 },
  ]);
  assert.deepEqual([j.modes[0].bottomPurity, j.modes[0].bottomEntropy], [0.5, Math.log(2)]);
  assert.deepEqual([j.modes[0].share, j.modes[1].share], [0.75, 0.25]);
  assert.deepEqual(j.modes[0].labelMix, [
    { label: 'a', count: 2 },
    { label: 'c', count: 1 },
  ]);
  assert.equal(j.modes[0].purity, 2 / 3);
  assert.ok(Math.abs(j.modes[0].entropy! - -((2 / 3) * Math.log(2 / 3) + (1 / 3) * Math.log(1 / 3))) < 1e-15);
  assert.deepEqual(
    [j.methodReason, j.seed, j.version, j.sigma, j.files, j.shareOf, j.scores],
    ['n = 6 ≤ 4000', 3, VERSION, { X: null, Y: 'given' }, files, 'listed modes', scores],
  );
  // x1 claims samples 0, 1, 2 (≥ its top cut 0.25); y1 only sample 4 (≥ 0.3125)
  assert.deepEqual(j.agreement!.x!.assigned, [{ mode: 'x1', count: 3 }]);
  assert.equal(j.agreement!.x!.unassigned, 3);
  assert.equal(j.agreement!.x!.nmi, normalizedMutualInfo(labels, [0, 0, 0, -1, -1, -1]));
  assert.equal(j.agreement!.y!.ami, adjustedMutualInfo(labels, [-1, -1, -1, -1, 0, -1]));
  assert.equal(j.agreement!.cut, 0.5);
  assert.equal(toCliJson(specResult({ spectrumComplete: true }), undefined, undefined, { seed: 0, sigma: { X: null, Y: null } }).shareOf, 'spectrum');
  // labels without per-sample scores: no agreement, the label mix still
  const k = toCliJson(specResult(), labels, undefined, { seed: 0, sigma: { X: null, Y: null } });
  assert.ok(!('agreement' in k) && k.modes[0].purity !== undefined);
  assert.deepEqual(JSON.parse(JSON.stringify(j)).modes[0].labelMix, j.modes[0].labelMix);
});

test('rffError is the last field, after every CLI extra, and absent when the result has none', () => {
  const rffError = { xNotY: 0.01, yNotX: 0.07, norm: 0.07, sample: 500 };
  const extras = { seed: 0, sigma: { X: 'auto' as const, Y: 'auto' as const } };
  const j = toCliJson(specResult({ rffError }), undefined, undefined, extras);
  assert.equal(Object.keys(j).at(-1), 'rffError');
  assert.deepEqual(j.rffError, rffError);
  assert.equal(Object.keys(toCliJson(specResult({ rffError }))).at(-1), 'rffError');
  assert.ok(!('rffError' in toCliJson(specResult(), undefined, undefined, extras)));
});

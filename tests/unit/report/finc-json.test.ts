// FINC's --json object (§3 finc variant: task, nx, ny, shareX/shareY per mode)
// for a hand-built result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toFincCliJson } from '../../../src/report/finc-json.js';
import { fincResult } from '../cli/results.js';

const ENDS = ['bottom', 'kind', 'massTop', 'massBottom', 'countTop', 'countBottom', 'cutTop', 'cutBottom'];
const FREQ = ['freqX', 'freqY', 'freqEnd', 'meanSquareX', 'meanSquareY'];

test('toFincCliJson: the §3 keys in order, n = nx + ny, one kernel shown for both sides', () => {
  const j = toFincCliJson(fincResult());
  assert.deepEqual(Object.keys(j), ['task', 'n', 'nx', 'ny', 'method', 'eta', 'kernelX', 'kernelY', 'specDiff', 'modes', 'noiseDropped', 'timings']);
  assert.deepEqual(JSON.parse(JSON.stringify(j)), {
    task: 'finc',
    n: 7,
    nx: 4,
    ny: 3,
    method: 'covariance',
    eta: 2,
    kernelX: { type: 'gaussian', sigma: 1.5, rffDim: 64 },
    kernelY: { type: 'gaussian', sigma: 1.5, rffDim: 64 },
    specDiff: { xNotY: 0.5, yNotX: 0.125, norm: 0.5 },
    modes: [
      {
        rank: 1,
        side: 'x',
        eigenvalue: 0.5,
        shareX: 0.625,
        shareY: 0.0625,
        top: [
          { index: 3, score: 0.75 },
          { index: 1, score: 0.5 },
        ],
        bottom: [{ index: 0, score: -0.25 }],
        kind: 'cluster',
        massTop: 0.75,
        massBottom: 0.125,
        countTop: 2,
        countBottom: 1,
        cutTop: 0.375,
        cutBottom: -0.125,
        freqX: 0.5,
        freqY: 0,
        freqEnd: 'top',
        meanSquareX: 0.625,
        meanSquareY: 0.0625,
      },
      {
        rank: 1,
        side: 'y',
        eigenvalue: -0.125,
        shareX: 0.03125,
        shareY: 0.25,
        top: [{ index: 2, score: 0.875 }],
        bottom: [{ index: 1, score: -0.5 }],
        kind: 'contrast',
        massTop: 0.5,
        massBottom: 0.25,
        countTop: 1,
        countBottom: 1,
        cutTop: 0.4375,
        cutBottom: -0.25,
        freqX: 0.25,
        freqY: 2 / 3,
        freqEnd: 'top',
        meanSquareX: 0.03125,
        meanSquareY: 0.25,
      },
    ],
    noiseDropped: 1,
    timings: { features: 0.02, total: 0.25 },
  });
  // shareX/shareY where they were; the ends, the frequencies and the mean squares (shareX/Y's clearer names) after the §3 fields
  for (const m of j.modes) assert.deepEqual(Object.keys(m), ['rank', 'side', 'eigenvalue', 'shareX', 'shareY', 'top', ...ENDS, ...FREQ]);
});

test("toFincCliJson: each side's labels name that side's top samples; notes and inputs", () => {
  const inputs = { X: { header: null, indexColumn: null }, Y: { header: 'h', indexColumn: null } };
  const j = toFincCliJson(fincResult({ notes: ['n1'] }), { x: ['x0', 'x1', 'x2', 'x3'], y: ['y0', 'y1', 'y2'] }, inputs);
  assert.deepEqual(
    j.modes[0].top.map((t) => t.label),
    ['x3', 'x1'],
  );
  assert.deepEqual(
    j.modes[1].top.map((t) => t.label),
    ['y2'],
  );
  assert.deepEqual(
    j.modes[0].bottom!.map((t) => t.label),
    ['x0'],
  );
  assert.deepEqual(
    j.modes[1].bottom!.map((t) => t.label),
    ['y1'],
  );
  assert.deepEqual(Object.keys(j).slice(-3), ['notes', 'timings', 'inputs']);
  assert.deepEqual(j.inputs, inputs);
  // labels of one side only: the other side's tops stay unlabelled
  const k = toFincCliJson(fincResult(), { y: ['y0', 'y1', 'y2'] });
  assert.deepEqual(k.modes[0].top[0], { index: 3, score: 0.75 });
  assert.deepEqual(k.modes[1].top[0], { index: 2, score: 0.875, label: 'y2' });
});

test("toFincCliJson with the CLI's extras: label mix per mode, each side against its own set's labels, --scores and --scores-y", () => {
  const r = fincResult({
    modes: [
      { ...fincResult().modes[0], scores: Float64Array.of(0, 0.5, 0.1, 0.75) },
      { ...fincResult().modes[1], scores: Float64Array.of(0.1, 0, 0.875) },
    ],
  });
  const sx = { file: 'sx.npy', dtype: 'float32' as const, shape: [4, 1] as [number, number], columns: ['x1'] };
  const sy = { file: 'sy.npy', dtype: 'float32' as const, shape: [3, 1] as [number, number], columns: ['y1'] };
  const j = toFincCliJson(r, { x: ['p', 'q', 'p', 'q'] }, undefined, { seed: 1, sigma: { X: 'auto', Y: 'auto' }, scores: sx, scoresY: sy });
  assert.deepEqual(Object.keys(j).slice(-7), ['methodReason', 'seed', 'version', 'sigma', 'agreement', 'scores', 'scoresY']);
  assert.deepEqual(Object.keys(j.modes[0]), [
    'rank',
    'side',
    'eigenvalue',
    'shareX',
    'shareY',
    'top',
    'labelMix',
    'purity',
    'entropy',
    ...ENDS,
    ...FREQ,
    'bottomLabelMix',
    'bottomPurity',
    'bottomEntropy',
  ]);
  assert.deepEqual(Object.keys(j.modes[1]), ['rank', 'side', 'eigenvalue', 'shareX', 'shareY', 'top', ...ENDS, ...FREQ], 'no labels for Y: no mix');
  assert.deepEqual([j.modes[0].bottomLabelMix, j.modes[0].bottomPurity, j.modes[0].bottomEntropy], [[{ label: 'p', count: 1 }], 1, 0]);
  assert.deepEqual(j.modes[0].labelMix, [{ label: 'q', count: 2 }]);
  assert.deepEqual([j.modes[0].purity, j.modes[0].entropy], [1, 0]);
  // X's samples 1 and 3 (both 'q', scores ≥ x1's top cut 0.375, drawn over X and Y) go to x1: a perfect split of the labels
  assert.deepEqual(j.agreement, { cut: 0.5, x: { nmi: 1, ami: 1, assigned: [{ mode: 'x1', count: 2 }], unassigned: 2 }, y: null });
  assert.ok(!('shareOf' in j));
});

test('toFincCliJson: rffError is the last field and absent when the result has none', () => {
  const rffError = { xNotY: 0.01, yNotX: 0.07, norm: 0.07, sample: 500 };
  const f = toFincCliJson(fincResult({ rffError }), {}, undefined, { seed: 0, sigma: { X: 'auto', Y: 'auto' } });
  assert.equal(Object.keys(f).at(-1), 'rffError');
  assert.deepEqual(f.rffError, rffError);
  assert.ok(!('rffError' in toFincCliJson(fincResult())));
});

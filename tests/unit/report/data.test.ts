// The report data: which rows are gathered and plotted, the layouts as stored
// (rounded to 4 decimals), per-mode evidence over the plotted points, the
// thumbnails' order, dedup and size cap, and finc's split of the point budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatherRows, prepareAlignReport, prepareCompareReport, prepareFincReport, DEFAULT_MAX_POINTS, type ThumbFn } from '../../../src/report/data.js';
import { sampleLayoutPoints } from '../../../src/report/sample.js';
import { layout2d } from '../../../src/report/layout.js';
import { fiveNumbers, neighbourRanks, pairSample, pairsAmong } from '../../../src/report/evidence.js';
import { densityEvidence } from '../../../src/report/density.js';
import { matrixSource, type RowSource } from '../../../src/validate/source.js';
import { VERSION } from '../../../src/version.js';
import { toCliJson } from '../../../src/report/json.js';
import { toFincCliJson } from '../../../src/report/finc-json.js';
import { fincResult, NO_ENDS, NO_FREQ, specResult } from '../cli/results.js';

function matrix(n: number, d: number, seed: number) {
  let s = seed;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  return { data: Float32Array.from({ length: n * d }, rnd), rows: n, cols: d };
}

/** A source that records which rows were read. */
function counted(m: ReturnType<typeof matrix>): RowSource & { reads: number[] } {
  const src = matrixSource(m, 'X');
  const reads: number[] = [];
  return {
    ...src,
    reads,
    read: (start, count) => {
      for (let i = 0; i < count; i++) reads.push(start + i);
      return src.read(start, count);
    },
  };
}

test('gatherRows: the given rows in the given order, one read per row', () => {
  const m = matrix(10, 3, 1);
  const src = counted(m);
  const g = gatherRows(src, [7, 2, 9]);
  assert.deepEqual(src.reads, [7, 2, 9]);
  assert.equal(g.rows, 3);
  assert.equal(g.cols, 3);
  assert.deepEqual(Array.from(g.data), [...m.data.subarray(21, 24), ...m.data.subarray(6, 9), ...m.data.subarray(27, 30)]);
});

const N = 30;
const result = specResult({
  n: N,
  kernelX: { type: 'cosine' },
  kernelY: { type: 'gaussian', sigma: 0.75 },
  modes: [
    {
      rank: 1,
      side: 'x',
      eigenvalue: 0.75,
      top: [
        { index: 29, score: 0.5 },
        { index: 3, score: 0.4 },
        { index: 11, score: 0.3 },
      ],
      ...NO_ENDS,
    },
    {
      rank: 1,
      side: 'y',
      eigenvalue: -0.25,
      top: [
        { index: 17, score: 0.6 },
        { index: 3, score: 0.2 },
      ],
      ...NO_ENDS,
    },
  ],
});

test('prepareCompareReport: plotted points, layouts, panels, evidence over the plotted rows', async () => {
  const mx = matrix(N, 4, 2),
    my = matrix(N, 3, 3);
  const X = counted(mx),
    Y = counted(my);
  const labels = Array.from({ length: N }, (_, i) => `l${i % 4}`);
  const progress: [string, number][] = [];
  const json = toCliJson(result, labels);
  const d = await prepareCompareReport(result, json, X, Y, labels, {
    maxPoints: 12,
    seed: 5,
    xName: 'a.npy',
    yName: 'b.npy',
    onProgress: (m, f) => progress.push([m, f]),
  });
  const pts = sampleLayoutPoints(N, [29, 3, 11, 17, 3], 12, 5);
  assert.equal(pts.length, 12);
  assert.deepEqual(d.maps!.points, { index: pts, set: pts.map(() => 0), labels: pts.map((i) => labels[i]) });
  assert.deepEqual(X.reads, pts, 'only the plotted rows are read');
  assert.deepEqual(d.maps!.panels, [
    { title: 'a.npy', layout: 0 },
    { title: 'b.npy', layout: 1 },
  ]);
  assert.equal(d.maps!.total, N);
  // each layout: the layout stage's coordinates of the gathered rows, rounded to 4 decimals
  const rx = gatherRows(matrixSource(mx, 'X'), pts),
    ry = gatherRows(matrixSource(my, 'Y'), pts);
  const lx = await layout2d(rx.data, 12, 4, { normalize: true }),
    ly = await layout2d(ry.data, 12, 3, { normalize: false });
  assert.deepEqual(d.maps!.layouts, [
    { method: 'pca', xy: Array.from(lx.xy, (v) => Math.round(v * 1e4) / 1e4) },
    { method: 'pca', xy: Array.from(ly.xy, (v) => Math.round(v * 1e4) / 1e4) },
  ]);
  for (const v of d.maps!.layouts.flatMap((l) => l.xy)) assert.ok(Number(v.toFixed(4)) === v && Math.abs(v) <= 1, `${v}: 4 decimals, in [−1, 1]`);
  // evidence: positions of each mode's top samples among the plotted points
  const pos = (i: number) => pts.indexOf(i);
  const topX = [29, 3, 11].map(pos),
    topY = [17, 3].map(pos);
  const allX = fiveNumbers(pairSample(rx, result.kernelX, 2000, 6)),
    allY = fiveNumbers(pairSample(ry, result.kernelY, 2000, 6));
  assert.deepEqual(d.evidence, {
    x1: {
      topX: fiveNumbers(pairsAmong(rx, result.kernelX, topX)),
      topY: fiveNumbers(pairsAmong(ry, result.kernelY, topX)),
      allX,
      allY,
      rankX: neighbourRanks(rx, result.kernelX, topX),
      rankY: neighbourRanks(ry, result.kernelY, topX),
      rankOf: 11,
    },
    y1: {
      topX: fiveNumbers(pairsAmong(rx, result.kernelX, topY)),
      topY: fiveNumbers(pairsAmong(ry, result.kernelY, topY)),
      allX,
      allY,
      rankX: neighbourRanks(rx, result.kernelX, topY),
      rankY: neighbourRanks(ry, result.kernelY, topY),
      rankOf: 11,
    },
  });
  // density: the modes' plotted top samples' spread, as densityEvidence computes it over the plotted rows (seed + 2)
  assert.deepEqual(
    d.density,
    densityEvidence(
      [
        { key: 'x1', side: 'x', top: topX, index: [29, 3, 11] },
        { key: 'y1', side: 'y', top: topY, index: [17, 3] },
      ],
      rx,
      ry,
      result.kernelX,
      result.kernelY,
      7,
    ),
  );
  assert.equal(d.maps!.scores, undefined, 'no scores without returnScores');
  // the rest of the page data
  assert.equal(d.format, 'spec-embed-report');
  assert.equal(d.version, VERSION);
  assert.equal(d.task, 'compare');
  assert.equal(d.title, 'spec-embed: a.npy vs b.npy');
  assert.equal(d.json, json);
  assert.equal(d.methodReason, result.methodReason);
  assert.ok(!('description' in d) && !('generated' in d) && !('sigmaAuto' in d) && !('thumbs' in d));
  // progress: X's layout in the first half, Y's in the second, ending at 1
  assert.deepEqual(
    progress.map(([m]) => m),
    ['layout of a.npy', 'layout of b.npy'],
  );
  assert.deepEqual(
    progress.map(([, f]) => f),
    [0.5, 1],
  );
});

test('prepareCompareReport: all points under the default cap, no labels, layout none, no samples', async () => {
  assert.equal(DEFAULT_MAX_POINTS, 3000);
  const X = matrixSource(matrix(N, 4, 2), 'X'),
    Y = matrixSource(matrix(N, 3, 3), 'Y');
  const d = await prepareCompareReport(result, toCliJson(result), X, Y, undefined, { title: 'T', description: 'D', generated: 'G', sigmaAuto: { y: true } });
  assert.deepEqual(d.maps!.points, { index: [...Array(N).keys()], set: new Array(N).fill(0) });
  assert.deepEqual([d.title, d.description, d.generated, d.sigmaAuto], ['T', 'D', 'G', { y: true }]);
  assert.deepEqual([d.xName, d.yName], ['X', 'Y']);
  const none = await prepareCompareReport(result, toCliJson(result), X, Y, undefined, { layout: 'none' });
  assert.equal(none.maps, undefined);
  assert.equal(none.evidence, undefined);
  const empty = await prepareCompareReport(
    specResult({ n: 0, modes: [] }),
    toCliJson(specResult()),
    matrixSource(matrix(0, 4, 1), 'X'),
    matrixSource(matrix(0, 3, 1), 'Y'),
    undefined,
  );
  assert.equal(empty.maps, undefined);
});

test('prepareCompareReport thumbnails: top samples first, then plotted points, each once, under the cap; failures skipped', async () => {
  const X = matrixSource(matrix(N, 4, 2), 'X'),
    Y = matrixSource(matrix(N, 3, 3), 'Y');
  const asked: string[] = [];
  const thumb: ThumbFn = (set, i) => {
    asked.push(`${set}:${i}`);
    if (i === 11) throw new Error('unreadable');
    if (i === 29) return null;
    return i === 17 ? 'x'.repeat(50) : `u${i}`.padEnd(10, '.');
  };
  const d = await prepareCompareReport(result, toCliJson(result), X, Y, undefined, { maxPoints: 8, seed: 1, thumb, thumbBytes: 75 });
  const pts = sampleLayoutPoints(N, [29, 3, 11, 17, 3], 8, 1);
  // asked in order: the tops (29, 3, 11, 17), then the plotted points not asked yet... except those already embedded
  assert.deepEqual(asked.slice(0, 4), ['0:29', '0:3', '0:11', '0:17']);
  // 3 (10 chars) and 17 (50) fit in 75; the next plotted point of 10 chars fits (70); then nothing more
  const firstOther = pts.find((i) => ![29, 3, 11, 17].includes(i))!;
  assert.deepEqual(Object.keys(d.thumbs!), ['0:3', '0:17', `0:${firstOther}`]);
  assert.equal(d.thumbs!['0:17'], 'x'.repeat(50));
  // layout none: the tops only
  asked.length = 0;
  const none = await prepareCompareReport(result, toCliJson(result), X, Y, undefined, { layout: 'none', thumb });
  assert.deepEqual(asked, ['0:29', '0:3', '0:11', '0:17']);
  assert.deepEqual(Object.keys(none.thumbs!), ['0:3', '0:17']);
});

test('prepareFincReport: the point budget split by set size, one pooled layout shown twice, labels per set', async () => {
  const r = fincResult({
    nx: 30,
    ny: 10,
    kernel: { type: 'linear' },
    modes: [
      { rank: 1, side: 'x', eigenvalue: 0.5, shareX: 0.5, shareY: 0.1, top: [{ index: 25, score: 1 }], ...NO_ENDS, ...NO_FREQ },
      {
        rank: 1,
        side: 'y',
        eigenvalue: -0.2,
        shareX: 0.1,
        shareY: 0.3,
        top: [
          { index: 9, score: 1 },
          { index: 0, score: 0.5 },
        ],
        ...NO_ENDS,
        ...NO_FREQ,
      },
    ],
  });
  const mx = matrix(30, 3, 4),
    my = matrix(10, 3, 5);
  const labels = { y: Array.from({ length: 10 }, (_, i) => `y${i}`) };
  const thumbs: string[] = [];
  const d = await prepareFincReport(r, toFincCliJson(r, labels), matrixSource(mx, 'X'), matrixSource(my, 'Y'), labels, {
    maxPoints: 8,
    seed: 2,
    thumb: (s, i) => {
      thumbs.push(`${s}:${i}`);
      return 'u';
    },
  });
  const px = sampleLayoutPoints(30, [25], 6, 2),
    py = sampleLayoutPoints(10, [9, 0], 2, 3);
  assert.deepEqual(d.maps!.points, {
    index: [...px, ...py],
    set: [0, 0, 0, 0, 0, 0, 1, 1],
    labels: [null, null, null, null, null, null, ...py.map((i) => `y${i}`)],
  });
  assert.equal(d.maps!.layouts.length, 1);
  assert.deepEqual(d.maps!.panels, [
    { title: 'X', layout: 0, emphasis: 0 },
    { title: 'Y', layout: 0, emphasis: 1 },
  ]);
  assert.equal(d.maps!.total, 40);
  const pooled = new Float32Array(24);
  pooled.set(gatherRows(matrixSource(mx, 'X'), px).data as Float32Array, 0);
  pooled.set(gatherRows(matrixSource(my, 'Y'), py).data as Float32Array, 18);
  const l = await layout2d(pooled, 8, 3);
  assert.deepEqual(d.maps!.layouts[0], { method: 'pca', xy: Array.from(l.xy, (v) => Math.round(v * 1e4) / 1e4) });
  assert.deepEqual(thumbs.slice(0, 3), ['0:25', '1:9', '1:0'], "each side's tops from its own set first");
  assert.equal(new Set(thumbs).size, thumbs.length);
  assert.equal(d.title, 'spec-embed FINC: X vs Y');
  assert.equal(d.evidence, undefined, 'finc has no paired evidence');
  const noLabels = await prepareFincReport(r, toFincCliJson(r), matrixSource(mx, 'X'), matrixSource(my, 'Y'), {}, { layout: 'none' });
  assert.equal(noLabels.maps, undefined);
});

test('prepareAlignReport: the base fields and the title naming the map', () => {
  const json = { task: 'align' } as never;
  const d = prepareAlignReport(json, { xName: 'px', yName: 'hog', generated: 'today' });
  assert.deepEqual(d, {
    format: 'spec-embed-report',
    version: VERSION,
    task: 'align',
    title: 'spec-embed align: px ← ψ(hog)',
    xName: 'px',
    yName: 'hog',
    json,
    generated: 'today',
  });
});

test("prepareAlignReport: thumbnails of every mode's top samples (rows of X/Y, set 0), those of the removed and new modes first", () => {
  const m = (side: 'x' | 'y', rank: number, ix: number[]) => ({
    rank,
    side,
    eigenvalue: side === 'x' ? 0.1 : -0.1,
    top: ix.map((index) => ({ index, score: 1 })),
  });
  const json = {
    task: 'align',
    removedModes: [2],
    createdModes: [{ side: 'y', rank: 1 }],
    modesBefore: [m('x', 1, [1, 2]), m('x', 2, [3, 4])],
    modesAfter: [m('x', 1, [1, 5]), m('y', 1, [6, 7])],
  } as never;
  const asked: string[] = [];
  const d = prepareAlignReport(json, {
    thumb: (set, i) => {
      asked.push(`${set}:${i}`);
      return i === 5 ? null : `data:image/png;base64,${i}`;
    },
  });
  assert.deepEqual(asked, ['0:3', '0:4', '0:6', '0:7', '0:1', '0:2', '0:5']);
  assert.deepEqual(Object.keys(d.thumbs!), ['0:3', '0:4', '0:6', '0:7', '0:1', '0:2']);
  // a cap keeps the first ones: the removed and new modes' samples
  const capped = prepareAlignReport(json, { thumb: (_s, i) => `data:image/png;base64,${i}`, thumbBytes: 2 * 'data:image/png;base64,3'.length });
  assert.deepEqual(Object.keys(capped.thumbs!), ['0:3', '0:4']);
  assert.equal(prepareAlignReport(json).thumbs, undefined, 'none without a thumbnail function');
});

test("both ends are plotted and get thumbnails: every top sample first, then every bottom sample (finc: of the side's set)", async () => {
  const ends = (bottom: number[]) => ({ ...NO_ENDS, bottom: bottom.map((index) => ({ index, score: -0.5 })) });
  const r = specResult({
    n: N,
    modes: [
      { rank: 1, side: 'x', eigenvalue: 0.75, top: [{ index: 29, score: 0.5 }], ...ends([7, 8]), kind: 'contrast' },
      { rank: 1, side: 'y', eigenvalue: -0.25, top: [{ index: 17, score: 0.6 }], ...ends([12]) },
    ],
  });
  const asked: string[] = [];
  const X = matrixSource(matrix(N, 4, 2), 'X'),
    Y = matrixSource(matrix(N, 3, 3), 'Y');
  const d = await prepareCompareReport(r, toCliJson(r), X, Y, undefined, {
    maxPoints: 6,
    seed: 3,
    thumb: (s, i) => {
      asked.push(`${s}:${i}`);
      return 'u';
    },
  });
  assert.deepEqual(d.maps!.points.index, sampleLayoutPoints(N, [29, 17, 7, 8, 12], 6, 3));
  for (const i of [29, 17, 7, 8, 12]) assert.ok(d.maps!.points.index.includes(i), `sample ${i} plotted`);
  assert.deepEqual(asked.slice(0, 5), ['0:29', '0:17', '0:7', '0:8', '0:12']);
  const f = fincResult({
    nx: 30,
    ny: 10,
    kernel: { type: 'linear' },
    modes: [
      { rank: 1, side: 'x', eigenvalue: 0.5, shareX: 0.5, shareY: 0.1, top: [{ index: 25, score: 1 }], ...ends([3]), ...NO_FREQ },
      { rank: 1, side: 'y', eigenvalue: -0.2, shareX: 0.1, shareY: 0.3, top: [{ index: 9, score: 1 }], ...ends([4]), ...NO_FREQ },
    ],
  });
  const fAsked: string[] = [];
  const fd = await prepareFincReport(
    f,
    toFincCliJson(f),
    matrixSource(matrix(30, 3, 4), 'X'),
    matrixSource(matrix(10, 3, 5), 'Y'),
    {},
    {
      maxPoints: 8,
      seed: 2,
      thumb: (s, i) => {
        fAsked.push(`${s}:${i}`);
        return 'u';
      },
    },
  );
  assert.deepEqual(fAsked.slice(0, 4), ['0:25', '1:9', '0:3', '1:4']);
  const plotted = fd.maps!.points.index.map((i, p) => `${fd.maps!.points.set[p]}:${i}`);
  for (const k of ['0:25', '1:9', '0:3', '1:4']) assert.ok(plotted.includes(k), `${k} plotted`);
});

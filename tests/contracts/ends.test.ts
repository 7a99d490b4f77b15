// Both ends of a mode and FINC's frequencies on planted data, against NumPy
// (scripts/fixtures/ends.py: numpy.linalg.eigh of the explicit Λ and of CX − CY, the
// ends, masses, kinds and frequencies by the rule of docs/design.md §1 written there
// independently): compare()'s exact and covariance routes, finc()'s covariance (cosine,
// Gaussian RFF) and exact (Gaussian, σ auto) routes, the accumulators, and the planted
// facts themselves; on two workers, the ends and frequencies one thread draws.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compare, finc, FincAccumulator, SpecAccumulator, terminateWorkers } from '../../src/index.js';
import { parseNpy } from '../../src/io/index.js';
import type { FincMode } from '../../src/types/finc.js';
import type { SpecMode } from '../../src/types/index.js';

after(() => terminateWorkers());

const dir = new URL('../fixtures/ends/', import.meta.url);
const npy = (name: string) => parseNpy(readFileSync(new URL(name, dir)), name);
const SPEC = JSON.parse(readFileSync(new URL('spec.json', dir), 'utf8'));
const FINC = JSON.parse(readFileSync(new URL('finc.json', dir), 'utf8'));
const SX = npy('spec_x.npy'),
  SY = npy('spec_y.npy'),
  FX = npy('finc_x.npy');
const groups: number[] = SPEC.groups;

/** A mode's ends against the reference: kind, masses, counts (± the samples within float32 reach of a cut), cuts, both lists. */
function checkEnds(m: SpecMode | FincMode, ref: any, tag: string) {
  assert.equal(m.kind, ref.kind, `${tag}: kind`);
  assert.ok(
    Math.abs(m.massTop - ref.massTop) < 1e-5 && Math.abs(m.massBottom - ref.massBottom) < 1e-5,
    `${tag}: masses ${m.massTop}, ${m.massBottom} vs ${ref.massTop}, ${ref.massBottom}`,
  );
  const top = m.countTop,
    bottom = m.countBottom;
  assert.ok(
    Math.abs(top - ref.countTop) <= ref.nearTop && Math.abs(bottom - ref.countBottom) <= ref.nearBottom,
    `${tag}: counts ${top}, ${bottom} vs ${ref.countTop}, ${ref.countBottom}`,
  );
  // the cuts are grid points: the same one, or its neighbour when float32 moved the peak or the mean across a step
  const step = Math.abs(ref.cutTop) / 128 + Math.abs(ref.cutBottom) / 128;
  assert.ok(
    Math.abs(m.cutTop - ref.cutTop) <= step && Math.abs(m.cutBottom - ref.cutBottom) <= step,
    `${tag}: cuts ${m.cutTop}, ${m.cutBottom} vs ${ref.cutTop}, ${ref.cutBottom}`,
  );
  for (const [end, list, scores] of [
    ['top', m.top, ref.topScores],
    ['bottom', m.bottom, ref.bottomScores],
  ] as const) {
    const want: number[] = ref[end];
    assert.equal(list.length, want.length, `${tag}: ${end} length`);
    const peak = Math.max(Math.abs(scores[0]), Math.abs(ref.topScores[0]), Math.abs(ref.bottomScores[0]));
    list.forEach((t, j) => {
      assert.ok(Math.abs(t.score - scores[j]) <= 1e-5 * peak, `${tag}: ${end}[${j}] score ${t.score} vs ${scores[j]}`);
      const separated =
        (j === 0 || Math.abs(scores[j - 1] - scores[j]) > 1e-4 * peak) && (j + 1 === scores.length || Math.abs(scores[j] - scores[j + 1]) > 1e-4 * peak);
      if (separated) assert.equal(t.index, want[j], `${tag}: ${end}[${j}]`);
    });
  }
}

const specCases: [string, 'exact' | 'covariance'][] = [
  ['gaussian', 'exact'],
  ['cosine', 'exact'],
  ['cosine', 'covariance'],
];
for (const [name, method] of specCases) {
  test(`compare, ${name} kernel, ${method} route: both ends of every mode as NumPy draws them`, async () => {
    const c = SPEC.cases.find((k: any) => k.name === name);
    const r = await compare(SX, SY, { kernel: c.kernel, topK: SPEC.topK, samplesPerMode: SPEC.samplesPerMode, method, threads: 1 });
    assert.equal(r.method, method);
    assert.equal(r.modes.length, c.modes.length);
    r.modes.forEach((m, i) => {
      const ref = c.modes[i],
        tag = `${name} ${method} ${m.side}${m.rank}`;
      assert.deepEqual([m.side, m.rank], [ref.side, ref.rank]);
      assert.ok(Math.abs(m.eigenvalue - ref.eigenvalue) <= 1e-6 * Math.abs(c.modes[0].eigenvalue), tag);
      checkEnds(m, ref, tag);
    });
  });
}

test("compare: the planted modes (Gaussian kernel): a contrast, two clusters, and Y's diffuse group", async () => {
  const c = SPEC.cases.find((k: any) => k.name === 'gaussian');
  const r = await compare(SX, SY, { kernel: c.kernel, topK: 3, samplesPerMode: 20, returnScores: true });
  const [x1, x2, , y1, y2] = r.modes;
  const labels = (list: { index: number }[]) => [...new Set(list.map((t) => groups[t.index]))];
  // x1: X separates g0 from g1, Y merges them — both ends, half the mode each
  assert.deepEqual([x1.kind, labels(x1.top), labels(x1.bottom), x1.countTop, x1.countBottom], ['contrast', [0], [1], 100, 100]);
  assert.ok(Math.abs(x1.massTop - 0.5) < 0.01 && Math.abs(x1.massBottom - 0.5) < 0.01);
  // x2: g5, tight in X and 4× wider in Y — one end holding the whole mode
  assert.deepEqual([x2.kind, labels(x2.top), x2.countTop, x2.countBottom], ['cluster', [5], 100, 0]);
  assert.ok(x2.massTop > 0.99);
  // y1: the merged g0 + g1 of Y
  assert.deepEqual([y1.kind, labels(y1.top), y1.countTop, y1.countBottom], ['cluster', [0, 1], 200, 0]);
  assert.ok(y1.massTop > 0.99);
  // y2: the spread of g5 in Y, one side of it against the other
  assert.deepEqual([y2.kind, labels(y2.top), labels(y2.bottom)], ['contrast', [5], [5]]);
  // the counts and masses are those of the returned scores past the cuts (the unit eigenvector: Σ score² = 1)
  for (const m of r.modes) {
    const s = Array.from(m.scores!);
    assert.equal(s.filter((v) => v >= m.cutTop).length, m.countTop);
    assert.equal(s.filter((v) => v <= m.cutBottom).length, m.countBottom);
    const sq = (f: (v: number) => boolean) => s.filter(f).reduce((a, v) => a + v * v, 0) / s.reduce((a, v) => a + v * v, 0);
    assert.ok(Math.abs(sq((v) => v >= m.cutTop) - m.massTop) < 1e-12 && Math.abs(sq((v) => v <= m.cutBottom) - m.massBottom) < 1e-12);
  }
  // under the cosine kernel Y's wide g5 shows as diffuse modes: no end holds half the mode, and their most
  // negative samples are g5's
  const cos = await compare(SX, SY, { kernel: 'cosine', topK: 3 });
  const dens = cos.modes.filter((m) => m.side === 'y' && m.rank > 1);
  assert.equal(dens.length, 2);
  for (const m of dens) {
    assert.equal(m.kind, 'diffuse');
    assert.ok(m.massTop + m.massBottom < 0.5);
    assert.ok(m.bottom.filter((t) => groups[t.index] === 5).length >= 12, `y${m.rank}: bottom samples mostly g5`);
  }
});

/** Rows of m repeated `times` times (enough rows for the workers: they split a set in chunks of 1024). */
const tiled = (m: typeof SX, times: number) => {
  const data = new Float32Array(m.data.length * times);
  for (let t = 0; t < times; t++) data.set(m.data, t * m.data.length);
  return { data, rows: m.rows * times, cols: m.cols };
};

/** Two results' modes: both ends, kinds, counts, cuts and frequencies identical; masses to summation order. */
function sameEnds(a: (SpecMode | FincMode)[], b: (SpecMode | FincMode)[], tag: string) {
  assert.equal(a.length, b.length);
  a.forEach((m, i) => {
    const w = b[i] as any,
      g = m as any;
    assert.deepEqual(
      [g.top, g.bottom, g.kind, g.countTop, g.countBottom, g.cutTop, g.cutBottom, g.freqX, g.freqY, g.freqEnd],
      [w.top, w.bottom, w.kind, w.countTop, w.countBottom, w.cutTop, w.cutBottom, w.freqX, w.freqY, w.freqEnd],
      `${tag} mode ${i}`,
    );
    assert.ok(Math.abs(g.massTop - w.massTop) < 1e-12 && Math.abs(g.massBottom - w.massBottom) < 1e-12, `${tag} mode ${i}: masses`);
  });
}

test("on two workers the ends are one thread's: the same top and bottom samples (merged in worker order), counts and cuts", async () => {
  const X4 = tiled(SX, 4),
    Y4 = tiled(SY, 4);
  const opts = { kernel: 'cosine' as const, method: 'covariance' as const, topK: 3, samplesPerMode: 25 };
  const one = await compare(X4, Y4, { ...opts, threads: 1 }),
    two = await compare(X4, Y4, { ...opts, threads: 2 });
  assert.equal(two.threads, 2);
  sameEnds(two.modes, one.modes, 'compare');
  const FX3 = tiled(FX, 3),
    FY3 = tiled(npy('finc_y.npy'), 3);
  const fo = { kernel: { type: 'gaussian' as const, sigma: 15, rffDim: 300 }, method: 'covariance' as const, topK: 3, samplesPerMode: 25 };
  const f1 = await finc(FX3, FY3, { ...fo, threads: 1 }),
    f2 = await finc(FX3, FY3, { ...fo, threads: 2 });
  assert.equal(f2.threads, 2);
  sameEnds(f2.modes, f1.modes, 'finc');
  // the tiled sets hold the planted type at the same fractions
  assert.ok(Math.abs(f1.modes[0].freqX - 0.1) <= 0.02 && Math.abs(f1.modes[0].freqY - 0.02) <= 0.01, `${f1.modes[0].freqX}, ${f1.modes[0].freqY}`);
});

test("SpecAccumulator: the ends of compare()'s covariance route", async () => {
  const r = await compare(SX, SY, { kernel: 'cosine', topK: 3, method: 'covariance', threads: 1 });
  const acc = await SpecAccumulator.create({ kernelX: 'cosine', kernelY: 'cosine', dx: SX.cols, dy: SY.cols });
  try {
    for (let r0 = 0; r0 < SX.rows; r0 += 250) {
      const part = (m: typeof SX) => ({
        data: m.data.subarray(r0 * m.cols, Math.min(m.rows, r0 + 250) * m.cols),
        rows: Math.min(250, m.rows - r0),
        cols: m.cols,
      });
      acc.add(part(SX), part(SY));
    }
    acc.solve({ topK: 3 });
    for (let r0 = 0; r0 < SX.rows; r0 += 100) {
      const part = (m: typeof SX) => ({
        data: m.data.subarray(r0 * m.cols, Math.min(m.rows, r0 + 100) * m.cols),
        rows: Math.min(100, m.rows - r0),
        cols: m.cols,
      });
      acc.scores(part(SX), part(SY));
    }
    acc.modes().forEach((m, i) => {
      const w = r.modes[i];
      assert.deepEqual([m.kind, m.countTop, m.countBottom, m.cutTop, m.cutBottom], [w.kind, w.countTop, w.countBottom, w.cutTop, w.cutBottom]);
      assert.deepEqual(
        m.bottom.map((t) => t.index),
        w.bottom.map((t) => t.index),
      );
    });
  } finally {
    acc.dispose();
  }
});

const fincOptions = (c: any, threads: number) => ({ kernel: c.kernel, method: c.method, topK: FINC.topK, samplesPerMode: FINC.samplesPerMode, threads });

for (const c of FINC.cases) {
  test(`finc ${c.name} (${c.method}): ends, frequencies and mean squares as NumPy draws them`, async () => {
    const Y = npy(`finc_${c.y}.npy`);
    const r = await finc(FX, Y, fincOptions(c, 1));
    assert.equal(r.method, c.method);
    if (c.sigma) assert.ok(Math.abs(r.kernel.sigma! - c.sigma) <= 1e-5 * c.sigma, `σ auto ${r.kernel.sigma} vs NumPy's median ${c.sigma}`);
    assert.equal(r.modes.length, c.modes.length);
    r.modes.forEach((m, i) => {
      const ref = c.modes[i],
        tag = `${c.name} ${m.side}${m.rank}`;
      assert.deepEqual([m.side, m.rank], [ref.side, ref.rank]);
      assert.ok(Math.abs(m.eigenvalue - ref.eigenvalue) <= 1e-5 * Math.abs(c.modes[0].eigenvalue), `${tag}: λ ${m.eigenvalue} vs ${ref.eigenvalue}`);
      checkEnds(m, ref, tag);
      assert.equal(m.freqEnd, ref.freqEnd, `${tag}: freqEnd`);
      const near = ref.freqEnd === 'top' ? ref.nearTop : ref.nearBottom;
      assert.ok(
        Math.abs(m.freqX - ref.freqX) * FX.rows <= near && Math.abs(m.freqY - ref.freqY) * Y.rows <= near,
        `${tag}: freq ${m.freqX}, ${m.freqY} vs ${ref.freqX}, ${ref.freqY}`,
      );
      assert.ok(
        Math.abs(m.meanSquareX - ref.meanSquareX) <= 1e-5 * ref.meanSquareX && Math.abs(m.meanSquareY - ref.meanSquareY) <= 1e-5 * ref.meanSquareY,
        tag,
      );
      assert.deepEqual([m.shareX, m.shareY], [m.meanSquareX, m.meanSquareY]);
    });
  });
}

test('finc: the planted type at 10% of X and 2% of Y reads as 0.10 ± 0.02 and 0.02 ± 0.01; absent from Y, ≤ 0.01 — cosine and Gaussian (σ auto), both routes', async () => {
  for (const c of FINC.cases) {
    const Y = npy(`finc_${c.y}.npy`),
      plantedX = npy('finc_x_planted.npy');
    const r = await finc(FX, Y, fincOptions(c, 1));
    const x1 = r.modes[0];
    assert.equal(x1.side, 'x');
    assert.ok(Math.abs(x1.freqX - c.truth.freqX) <= 0.02, `${c.name}: freqX ${x1.freqX}`);
    if (c.truth.freqY > 0) assert.ok(Math.abs(x1.freqY - c.truth.freqY) <= 0.01, `${c.name}: freqY ${x1.freqY}`);
    else assert.ok(x1.freqY <= 0.01, `${c.name}: freqY ${x1.freqY} for a type Y lacks`);
    // the type's samples are the ones counted: every listed sample of its end is planted
    const end = x1.freqEnd === 'top' ? x1.top : x1.bottom;
    assert.ok(
      end.every((t) => plantedX.data[t.index] === 1),
      `${c.name}: x1's ${x1.freqEnd} samples are the planted type`,
    );
    // the mean squares are no frequencies: under the Gaussian kernel the common component fills both
    if (c.name.startsWith('gaussian'))
      assert.ok(x1.meanSquareY > 0.2 && x1.meanSquareX < 2 * x1.meanSquareY, `${c.name}: mean squares ${x1.meanSquareX}, ${x1.meanSquareY}`);
  }
});

test('FincAccumulator: both sets scored on every mode; modes() needs both passes', async () => {
  const c = FINC.cases.find((k: any) => k.name === 'cosine-y');
  const Y = npy('finc_y.npy');
  const r = await finc(FX, Y, fincOptions(c, 1));
  const acc = await FincAccumulator.create({ kernel: 'cosine', d: FX.cols });
  try {
    acc.addX(FX);
    acc.addY(Y);
    acc.solve({ topK: FINC.topK, samplesPerMode: FINC.samplesPerMode });
    acc.scoresX(FX);
    assert.throws(() => acc.modes(), /feed every row of Y again/);
    acc.scoresY(Y);
    acc.modes().forEach((m, i) => {
      const w = r.modes[i];
      assert.deepEqual([m.kind, m.freqX, m.freqY, m.freqEnd, m.countTop, m.countBottom], [w.kind, w.freqX, w.freqY, w.freqEnd, w.countTop, w.countBottom]);
      assert.deepEqual([m.top.map((t) => t.index), m.bottom.map((t) => t.index)], [w.top.map((t) => t.index), w.bottom.map((t) => t.index)]);
    });
  } finally {
    acc.dispose();
  }
});

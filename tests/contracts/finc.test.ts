import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { finc, fincSources, FincAccumulator, InputError, AbortError } from '../../src/index.js';
import { mulberry32 } from '../shared/rng.mjs';
import { runFincCase } from '../property/helpers/finc-case.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/finc/${name}.json`, import.meta.url), 'utf8'));
const clear = (f: any, side: string) => f.modes.filter((m: any) => m.side === side && Math.abs(m.eigenvalue) > 1e-5 * f.specDiff.norm);

/** Eigenvalues, shares, top samples and scores against the NumPy reference (tolerances relative to the spectral norm). */
function checkAgainstReference(f: any, res: any, relTol: number, label: string) {
  const norm = f.specDiff.norm;
  for (const key of ['xNotY', 'yNotX', 'norm'] as const) {
    assert.ok(Math.abs(res.specDiff[key] - f.specDiff[key]) <= relTol * norm, `${label}: ${key} ${res.specDiff[key]} vs ${f.specDiff[key]}`);
  }
  for (const side of ['x', 'y']) {
    const ref = clear(f, side);
    const got = res.modes.filter((m: any) => m.side === side);
    assert.ok(got.length >= ref.length, `${label}: side ${side} has ${got.length} modes, expected ≥ ${ref.length}`);
    ref.forEach((m: any, i: number) => {
      const g = got[i];
      const tag = `${label} ${side}${i + 1}`;
      assert.equal(g.rank, i + 1);
      assert.ok(Math.abs(g.eigenvalue - m.eigenvalue) <= relTol * norm, `${tag}: λ ${g.eigenvalue} vs ${m.eigenvalue}`);
      const shareTol = relTol * norm + 1e-5 * Math.max(m.shareX, m.shareY);
      assert.ok(Math.abs(g.shareX - m.shareX) <= shareTol, `${tag}: shareX ${g.shareX} vs ${m.shareX}`);
      assert.ok(Math.abs(g.shareY - m.shareY) <= shareTol, `${tag}: shareY ${g.shareY} vs ${m.shareY}`);
      assert.ok(Math.abs(g.shareX - g.shareY * res.eta - g.eigenvalue) <= relTol * norm + 1e-6 * g.shareX, `${tag}: shareX − η·shareY = λ`);
      if (m.gap > 1e-3 * norm) {
        const k = m.top.length;
        assert.equal(g.top.length, k);
        for (let j = 0; j < k; j++) {
          const s = m.topScores;
          const sep = (j + 1 < k ? s[j] - s[j + 1] : 1) > 1e-4 * Math.abs(s[0]) && (j === 0 || s[j - 1] - s[j] > 1e-4 * Math.abs(s[0]));
          if (sep) assert.equal(g.top[j].index, m.top[j], `${tag}: top[${j}]`);
          assert.ok(Math.abs(g.top[j].score - s[j]) <= 1e-4 * Math.abs(s[0]), `${tag}: score[${j}] ${g.top[j].score} vs ${s[j]}`);
        }
      }
    });
  }
}

for (const name of ['cosine', 'linear-eta', 'cosine-eta2', 'rank-deficient']) {
  test(`${name}: covariance route matches numpy.linalg.eigh(CX − ηCY)`, async () => {
    const f = fixture(name);
    const res = await finc(f.X, f.Y, { kernel: f.kernel, eta: f.eta, topK: f.topK, samplesPerMode: f.samplesPerMode });
    assert.equal(res.task, 'finc');
    assert.equal(res.method, 'covariance');
    assert.equal(res.nx, f.X.length);
    assert.equal(res.ny, f.Y.length);
    assert.notEqual(res.nx, res.ny);
    checkAgainstReference(f, res, 1e-6, name);
    assert.deepEqual(
      [...res.eigenvalues],
      res.modes.map((m: any) => m.eigenvalue),
    );
  });
}

test('rank-deficient data: no ghost modes beyond the rank (3) of the data', async () => {
  const f = fixture('rank-deficient');
  const res = await finc(f.X, f.Y, { kernel: 'linear', topK: 10 });
  // rank(CX − CY) ≤ 3 on 3-dimensional data: at most 3 modes, the rest is noise.
  assert.ok(res.modes.length <= 3 && res.modes.length >= 2, `${res.modes.length} modes`);
  assert.ok(res.noiseDropped >= 1);
});

test('Gaussian RFF (same ω as NumPy) matches numpy.linalg.eigh of the RFF covariances', async () => {
  const f = fixture('gaussian-rff');
  const res = await finc(f.X, f.Y, {
    kernel: { type: 'gaussian', sigma: f.sigma, rffDim: f.rffDim },
    seed: f.seed,
    topK: f.topK,
    samplesPerMode: f.samplesPerMode,
    method: 'covariance',
  });
  assert.deepEqual(res.kernel, { type: 'gaussian', sigma: f.sigma, rffDim: f.rffDim });
  checkAgainstReference(f, res, 2e-6, 'gaussian-rff');
});

for (const name of ['gaussian-exact', 'gaussian-exact-dup']) {
  test(`${name}: exact route matches numpy eigh of the pooled G^½JG^½`, async () => {
    const f = fixture(name);
    const res = await finc(f.X, f.Y, { kernel: f.kernel, eta: f.eta, topK: f.topK, samplesPerMode: f.samplesPerMode });
    assert.equal(res.method, 'exact');
    assert.match(res.methodReason, /nx \+ ny = 260 ≤ 1000/);
    assert.deepEqual(res.kernel, { type: 'gaussian', sigma: 3 });
    checkAgainstReference(f, res, 1e-9, name);
  });
}

test('exact ≈ covariance with large m, within RFF error', async () => {
  const f = fixture('gaussian-exact');
  const ex = await finc(f.X, f.Y, { kernel: f.kernel, topK: 3, method: 'exact' });
  const cov = await finc(f.X, f.Y, { kernel: { ...f.kernel, rffDim: 4000 }, topK: 3, method: 'covariance', seed: 11 });
  // RFF error of a covariance entry ~ 1/√m ≈ 0.016 relative; eigenvalues agree to a few % of the norm.
  for (const side of ['x', 'y']) {
    const a = ex.modes.filter((m: any) => m.side === side),
      b = cov.modes.filter((m: any) => m.side === side);
    a.slice(0, 2).forEach((m: any, i: number) =>
      assert.ok(Math.abs(m.eigenvalue - b[i].eigenvalue) <= 0.05 * ex.specDiff.norm, `${side}${i + 1}: ${m.eigenvalue} vs ${b[i].eigenvalue}`),
    );
  }
  assert.ok(Math.abs(ex.specDiff.norm - cov.specDiff.norm) <= 0.05 * ex.specDiff.norm);
});

test("planted cluster: X's extra cluster fills the top positive mode, Y's the top negative one; η > 1 suppresses weak modes", async () => {
  const f = fixture('gaussian-rff');
  for (const method of ['exact', 'covariance'] as const) {
    const res = await finc(f.X, f.Y, { kernel: { type: 'gaussian', sigma: 3 }, topK: 5, samplesPerMode: 20, method });
    const x1 = res.modes.find((m: any) => m.side === 'x' && m.rank === 1)!;
    const y1 = res.modes.find((m: any) => m.side === 'y' && m.rank === 1)!;
    assert.ok(
      x1.top.every((t: any) => f.labelsX[t.index] === f.plantedX),
      `${method}: x1 labels ${x1.top.map((t: any) => f.labelsX[t.index])}`,
    );
    assert.ok(
      y1.top.every((t: any) => f.labelsY[t.index] === f.plantedY),
      `${method}: y1 labels ${y1.top.map((t: any) => f.labelsY[t.index])}`,
    );
    assert.ok(x1.shareX > 5 * x1.shareY, `${method}: planted mode share X ${x1.shareX} vs Y ${x1.shareY}`);
    // η = 3: the planted cluster (absent from Y) keeps its eigenvalue; modes of types both sets share shrink.
    const strong = await finc(f.X, f.Y, { kernel: { type: 'gaussian', sigma: 3 }, topK: 5, eta: 3, method });
    const px = (r: any) => r.modes.filter((m: any) => m.side === 'x');
    const [w1, s1] = [px(res), px(strong)];
    assert.ok(Math.abs(s1[0].eigenvalue - w1[0].eigenvalue) <= 0.1 * w1[0].eigenvalue, `${method}: planted λ ${s1[0].eigenvalue} vs ${w1[0].eigenvalue}`);
    assert.ok(
      s1[0].top.every((t: any) => f.labelsX[t.index] === f.plantedX),
      `${method}: with η = 3 the planted cluster is still x1`,
    );
    assert.ok(s1[1].eigenvalue < 0.5 * w1[1].eigenvalue, `${method}: x2 ${s1[1].eigenvalue} vs ${w1[1].eigenvalue}`);
    assert.ok(
      s1.slice(1).every((m: any, i: number) => m.eigenvalue < w1[i + 1].eigenvalue),
      `${method}: weaker modes shrink`,
    );
  }
});

test('σ auto: median pairwise distance of a pooled sample of both sets', async () => {
  const f = fixture('gaussian-exact');
  const res = await finc(f.X, f.Y, { kernel: 'gaussian', topK: 2 });
  // ≤ 1000 pooled rows: the whole pooled set (260 rows), so NumPy's median over all pairs.
  const P = [...f.X, ...f.Y];
  const ds: number[] = [];
  for (let i = 0; i < P.length; i++) for (let j = i + 1; j < P.length; j++) ds.push(Math.hypot(...P[i].map((v: number, c: number) => v - P[j][c])));
  ds.sort((a, b) => a - b);
  const med = (ds[ds.length / 2 - 1] + ds[ds.length / 2]) / 2;
  assert.ok(Math.abs(res.kernel.sigma! - med) <= 1e-5 * med, `σ ${res.kernel.sigma} vs ${med}`);
});

// ---- streaming, merging, snapshots

const f0 = fixture('gaussian-rff');
const accOpts = { kernel: { type: 'gaussian' as const, sigma: 3, rffDim: 64 }, seed: 3, d: f0.X[0].length };
const nx0 = f0.X.length,
  ny0 = f0.Y.length;

async function streamedModes(partsX: number[], partsY: number[]) {
  const acc = await FincAccumulator.create(accOpts);
  const feed = (parts: number[], rows: number[][], add: (c: number[][]) => void) => {
    let s = 0;
    for (const p of parts) {
      add(rows.slice(s, s + p));
      s += p;
    }
  };
  // interleave: first X parts, then Y, then the rest of X (sets may arrive in any order)
  feed(partsX.slice(0, 1), f0.X, (c) => acc.addX(c));
  feed(partsY, f0.Y, (c) => acc.addY(c));
  acc.addX(f0.X.slice(partsX[0]));
  const sol = acc.solve({ topK: 4, samplesPerMode: 6 });
  feed(partsX, f0.X, (c) => acc.scoresX(c));
  feed(partsY, f0.Y, (c) => acc.scoresY(c));
  const modes = acc.modes();
  acc.dispose();
  return { sol, modes };
}

test('streamed in odd chunk sizes (sets interleaved) = finc() on the whole data', async () => {
  const whole = await finc(f0.X, f0.Y, { kernel: accOpts.kernel, seed: 3, topK: 4, samplesPerMode: 6, method: 'covariance' });
  const { sol, modes } = await streamedModes([7, 1, 93, nx0 - 101], [1, 2, 50, ny0 - 53]);
  assert.equal(sol.nx, nx0);
  assert.equal(sol.ny, ny0);
  assert.equal(modes.length, whole.modes.length);
  modes.forEach((m, i) => {
    const w = whole.modes[i];
    assert.equal(m.side, w.side);
    assert.ok(Math.abs(m.eigenvalue - w.eigenvalue) <= 1e-6 * whole.specDiff.norm);
    assert.ok(Math.abs(m.shareX - w.shareX) <= 1e-6 * whole.specDiff.norm);
    assert.deepEqual(
      m.top.map((t) => t.index),
      w.top.map((t) => t.index),
    );
  });
});

test('merged accumulators = one pass; serialize/deserialize round-trips and rejects corrupt snapshots', async () => {
  const a = await FincAccumulator.create(accOpts),
    b = await FincAccumulator.create(accOpts),
    all = await FincAccumulator.create(accOpts);
  a.addX(f0.X.slice(0, 50));
  a.addY(f0.Y.slice(0, 70));
  b.addX(f0.X.slice(50));
  b.addY(f0.Y.slice(70));
  all.addX(f0.X);
  all.addY(f0.Y);
  const bytes = a.serialize();
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 7)), 'FINCACC');
  const a2 = await FincAccumulator.deserialize(bytes);
  assert.equal(a2.nx, 50);
  assert.equal(a2.ny, 70);
  assert.deepEqual(a2.serialize(), bytes);
  a2.merge(b);
  const s1 = a2.solve({ topK: 3 }),
    s2 = all.solve({ topK: 3 });
  assert.equal(s1.nx, nx0);
  s1.eigenvalues.forEach((v, i) => assert.ok(Math.abs(v - s2.eigenvalues[i]) <= 1e-6 * s2.specDiff.norm));
  assert.throws(() => a2.merge(b), /after solve/);
  assert.throws(() => a2.serialize(), /after solve/);
  const other = await FincAccumulator.create({ ...accOpts, eta: 2 });
  assert.throws(() => a.merge(other), InputError);
  await assert.rejects(FincAccumulator.deserialize(bytes.subarray(0, bytes.length - 8)), /truncated or oversized/);
  const bad = bytes.slice();
  bad[0] = 88;
  await assert.rejects(FincAccumulator.deserialize(bad), /bad magic/);
  // a SPEC snapshot is not a FINC one
  const { SpecAccumulator } = await import('../../src/index.js');
  const spec = await SpecAccumulator.create({ kernelX: 'cosine', kernelY: 'cosine', dx: 2, dy: 2 });
  spec.add(
    [
      [1, 0],
      [0, 1],
    ],
    [
      [1, 0],
      [0, 1],
    ],
  );
  await assert.rejects(FincAccumulator.deserialize(spec.serialize()), /bad magic/);
  for (const x of [a, b, all, a2, other, spec]) x.dispose();
});

test('use after dispose throws; scoring contract is checked', async () => {
  const acc = await FincAccumulator.create({ kernel: 'cosine', d: 2 });
  assert.throws(() => acc.solve(), /no rows/);
  acc.addX([
    [1, 0],
    [1, 0.1],
  ]);
  assert.throws(() => acc.addX([[1, 2, 3]]), /columns/);
  assert.throws(() => acc.addY([[0, 0]]), /all zeros/);
  assert.throws(() => acc.addY([[0, NaN]]), /NaN/);
  acc.addY([
    [0, 1],
    [0.1, 1],
  ]);
  acc.solve({ topK: 1 });
  assert.throws(() => acc.addX([[1, 1]]), /after solve/);
  assert.throws(() => acc.modes(), /scoresX\(\) saw 0 rows/);
  acc.scoresX([
    [1, 0],
    [1, 0.1],
  ]);
  assert.throws(() => acc.scoresX([[1, 0]]), /more rows/);
  acc.scoresY([
    [0, 1],
    [0.1, 1],
  ]);
  const modes = acc.modes();
  assert.equal(modes.length, 2);
  acc.dispose();
  acc.dispose();
  for (const fn of [() => acc.addX([[1, 0]]), () => acc.solve(), () => acc.modes(), () => acc.serialize(), () => acc.scoresX([[1, 0]])]) {
    assert.throws(fn, /after dispose/);
  }
});

// ---- noise floor, duplicates, bad inputs, cooperation

function gaussianRows(n: number, d: number, seed: number, offset = 0): Float32Array {
  const r = mulberry32(seed);
  const out = new Float32Array(n * d);
  for (let i = 0; i < out.length; i++) {
    const u = Math.max(r(), 1e-12),
      v = r();
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v) + offset;
  }
  return out;
}

test('noise floor: identical sets in different row orders give no modes, on both routes', async () => {
  for (const [kernel, method] of [
    ['cosine', 'covariance'],
    ['linear', 'covariance'],
    [{ type: 'gaussian', sigma: 5, rffDim: 200 }, 'covariance'],
    [{ type: 'gaussian', sigma: 5 }, 'exact'],
    ['linear', 'exact'],
  ] as const) {
    const n = method === 'exact' ? 400 : 1200,
      d = 24;
    const X = gaussianRows(n, d, 5, 3);
    const Y = new Float32Array(X.length);
    for (let i = 0; i < n; i++) Y.set(X.subarray(((i * 7) % n) * d, ((i * 7) % n) * d + d), i * d);
    const res = await finc({ data: X, rows: n, cols: d }, { data: Y, rows: n, cols: d }, { kernel: kernel as any, method, topK: 4 });
    assert.equal(res.modes.length, 0, `${JSON.stringify(kernel)}/${method}: ${res.modes.map((m: any) => m.eigenvalue)}`);
    assert.ok(res.noiseDropped > 0, `${JSON.stringify(kernel)}/${method}: noiseDropped ${res.noiseDropped}`);
  }
});

test('duplicated rows and η = 0 on the exact route: shares still match the definition', async () => {
  const f = fixture('gaussian-exact-dup');
  const res = await finc(f.X, f.Y, { kernel: f.kernel, eta: 0, topK: 3, method: 'exact', returnScores: true });
  assert.ok(res.modes.every((m: any) => m.side === 'x'));
  assert.equal(res.modes.length, 3);
  res.modes.forEach((m: any, i: number) => {
    // η = 0: the modes are kernel PCA of X (λ = vᵀCXv = shareX); Y's shares come from K(Y, X) (NumPy reference)
    const ref = f.eta0[i];
    assert.ok(Math.abs(m.eigenvalue - ref.eigenvalue) <= 1e-9, `λ ${m.eigenvalue} vs ${ref.eigenvalue}`);
    assert.ok(Math.abs(m.shareX - m.eigenvalue) <= 1e-9);
    assert.ok(Math.abs(m.shareY - ref.shareY) <= 1e-8, `shareY ${m.shareY} vs ${ref.shareY}`);
    assert.equal(m.scores.length, f.X.length);
    const ms = m.scores.reduce((s: number, x: number) => s + x * x, 0) / f.X.length;
    assert.ok(Math.abs(ms - m.shareX) <= 1e-9);
  });
});

test('bad inputs are InputErrors naming the problem', async () => {
  const X = [
    [1, 2],
    [3, 4],
    [5, 6],
  ];
  await assert.rejects(
    finc(X, [
      [1, 2, 3],
      [4, 5, 6],
    ]),
    /dimensions differ/,
  );
  await assert.rejects(finc(X, [[1, 2]]), (e: any) => e instanceof InputError && /at least 2 samples/.test(e.message) && /Y/.test(e.message));
  await assert.rejects(
    finc(X, [
      [1, 2],
      [NaN, 1],
    ]),
    /non-finite/,
  );
  await assert.rejects(
    finc(
      X,
      [
        [1, 2],
        [0, 0],
      ],
      { kernel: 'cosine' },
    ),
    /all zeros/,
  );
  await assert.rejects(finc(X, X, { eta: -1 }), /eta/);
  await assert.rejects(finc(X, X, { topK: 0 }), /topK/);
  await assert.rejects(finc(X, X, { method: 'fast' as any }), /method/);
  await assert.rejects(finc(X, X, { kernel: { type: 'gaussian', sigma: -2 } }), /sigma/);
  await assert.rejects(finc(X, X, { kernelX: 'cosine' } as any), /one kernel/);
  await assert.rejects(
    finc(
      [
        [1, 1],
        [1, 1],
      ],
      [
        [1, 1],
        [1, 1],
      ],
      { kernel: 'gaussian' },
    ),
    /sigma = auto is 0/,
  );
  const big = { data: new Float32Array(4001 * 2).fill(1), rows: 4001, cols: 2 };
  await assert.rejects(finc(big, X, { kernel: { type: 'gaussian', sigma: 1 }, method: 'exact' }), /nx \+ ny ≤ 4000/);
});

test('AbortSignal stops a long covariance run; onProgress reports stages', async () => {
  const n = 20000,
    d = 64;
  const X = { data: gaussianRows(n, d, 1), rows: n, cols: d },
    Y = { data: gaussianRows(n, d, 2), rows: n, cols: d };
  const ctl = new AbortController();
  const stages = new Set<string>();
  // counted, not timed: abort at the third accumulate event; nothing is reported after it
  let events = 0,
    at = 0,
    acc = 0;
  await assert.rejects(
    finc(X, Y, {
      kernel: { type: 'gaussian', sigma: 8, rffDim: 500 },
      signal: ctl.signal,
      onProgress: (e) => {
        events++;
        stages.add(e.stage);
        if (e.stage === 'accumulate' && ++acc === 3) {
          at = events;
          ctl.abort();
        }
      },
    }),
    AbortError,
  );
  assert.ok(at > 0 && events === at, `${events - at} progress events after abort`);
  assert.ok(stages.has('accumulate'));
  const seen: string[] = [];
  await finc(X, Y, {
    kernel: 'cosine',
    topK: 2,
    onProgress: (e) => {
      if (seen[seen.length - 1] !== e.stage) seen.push(e.stage);
    },
  });
  assert.deepEqual(seen, ['accumulate', 'solve', 'scores']);
});

test('fincSources reads row sources (unequal sizes) like finc', async () => {
  const f = fixture('linear-eta');
  const src = (rows: number[][], name: string) => ({
    rows: rows.length,
    cols: rows[0].length,
    name,
    read: (s: number, c: number) => Float32Array.from(rows.slice(s, s + c).flat()),
  });
  const a = await fincSources(src(f.X, 'a.npy'), src(f.Y, 'b.npy'), { kernel: 'linear', eta: 0.5, topK: 3 });
  const b = await finc(f.X, f.Y, { kernel: 'linear', eta: 0.5, topK: 3 });
  assert.deepEqual(
    a.modes.map((m: any) => m.top),
    b.modes.map((m: any) => m.top),
  );
  await assert.rejects(fincSources(src(f.X, 'a.npy'), src([[1, 2]], 'b.npy')), /b\.npy/);
});

test('auto falls back to the covariance route when the exact eigensolver fails to converge', async () => {
  // Identical sets under a narrow Gaussian: G is nearly a block diagonal of equal 2 × 2 blocks,
  // on which this build's syev QL iteration does not converge (reported; see the FINC notes).
  const n = 500,
    d = 24;
  const X = gaussianRows(n, d, 5, 3);
  const Y = new Float32Array(X.length);
  for (let i = 0; i < n; i++) Y.set(X.subarray(((i * 7) % n) * d, ((i * 7) % n) * d + d), i * d);
  const res = await finc({ data: X, rows: n, cols: d }, { data: Y, rows: n, cols: d }, { kernel: { type: 'gaussian', sigma: 1 }, topK: 4 });
  assert.equal(res.modes.length, 0);
  if (res.method === 'covariance') assert.match(res.methodReason, /did not converge.*covariance route was used/);
  else assert.equal(res.method, 'exact');
});

test('negative eigenvalues far below the positive ones are found with topK = 1 (η = 0.001; property seed 405)', async () => {
  // λ ∈ [−1.1e-5, 0.49]: a Lanczos search for "the most negative" saw no negative Ritz
  // value before the positive end converged and reported no side-y mode; the search
  // now asks for the k largest and k smallest (checked against the Jacobi reference).
  await runFincCase({
    nx: 81,
    ny: 81,
    x: { d: 5, rank: 5, exp10: 0, dupRows: 0, dupCols: 0, nearFactor: 0, constCols: 0, seed: 0 },
    y: { d: 1, rank: 1, exp10: 0, dupRows: 0, dupCols: 1, nearFactor: 0, constCols: 0, seed: 0 },
    kernel: 'gaussian',
    sigma: 'auto',
    rffDim: 1,
    eta: 0.001,
    topK: 1,
    samplesPerMode: 1,
    method: 'exact',
    seed: 0,
  });
});

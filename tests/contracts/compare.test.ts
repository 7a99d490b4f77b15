import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compare, InputError } from '../../src/index.js';
import { mulberry32 as mulberry } from '../shared/rng.mjs';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/compare/${name}.json`, import.meta.url), 'utf8'));
const kernelOf = (type: string, sigma: number | null) => (type === 'gaussian' ? { type, sigma } : type) as any;

function checkAgainstReference(f: any, res: any, relTol: number, label: string) {
  const norm = f.norm;
  assert.ok(Math.abs(res.specDiff.norm - norm) <= relTol * norm + 1e-15, `${label}: norm ${res.specDiff.norm} vs ${norm}`);
  assert.ok(Math.abs(res.specDiff.xNotY - f.lambdaMax) <= relTol * norm + 1e-15, `${label}: xNotY ${res.specDiff.xNotY} vs ${f.lambdaMax}`);
  assert.ok(Math.abs(res.specDiff.yNotX + f.lambdaMin) <= relTol * norm + 1e-15, `${label}: yNotX ${res.specDiff.yNotX} vs ${-f.lambdaMin}`);
  const refX = f.modes.filter((m: any) => m.side === 'x');
  const refY = f.modes.filter((m: any) => m.side === 'y');
  const gotX = res.modes.filter((m: any) => m.side === 'x');
  const gotY = res.modes.filter((m: any) => m.side === 'y');
  // Modes whose eigenvalues are at round-off level may be filtered; all clear ones must be there.
  for (const [ref, got, side] of [
    [refX, gotX, 'x'],
    [refY, gotY, 'y'],
  ] as const) {
    const clear = ref.filter((m: any) => Math.abs(m.eigenvalue) > 1e-5 * norm);
    assert.ok(got.length >= clear.length, `${label}: side ${side} has ${got.length} modes, expected ≥ ${clear.length}`);
    clear.forEach((m: any, i: number) => {
      const g = got[i];
      assert.equal(g.rank, i + 1);
      assert.ok(Math.abs(g.eigenvalue - m.eigenvalue) <= relTol * norm, `${label} ${side}${i + 1}: λ ${g.eigenvalue} vs ${m.eigenvalue}`);
      if (m.gap > 1e-3 * norm) {
        // compare top samples where their scores are clearly separated
        const k = m.top.length;
        for (let j = 0; j < k; j++) {
          const sep = (j + 1 < k ? m.topScores[j] - m.topScores[j + 1] : 1) > 1e-4 && (j === 0 || m.topScores[j - 1] - m.topScores[j] > 1e-4);
          if (sep) assert.equal(g.top[j].index, m.top[j], `${label} ${side}${i + 1}: top[${j}]`);
          assert.ok(Math.abs(g.top[j].score - m.topScores[j]) < 1e-4, `${label} ${side}${i + 1}: score[${j}] ${g.top[j].score} vs ${m.topScores[j]}`);
        }
      }
    });
  }
}

for (const name of ['cosine', 'linear-eta', 'mixed-eta2', 'duplicate-rows', 'n-less-than-d', 'single-row']) {
  for (const method of ['exact', 'covariance'] as const) {
    test(`${name}: ${method} route matches numpy.linalg.eigh(KX − ηKY)`, async () => {
      const f = fixture(name);
      const res = await compare(f.X, f.Y, {
        kernelX: f.kernelX,
        kernelY: f.kernelY,
        eta: f.eta,
        topK: f.topK,
        samplesPerMode: f.samplesPerMode,
        method,
      });
      assert.equal(res.method, method);
      assert.equal(res.n, f.X.length);
      checkAgainstReference(f, res, 1e-6, `${name}/${method}`);
    });
  }
}

test('gaussian exact route matches the explicit kernel to 1e-6', async () => {
  const f = fixture('gaussian-exact');
  const res = await compare(f.X, f.Y, {
    kernelX: kernelOf('gaussian', f.sigmaX),
    kernelY: kernelOf('gaussian', f.sigmaY),
    topK: f.topK,
    samplesPerMode: f.samplesPerMode,
    method: 'exact',
  });
  assert.deepEqual(res.kernelX, { type: 'gaussian', sigma: f.sigmaX });
  checkAgainstReference(f, res, 1e-6, 'gaussian-exact');
});

test('gaussian RFF route: m = 4000 within 5% of the exact top eigenvalues, error shrinking with m', async () => {
  // X Gaussian (RFF), Y linear: D = 2m + 8 keeps m = 4000 inside wasm memory (C is 8008² f64).
  const f = fixture('rff-vs-linear');
  const errs: number[] = [];
  for (const m of [100, 1000, 4000]) {
    const res = await compare(f.X, f.Y, {
      kernelX: { type: 'gaussian', sigma: f.sigmaX, rffDim: m },
      kernelY: 'linear',
      eta: f.eta,
      topK: 3,
      method: 'covariance',
      seed: 7,
    });
    assert.equal(res.kernelX.rffDim, m);
    const refX = f.modes.filter((q: any) => q.side === 'x').slice(0, 3);
    const refY = f.modes.filter((q: any) => q.side === 'y').slice(0, 3);
    const gx = res.modes.filter((q: any) => q.side === 'x'),
      gy = res.modes.filter((q: any) => q.side === 'y');
    let worst = 0;
    refX.forEach((q: any, i: number) => (worst = Math.max(worst, Math.abs(gx[i].eigenvalue - q.eigenvalue) / Math.abs(q.eigenvalue))));
    refY.forEach((q: any, i: number) => (worst = Math.max(worst, Math.abs(gy[i].eigenvalue - q.eigenvalue) / Math.abs(q.eigenvalue))));
    errs.push(worst);
  }
  assert.ok(errs[2] < 0.05, `m=4000 relative error ${errs[2]}`);
  assert.ok(errs[2] < Math.min(errs[0], errs[1]), `error should shrink with m: ${errs}`);
});

test('sigma auto is the median pairwise distance (scipy pdist) and is reported', async () => {
  const f = fixture('sigma-auto');
  const res = await compare(f.X, f.X, { kernel: { type: 'gaussian', sigma: 'auto' }, method: 'exact', topK: 2 });
  assert.ok(Math.abs(res.kernelX.sigma! - f.median) <= 1e-6 * f.median, `${res.kernelX.sigma} vs ${f.median}`);
});

test('identical X and Y: every eigenvalue ~0, no modes, SPEC-diff ~0 (both routes)', async () => {
  const f = fixture('cosine');
  for (const method of ['exact', 'covariance'] as const) {
    for (const kernel of ['cosine', { type: 'gaussian', sigma: 1.0, rffDim: 200 }] as any[]) {
      const res = await compare(f.X, f.X, { kernel, method });
      assert.ok(res.specDiff.norm < 1e-9, `${method}: norm ${res.specDiff.norm}`);
      assert.equal(res.modes.length, 0);
    }
  }
});

test('modes are ordered side x descending, then side y most negative first', async () => {
  const f = fixture('cosine');
  const res = await compare(f.X, f.Y, { topK: 4 });
  const xs = res.modes.filter((m) => m.side === 'x'),
    ys = res.modes.filter((m) => m.side === 'y');
  assert.deepEqual(res.modes, [...xs, ...ys]);
  for (let i = 1; i < xs.length; i++) assert.ok(xs[i].eigenvalue <= xs[i - 1].eigenvalue);
  for (let i = 1; i < ys.length; i++) assert.ok(ys[i].eigenvalue >= ys[i - 1].eigenvalue);
  assert.deepEqual(
    Array.from(res.eigenvalues),
    res.modes.map((m) => m.eigenvalue),
  );
  for (const m of res.modes) assert.ok(m.top.length === 20 || m.top.length === res.n);
});

test('returnScores gives unit eigenvectors with sum ≥ 0 whose top entries are the top samples', async () => {
  const f = fixture('cosine');
  for (const method of ['exact', 'covariance'] as const) {
    const res = await compare(f.X, f.Y, { topK: 3, returnScores: true, method, samplesPerMode: 4 });
    for (const m of res.modes) {
      const u = m.scores!;
      let s = 0,
        q = 0;
      for (const v of u) {
        s += v;
        q += v * v;
      }
      assert.ok(s >= 0);
      assert.ok(Math.abs(q - 1) < 1e-5, `${method}: ‖u‖² = ${q}`);
      const best = Array.from(u.keys())
        .sort((a, b) => u[b] - u[a])
        .slice(0, 4);
      assert.deepEqual(
        m.top.map((t) => t.index),
        best,
      );
    }
  }
});

test('planted groups: x-modes come from X-only clusters, y-modes from Y-only clusters', async () => {
  // 6 groups of 60: 0,1 tight in X only; 2,3 tight in Y only; 4,5 tight in both. Background loose in both.
  const rand = mulberry(3);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const n = 600,
    d = 24;
  const X: number[][] = [],
    Y: number[][] = [],
    group: number[] = [];
  const cx = Array.from({ length: 6 }, () => Array.from({ length: d }, gauss));
  const cy = Array.from({ length: 6 }, () => Array.from({ length: d }, gauss));
  for (let i = 0; i < n; i++) {
    const g = i < 360 ? Math.floor(i / 60) : -1;
    group.push(g);
    const tightX = g === 0 || g === 1 || g === 4 || g === 5;
    const tightY = g === 2 || g === 3 || g === 4 || g === 5;
    X.push(Array.from({ length: d }, (_, j) => (g >= 0 && tightX ? 3 * cx[g][j] + 0.3 * gauss() : 3 * gauss())));
    Y.push(Array.from({ length: d }, (_, j) => (g >= 0 && tightY ? 3 * cy[g][j] + 0.3 * gauss() : 3 * gauss())));
  }
  for (const method of ['exact', 'covariance'] as const) {
    const res = await compare(X, Y, { kernel: { type: 'gaussian', sigma: 'auto', rffDim: 2000 }, topK: 2, samplesPerMode: 20, method });
    const xs = res.modes.filter((m) => m.side === 'x'),
      ys = res.modes.filter((m) => m.side === 'y');
    assert.equal(xs.length, 2);
    assert.equal(ys.length, 2);
    // Soft clusters: a few loose background samples may score high; ≥ 90% must come from the planted groups.
    const share = (ms: typeof xs, ok: (g: number) => boolean) => {
      const all = ms.flatMap((m) => m.top.map((t) => group[t.index]));
      return all.filter(ok).length / all.length;
    };
    assert.ok(share(xs, (g) => g === 0 || g === 1) >= 0.9, `${method}: x-modes from X-only groups`);
    assert.ok(share(ys, (g) => g === 2 || g === 3) >= 0.9, `${method}: y-modes from Y-only groups`);
    // each of the two X-only groups leads one x-mode
    assert.deepEqual(new Set(xs.map((m) => group[m.top[0].index])), new Set([0, 1]));
    assert.deepEqual(new Set(ys.map((m) => group[m.top[0].index])), new Set([2, 3]));
  }
});

test('auto method: exact for small n, covariance for large n, with a reason', async () => {
  const f = fixture('cosine');
  const small = await compare(f.X, f.Y, { topK: 1 });
  assert.equal(small.method, 'exact');
  assert.match(small.methodReason, /n = 90/);
  const rand = mulberry(9);
  const big = (d: number) => ({ data: Float32Array.from({ length: 4500 * d }, () => rand() - 0.5), rows: 4500, cols: d });
  const large = await compare(big(6), big(4), { topK: 1 });
  assert.equal(large.method, 'covariance');
});

test('bad input is an InputError naming the problem', async () => {
  const f = fixture('cosine');
  const X = f.X,
    Y = f.Y;
  await assert.rejects(compare(X, Y.slice(1)), (e: any) => e instanceof InputError && /row counts differ: X has 90 rows, Y has 89/.test(e.message));
  const nan = X.map((r: number[]) => r.slice());
  nan[5][2] = NaN;
  await assert.rejects(compare(nan, Y), (e: any) => e instanceof InputError && /X: non-finite value NaN at row 6, column 3 \(1-based\)/.test(e.message));
  const inf = { data: new Float32Array(6).fill(1), rows: 2, cols: 3 };
  inf.data[4] = Infinity;
  await assert.rejects(compare(inf, inf), /non-finite value Infinity at row 2, column 2/);
  const zero = X.map((r: number[]) => r.slice());
  zero[7] = zero[7].map(() => 0);
  await assert.rejects(compare(zero, Y), /X: row 8 \(1-based\) is all zeros/);
  await assert.rejects(
    compare(zero, Y, { kernelX: 'linear' }).then(() => {
      throw new Error('linear accepts zero rows');
    }),
    /linear accepts/,
  );
  await assert.rejects(compare(X, Y, { kernel: { type: 'gaussian', sigma: 0 } }), /sigma of kernel must be a number > 0/);
  await assert.rejects(compare(X, Y, { kernel: { type: 'gaussian', sigma: -1 } }), InputError);
  await assert.rejects(compare(X, Y, { kernel: { type: 'gaussian', sigma: 1, rffDim: 0 } }), /rffDim/);
  await assert.rejects(compare(X, Y, { eta: -1 }), /eta must be/);
  await assert.rejects(compare(X, Y, { topK: 0 }), /topK must be/);
  // messages name the option as passed: kernel, or kernelX/kernelY
  await assert.rejects(
    compare(X, Y, { kernel: 'rbf' as any }),
    (e: any) => e instanceof InputError && e.message === 'kernel must be one of cosine, linear, gaussian, got "rbf"',
  );
  await assert.rejects(
    compare(X, Y, { kernelY: 'rbf' as any }),
    (e: any) => e instanceof InputError && e.message === 'kernelY must be one of cosine, linear, gaussian, got "rbf"',
  );
  await assert.rejects(compare(X, Y, { kernel: 'linear', kernelX: { type: 'gaussian', sigma: -1 } }), /InputError: sigma of kernelX must be a number > 0/);
  await assert.rejects(compare({ data: new Float32Array(5), rows: 2, cols: 3 }, Y), /data has 5 values/);
  await assert.rejects(compare([], []), /X: has no rows/);
  await assert.rejects(compare([[1, 2], [3]], [[1], [2]]), /row 2 \(1-based\) has 1 columns, expected 2/);
});

test('a request larger than wasm memory is a clear RangeError/InputError, not a crash', async () => {
  const rows = 12000;
  const X = { data: new Float32Array(rows * 2).fill(1), rows, cols: 2 };
  await assert.rejects(compare(X, X, { method: 'exact' }), /exact.*covariance/);
  // Refused before allocating, naming the option and the D × D covariance it would need.
  await assert.rejects(
    compare(X, X, { kernel: { type: 'gaussian', sigma: 1, rffDim: 20000 }, method: 'covariance' }),
    (e: Error) =>
      e.name === 'InputError' &&
      /rffDim of kernelX = 20000 gives D = 80000 features: the D × D f64 covariance would need 47\.68 GiB/.test(e.message) &&
      !/covariance route/.test(e.message),
  );
});

test('AbortSignal cancels', async () => {
  const f = fixture('cosine');
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(compare(f.X, f.Y, { signal: ac.signal }), { name: 'AbortError' });
});

test('a repeated top eigenvalue is reported as often as it occurs (KX = I/n: every x mode is 1/n)', async () => {
  // σ far below every distance makes KX exactly I/n, so Λ = I/n − KY with KY of rank 4:
  // 1/n has multiplicity n − 4, the closed-form reference for every side-x mode.
  const n = 120,
    r = mulberry(5);
  const X = { data: Float32Array.from({ length: n * 8 }, () => r() * 2 - 1), rows: n, cols: 8 };
  const Y = { data: Float32Array.from({ length: n * 4 }, () => r() * 2 - 1), rows: n, cols: 4 };
  const res = await compare(X, Y, { kernelX: { type: 'gaussian', sigma: 1e-3 }, kernelY: 'cosine', method: 'exact', topK: 3 });
  const x = res.modes.filter((m) => m.side === 'x').map((m) => m.eigenvalue);
  assert.equal(x.length, 3);
  for (const v of x) assert.ok(Math.abs(v - 1 / n) < 1e-12, `side x: ${x.join(', ')}; expected 1/n = ${1 / n} three times`);
});

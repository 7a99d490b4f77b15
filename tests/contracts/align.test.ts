// SPEC-align: loss and gradients against NumPy (eigh + float64 central finite
// differences, scripts/fixtures/align.py and align_objective.py), the planted recovery,
// the two objectives on a planted pair where they part, W0, applyMap, abort/progress and
// input validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, InputError, AbortError, align, applyMap, specDiffLoss } from '../../src/index.js';
import { parseNpy } from '../../src/io/index.js';
import { AlignTrainer, batchStarts } from '../../src/methods/align/trainer.js';
import { initialMap } from '../../src/methods/align/map.js';
import type { Matrix } from '../../src/types/index.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/align/${name}.json`, import.meta.url), 'utf8'));
const npy = (name: string) => parseNpy(new Uint8Array(readFileSync(new URL(`../fixtures/align/${name}`, import.meta.url))), name);
const mat = (rows: number[][]): Matrix => ({ data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0].length });

/** max |a − b| / max |b|: the gradient's relative error as a whole. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let num = 0,
    den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

for (const kind of ['cosine', 'linear', 'gaussian'] as const) {
  test(`specDiffLoss (${kind} X) = eigh λmax, gradient = float64 finite differences`, async () => {
    await init();
    const f = fixture(`loss-${kind}`);
    const r = await specDiffLoss(f.X, f.Y, { kernel: kind });
    assert.ok(Math.abs(r.value - f.value) <= 1e-6 * Math.max(1, Math.abs(f.value)), `λmax ${r.value} vs ${f.value}`);
    const e = relErr(r.gradY, f.gradY);
    assert.ok(e <= 1e-4, `gradient relative error ${e}`);
    assert.ok(relErr(r.eigenvector, f.eigenvector) <= 1e-5);
  });
}

test('specDiffLoss: a wrong gradient would fail (sign and factor are checked)', async () => {
  const f = fixture('loss-cosine');
  const r = await specDiffLoss(f.X, f.Y);
  const half = r.gradY.map((v) => v / 2);
  assert.ok(relErr(half, f.gradY) > 0.1);
});

test('align step: ∂L/∂W and ∂L/∂b equal finite differences of L(W, b) (d′ ≠ dy, β > 0)', async () => {
  await init();
  const f = fixture('w-grad');
  const X = mat(f.X),
    Y = mat(f.Y);
  const tr = new AlignTrainer(X, Y, { type: 'cosine', sigma: 0, rffDim: 0 }, f.dim, true, f.beta, Float64Array.from(f.W0), 0);
  try {
    tr.theta.set(f.W);
    tr.theta.set(f.bias, f.W.length);
    const idx = Int32Array.from({ length: X.rows }, (_, i) => i);
    const r = await tr.lossAndGrad(idx, 0, X.rows, true);
    assert.ok(Math.abs(r.loss - f.loss) <= 1e-6 * Math.abs(f.loss), `loss ${r.loss} vs ${f.loss}`);
    assert.ok(relErr(r.grad!.subarray(0, f.W.length), f.gradW) <= 1e-4);
    assert.ok(relErr(r.grad!.subarray(f.W.length), f.gradBias) <= 1e-4);
  } finally {
    tr.release();
  }
});

test('norm objective: ∂L/∂W and ∂L/∂b equal NumPy finite differences of max(λmax, −λmin) + β‖W − W0‖², at either end', async () => {
  await init();
  const cases = JSON.parse(readFileSync(new URL('../fixtures/align/w-grad-norm.json', import.meta.url), 'utf8'));
  assert.deepEqual(
    cases.map((c: any) => c.end),
    ['bottom', 'top'],
  );
  for (const f of cases) {
    const X = mat(f.X),
      Y = mat(f.Y);
    const tr = new AlignTrainer(X, Y, { type: 'cosine', sigma: 0, rffDim: 0 }, f.dim, true, f.beta, Float64Array.from(f.W0), 0, undefined, 'norm');
    const x = new AlignTrainer(X, Y, { type: 'cosine', sigma: 0, rffDim: 0 }, f.dim, true, f.beta, Float64Array.from(f.W0), 0, tr.theta);
    try {
      tr.theta.set(f.W);
      tr.theta.set(f.bias, f.W.length);
      const idx = Int32Array.from({ length: X.rows }, (_, i) => i);
      const r = await tr.lossAndGrad(idx, 0, X.rows, true);
      assert.ok(Math.abs(r.loss - f.loss) <= 1e-6 * Math.abs(f.loss), `${f.name}: loss ${r.loss} vs ${f.loss}`);
      assert.ok(Math.abs(r.lambda - Math.max(f.lambdaMax, -f.lambdaMin)) <= 1e-6, `${f.name}: the norm`);
      assert.ok(relErr(r.grad!.subarray(0, f.W.length), f.gradW) <= 1e-4, `${f.name}: ∂L/∂W`);
      assert.ok(relErr(r.grad!.subarray(f.W.length), f.gradBias) <= 1e-4, `${f.name}: ∂L/∂b`);
      // the default objective on the same map: λmax, which the bottom case's norm exceeds
      const rx = await x.lossAndGrad(idx, 0, X.rows, false);
      assert.ok(Math.abs(rx.lambda - f.lambdaMax) <= 1e-6, `${f.name}: λmax`);
      if (f.end === 'bottom') assert.ok(r.lambda > rx.lambda + 0.1);
      else assert.equal(r.lambda, rx.lambda);
    } finally {
      tr.release();
      x.release();
    }
  }
});

test('W0 for d′ < dy is lstsq(Y, X·P) with P the top right singular vectors of centred X', async () => {
  await init();
  const f = fixture('w0');
  const W0 = initialMap(mat(f.X), mat(f.Y), f.dim);
  // Singular vectors have a sign ambiguity: compare row by row up to sign.
  const dy = f.Y[0].length;
  for (let c = 0; c < f.dim; c++) {
    const a = W0.subarray(c * dy, c * dy + dy),
      b = f.W0.slice(c * dy, c * dy + dy);
    const s = Math.sign(a[0]) === Math.sign(b[0]) ? 1 : -1;
    assert.ok(
      relErr(
        a.map((v) => s * v),
        b,
      ) <= 1e-4,
      `row ${c}`,
    );
  }
});

test('batches: balanced, each ≤ batch, covering all samples', () => {
  assert.deepEqual(batchStarts(10000, 2000), [0, 2000, 4000, 6000, 8000]);
  assert.deepEqual(batchStarts(10, 4), [0, 3, 6]);
  assert.deepEqual(batchStarts(3, 2000), [0]);
});

test('planted: two clusters collapsed in a rotated copy; held-out SPEC-diff (xNotY) falls by at least half', async () => {
  const X = npy('planted_x.npy'),
    Y = npy('planted_y.npy');
  const epochs: number[] = [];
  const r = await align(X, Y, {
    onProgress: (e) => {
      if (Number.isInteger(e.done)) epochs.push(e.done);
    },
  });
  assert.equal(r.task, 'align');
  assert.equal(r.nHoldout, 300);
  assert.equal(r.nTrain, 1200);
  assert.equal(r.W.length, 24 * 24);
  assert.ok(r.specDiffAfter.xNotY <= 0.5 * r.specDiffBefore.xNotY, `before ${r.specDiffBefore.xNotY}, after ${r.specDiffAfter.xNotY}`);
  assert.ok(r.bestEpoch >= 1);
  assert.equal(r.loss.train.length, r.epochs);
  assert.equal(r.loss.holdout.length, r.epochs + 1);
  assert.deepEqual(
    epochs,
    Array.from({ length: r.epochs + 1 }, (_, i) => i),
    'onProgress once per epoch',
  );
  assert.ok(r.removedModes.includes(1), `the leading side-x mode is removed: ${r.removedModes}`);
  // the map is what applyMap applies
  const z = applyMap(r.W, Y, { dim: r.dim });
  let s = 0;
  for (let j = 0; j < 24; j++) s += Y.data[j] * r.W[3 * 24 + j];
  assert.ok(Math.abs(z.data[3] - s) < 1e-4 * Math.max(1, Math.abs(s)));
});

test('planted pair where the objectives part: the default lowers x-not-y and raises y-not-x and the norm (and says so); norm lowers the norm', async () => {
  // scripts/fixtures/align_objective.py: Y's noise is its own, so x-not-y can also be lowered by
  // tightening ψ(Y)'s clusters beyond X's. 200-sample batches and lr 0.01 give each objective
  // 4 steps an epoch (at the defaults, one batch an epoch, norm stops after 12 epochs 5% lower).
  const X = npy('objective_x.npy'),
    Y = npy('objective_y.npy');
  const o = { batch: 200, lr: 0.01 };
  const d = await align(X, Y, o);
  const m = await align(X, Y, { ...o, objective: 'norm' });
  assert.equal(d.objective, 'x-not-y');
  assert.equal(m.objective, 'norm');
  assert.deepEqual(d.specDiffBefore, m.specDiffBefore, 'the same held-out split');
  const b = d.specDiffBefore;
  // default: x-not-y falls by at least a quarter (0.111 → 0.067); y-not-x and the norm rise by more than half (→ 0.214)
  assert.ok(d.specDiffAfter.xNotY < 0.75 * b.xNotY, `x-not-y ${b.xNotY} → ${d.specDiffAfter.xNotY}`);
  assert.ok(
    d.specDiffAfter.yNotX > 1.5 * b.yNotX && d.specDiffAfter.norm > 1.5 * b.norm,
    `y-not-x ${b.yNotX} → ${d.specDiffAfter.yNotX}, norm ${b.norm} → ${d.specDiffAfter.norm}`,
  );
  assert.deepEqual([d.specDiffChange.xNotY.warn, d.specDiffChange.yNotX.warn, d.specDiffChange.norm.warn], [false, true, true]);
  assert.equal(d.warnings.length, 2);
  assert.match(d.warnings[0], /^held-out y-not-x \(−λmin\) rose by [\d.]+% .*: the map created clusters that X does not have$/);
  assert.match(d.warnings[1], /^held-out norm \(max \|λ\|\) rose by [\d.]+% /);
  assert.ok(
    d.createdModes.some((c) => c.side === 'y' && c.rank === 1),
    `the strongest side-y mode after is new: ${JSON.stringify(d.createdModes)}`,
  );
  // norm: the held-out norm falls (0.111 → 0.094), far below the default's, and nothing rises by more than 10%
  assert.ok(m.specDiffAfter.norm < 0.9 * b.norm, `norm ${b.norm} → ${m.specDiffAfter.norm}`);
  assert.ok(m.specDiffAfter.norm < 0.6 * d.specDiffAfter.norm);
  assert.ok(m.specDiffAfter.xNotY < b.xNotY);
  assert.deepEqual(m.warnings, []);
  assert.equal(m.loss.holdout[m.bestEpoch], Math.min(...m.loss.holdout), 'the kept epoch has the lowest held-out norm');
  // the held-out loss is the norm (on all 200 held-out samples; W0 = I adds no penalty)
  assert.ok(Math.abs(m.loss.holdout[0] - b.norm) < 1e-6, `epoch 0: the norm at W0 = I (${m.loss.holdout[0]} vs ${b.norm})`);
  assert.ok(Math.abs(d.loss.holdout[0] - b.xNotY) < 1e-6, `epoch 0 of the default: λmax (${d.loss.holdout[0]} vs ${b.xNotY})`);
  // At the defaults (one batch an epoch) norm early-stops with little gain, but the kept map never
  // has a larger held-out norm than W0: early stopping watches that very quantity.
  const m0 = await align(X, Y, { objective: 'norm' });
  assert.ok(m0.specDiffAfter.norm <= b.norm, `defaults: norm ${b.norm} → ${m0.specDiffAfter.norm}`);
  assert.ok(m0.specDiffAfter.norm > 0.9 * b.norm, 'and it gains less than with more steps (docs/design.md §1)');
});

test('aligning X to itself keeps SPEC-diff ≈ 0 and W ≈ I', async () => {
  const X = npy('planted_x.npy');
  const r = await align(X, X, { epochs: 5 });
  assert.ok(r.specDiffBefore.norm < 1e-9 && r.specDiffAfter.norm < 1e-9, JSON.stringify(r.specDiffAfter));
  let maxDev = 0;
  for (let i = 0; i < 24; i++) for (let j = 0; j < 24; j++) maxDev = Math.max(maxDev, Math.abs(r.W[i * 24 + j] - (i === j ? 1 : 0)));
  assert.ok(maxDev < 1e-6, `max |W − I| = ${maxDev}`);
  assert.deepEqual(r.removedModes, []);
  assert.deepEqual(r.createdModes, []);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.specDiffChange.norm, {
    before: r.specDiffBefore.norm,
    after: r.specDiffAfter.norm,
    relative: r.specDiffBefore.norm === 0 ? 0 : r.specDiffChange.norm.relative,
    warn: false,
  });
  const n = await align(X, X, { epochs: 5, objective: 'norm' });
  assert.ok(n.specDiffAfter.norm < 1e-9 && n.W.every((v, k) => Math.abs(v - (k % 25 === 0 ? 1 : 0)) < 1e-6), 'the norm objective too');
});

test('bias and d′ < dy: shapes, and bias enters applyMap', async () => {
  const X = npy('planted_x.npy'),
    Y = npy('planted_y.npy');
  const r = await align(X, Y, { dim: 8, bias: true, epochs: 3, kernel: 'linear' });
  assert.equal(r.W.length, 8 * 24);
  assert.equal(r.bias!.length, 8);
  const z = applyMap(r.W, Y, { dim: 8, bias: r.bias });
  const z0 = applyMap(r.W, Y, { dim: 8 });
  for (let j = 0; j < 8; j++) assert.ok(Math.abs(z.data[j] - z0.data[j] - r.bias![j]) < 1e-5);
});

test('Gaussian X: σ auto is reported', async () => {
  const X = npy('planted_x.npy'),
    Y = npy('planted_y.npy');
  const r = await align(X, Y, { kernel: 'gaussian', epochs: 2 });
  assert.equal(r.kernelX.type, 'gaussian');
  assert.ok(r.kernelX.sigma! > 0);
});

test('abort mid-run rejects with AbortError promptly', async () => {
  const X = npy('planted_x.npy'),
    Y = npy('planted_y.npy');
  const ac = new AbortController();
  let at = 0,
    events = 0;
  const p = align(X, Y, {
    epochs: 1000,
    patience: 1000,
    signal: ac.signal,
    onProgress: (e) => {
      events++;
      if (e.done === 3 && !at) {
        at = events;
        ac.abort();
      }
    },
  });
  await assert.rejects(p, AbortError);
  // counted, not timed: nothing reported after abort() (tests/unit/lifecycle.test.ts counts the steps)
  assert.ok(at > 0 && events === at, `${events - at} progress events after abort`);
  // wasm buffers were freed: a fresh run still works
  const r = await align(X, Y, { epochs: 1 });
  assert.equal(r.epochs, 1);
});

test('bad inputs are InputErrors naming the option', async () => {
  const X = npy('planted_x.npy'),
    Y = npy('planted_y.npy');
  const bad = async (o: object, re: RegExp, x: any = X, y: any = Y) => {
    await assert.rejects(align(x, y, o), (e: any) => e instanceof InputError && re.test(e.message));
  };
  await bad({ epochs: 0 }, /epochs must be an integer ≥ 1/);
  await bad({ lr: 0 }, /lr must be a finite number > 0/);
  await bad({ lr: -1 }, /lr must be/);
  await bad({ holdout: 0 }, /holdout must be a fraction in \(0, 1\)/);
  await bad({ holdout: 1 }, /holdout/);
  await bad({ dim: 0 }, /dim must be an integer ≥ 1/);
  await bad({ dim: 100 }, /dim must be ≤ max\(dx, dy\) = 24/);
  await bad({ batch: 1 }, /batch must be an integer ≥ 2/);
  await bad({ batch: 1e6 }, /batch must be ≤ 8000/);
  await bad({ beta: -1 }, /beta must be a finite number ≥ 0/);
  await bad({ patience: 0 }, /patience/);
  await bad({ kernel: 'rbf' }, /^kernel must be one of cosine, linear, gaussian, got "rbf"/);
  await bad(
    { objective: 'spectral' },
    /^objective must be one of x-not-y, norm \(x-not-y: λmax\(KX − K_ψ\(Y\)\), the paper's, the default; norm: the spectral norm max\(λmax, −λmin\)\), got "spectral"$/,
  );
  await bad({ objective: 'Norm' }, /got "Norm"; did you mean norm\?$/);
  await bad({}, /row counts differ/, X, { data: Y.data.subarray(0, 24 * 100), rows: 100, cols: 24 });
  const nan = Float32Array.from(Y.data);
  nan[50] = NaN;
  await bad({}, /Y: non-finite value NaN at row 3/, X, { data: nan, rows: 1500, cols: 24 });
  const zero = Float32Array.from(Y.data);
  zero.fill(0, 24 * 7, 24 * 8);
  await bad({}, /Y: row 8 \(1-based\) is all zeros/, X, { data: zero, rows: 1500, cols: 24 });
  // a zero row of Y·Wᵀ: row 11 of Y in the null space of W (dim 1)
  const tr = new AlignTrainer(X, Y, { type: 'cosine', sigma: 0, rffDim: 0 }, 1, false, 0, new Float64Array(24), 0);
  try {
    for (let j = 0; j < 24; j++) tr.theta[j] = j === 0 ? -Y.data[11 * 24 + 1] : j === 1 ? Y.data[11 * 24 + 0] : 0;
    const idx = Int32Array.from({ length: 40 }, (_, i) => i);
    await assert.rejects(tr.lossAndGrad(idx, 0, 40, true), (e: any) => e instanceof InputError && /row 12 \(1-based\) of Y·Wᵀ is all zeros/.test(e.message));
  } finally {
    tr.release();
  }
  await assert.rejects(
    specDiffLoss(
      [
        [1, 0],
        [0, 1],
      ],
      [
        [1, 1],
        [0, 0],
      ],
    ),
    /Y: row 2 \(1-based\) is all zeros/,
  );
  await bad(
    { holdout: 0.5 },
    /leaves 2 for training and 1 held out|both need ≥ 2/,
    [
      [1, 0],
      [0, 1],
      [1, 1],
    ],
    [
      [1, 0],
      [0, 1],
      [1, 1],
    ],
  );
});

/** n × d rows with a seeded LCG (non-zero rows for the cosine kernel). */
function randomRows(n: number, d: number, seed: number): Matrix {
  const data = new Float32Array(n * d);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return { data, rows: n, cols: d };
}

test("a dim × dy map beyond the budget is refused before anything is allocated (the issue's 50 × 8000, 30000, 100000)", async () => {
  const { wasm } = await import('../../src/wasm/loader.js');
  const { liveAllocations } = await import('../../src/wasm/memory.js');
  await init();
  for (const dy of [8000, 30000, 100000]) {
    const X = randomRows(50, dy, dy),
      Y = randomRows(50, dy, dy + 1);
    const mem0 = wasm().memoryBytes(),
      live0 = liveAllocations(),
      ab0 = process.memoryUsage().arrayBuffers;
    await assert.rejects(
      align(X, Y, { epochs: 1 }),
      (e: any) =>
        e instanceof InputError &&
        new RegExp(`^dim = ${dy} with dy = ${dy}: the ${dy} × ${dy} map.* would need [\\d.]+ GiB, more than align's budget of 1024\\.0 MiB`).test(e.message) &&
        /no dim fits/.test(e.message),
    );
    assert.equal(wasm().memoryBytes(), mem0, 'wasm memory did not grow');
    assert.equal(liveAllocations(), live0);
    // The inputs are 1.6–20 MB; a single dim × dy f64 map would be ≥ 512 MB.
    assert.ok(process.memoryUsage().arrayBuffers - ab0 < 64 * 2 ** 20, `JS buffers grew by ${process.memoryUsage().arrayBuffers - ab0} bytes`);
  }
});

test('the map budget: what fits is named, the largest dim that fits runs, one more is refused', async () => {
  const { alignMapBytes, ALIGN_MAP_BUDGET, checkAlignSize } = await import('../../src/validate/align-options.js');
  // dy = 5000 (dx = 50): the identity start would need 64 B × 25M; narrower maps need Y's covariance too.
  assert.throws(() => checkAlignSize(50, 5000, 5000, false), /dim = 5000 with dy = 5000: .*would need 1\.49 GiB.*the largest dim that fits is (\d+)/);
  const fit = Number(
    /fits is (\d+)/.exec(
      (() => {
        try {
          checkAlignSize(50, 5000, 5000, false);
        } catch (e: any) {
          return e.message;
        }
      })(),
    )![1],
  );
  assert.ok(alignMapBytes(50, 5000, fit, false) <= ALIGN_MAP_BUDGET && alignMapBytes(50, 5000, fit + 1, false) > ALIGN_MAP_BUDGET);
  assert.doesNotThrow(() => checkAlignSize(50, 5000, fit, false));
  assert.throws(
    () => checkAlignSize(50, 5000, fit + 1, false, '--dim'),
    (e: any) =>
      e instanceof InputError && e.message.startsWith(`--dim = ${fit + 1} with dy = 5000: `) && e.message.includes(`the largest --dim that fits is ${fit}`),
  );
  // A moderate problem runs: 60 × 300, dim 300 (5.8 MB of map state).
  const X = randomRows(60, 300, 1),
    Y = randomRows(60, 300, 2);
  const r = await align(X, Y, { epochs: 2 });
  assert.equal(r.W.length, 300 * 300);
  assert.equal(r.epochs, 2);
});

test('beta beyond 1e15 is refused naming beta (1e308 used to overflow Adam and blame lr)', async () => {
  const X = npy('planted_x.npy'),
    Y = npy('planted_y.npy');
  await assert.rejects(
    align(X, Y, { beta: 1e308, epochs: 1 }),
    (e: any) => e instanceof InputError && /^beta must be ≤ 1000000000000000 .*got 1e\+308/.test(e.message),
  );
  const r = await align(X, Y, { beta: 1e15, epochs: 1 });
  assert.ok(Number.isFinite(r.loss.holdout[1]));
});

test("the before/after comparisons' output budget is checked before training", async () => {
  const { OutputBudgetError } = await import('../../src/score/modes.js');
  const X = npy('planted_x.npy'),
    Y = npy('planted_y.npy');
  let events = 0;
  // 300 held out: up to 300 modes per side × 600 top entries each = 180000 fits; 1e6 × 1e6 on 1500 × 0.7 does not.
  await assert.rejects(
    align(X, Y, {
      holdout: 0.7,
      topK: 1e6,
      samplesPerMode: 1e6,
      onProgress: () => {
        events++;
      },
    }),
    (e: any) => e instanceof OutputBudgetError && /up to 1050 modes per side/.test(e.message),
  );
  assert.equal(events, 0, 'no epoch ran');
});

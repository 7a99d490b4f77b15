// Lifecycle and cancellation: accumulator snapshots are validated field
// by field and checksummed, failures free their wasm memory, disposed
// accumulators refuse use, compare(), finc() and align() stop on `signal`
// before another step runs and yield between steps in every stage (counted, not timed), and absurd options are refused up front by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, compare, finc, align, SpecAccumulator, FincAccumulator, InputError } from '../../src/index.js';
import { counters } from '../../src/runtime/cooperative.js';
import * as memory from '../../src/wasm/memory.js';
import { wasm } from '../../src/wasm/loader.js';
import * as snapshot from '../../src/sums/snapshot.js';
import * as dense from '../../src/solve/dense.js';
import * as covarianceEigs from '../../src/solve/covariance-eigs.js';
import { randomF32 } from '../shared/rng.mjs';

await init();
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/compare/${name}.json`, import.meta.url), 'utf8'));

/** Live wasm allocations and memory size: equal before and after a failing call means nothing leaked. */
const usage = () => ({ live: memory.liveAllocations(), bytes: wasm().memoryBytes() >>> 0 });

/** A snapshot with its header changed and the checksum recomputed (a well-formed but hostile file). */
function craft(orig: Uint8Array, mutate: (h: any) => void): Uint8Array {
  const dv = new DataView(orig.buffer, orig.byteOffset, orig.byteLength);
  const hlen = dv.getUint32(12, true);
  const pad = (x: number) => x + ((8 - (x % 8)) % 8);
  const header = JSON.parse(new TextDecoder().decode(orig.subarray(24, 24 + hlen)));
  mutate(header);
  const h = new TextEncoder().encode(JSON.stringify(header));
  const body = orig.subarray(pad(24 + hlen));
  const start = pad(24 + h.length);
  const out = new Uint8Array(start + body.length);
  out.set(orig.subarray(0, 16));
  new DataView(out.buffer).setUint32(12, h.length, true);
  out.set(h, 24);
  out.set(body, start);
  const [a, b] = snapshot.checksumOf(out);
  new DataView(out.buffer).setUint32(16, a, true);
  new DataView(out.buffer).setUint32(20, b, true);
  return out;
}

const small = () => {
  const X = { data: randomF32(40 * 3, 1), rows: 40, cols: 3 };
  const Y = { data: randomF32(40 * 2, 2), rows: 40, cols: 2 };
  return { X, Y };
};

async function specSnapshot(): Promise<Uint8Array> {
  const acc = await SpecAccumulator.create({ kernelX: { type: 'gaussian', sigma: 1.5, rffDim: 4 }, kernelY: 'cosine', dx: 3, dy: 2, eta: 1, seed: 3 });
  const { X, Y } = small();
  acc.add(X, Y);
  const bytes = acc.serialize();
  acc.dispose();
  return bytes;
}

test('deserialize refuses hostile header fields by name, before allocating and without leaking', async () => {
  const good = await specSnapshot();
  const ok = await SpecAccumulator.deserialize(good);
  assert.equal(ok.n, 40);
  ok.dispose();
  const cases: [string, (h: any) => void, RegExp][] = [
    [
      'eta 1e300',
      (h) => {
        h.eta = 1e300;
      },
      /field eta = 1e\+300/,
    ],
    [
      'eta < 0',
      (h) => {
        h.eta = -1;
      },
      /field eta = -1/,
    ],
    [
      'n = 0.5',
      (h) => {
        h.n = 0.5;
      },
      /field n = 0\.5: must be an integer ≥ 0/,
    ],
    [
      'n < 0',
      (h) => {
        h.n = -3;
      },
      /field n = -3/,
    ],
    [
      'n missing',
      (h) => {
        delete h.n;
      },
      /field n = undefined/,
    ],
    [
      'dx non-integer',
      (h) => {
        h.dx = 2.5;
      },
      /field dx = 2\.5: must be an integer ≥ 1/,
    ],
    [
      'dy negative',
      (h) => {
        h.dy = -2;
      },
      /field dy = -2/,
    ],
    [
      'unknown kernel',
      (h) => {
        h.kernelY = 'laplace';
      },
      /field kernelY = "laplace"/,
    ],
    [
      'sigma 0',
      (h) => {
        h.kernelX.sigma = 0;
      },
      /field kernelX = .*sigma must be a number > 0/,
    ],
    [
      'sigma < 0',
      (h) => {
        h.kernelX.sigma = -1;
      },
      /field kernelX = .*sigma must be a number > 0/,
    ],
    [
      'sigma 1e-300',
      (h) => {
        h.kernelX.sigma = 1e-300;
      },
      /field kernelX = .*sigma must be ≥ 1e-37/,
    ],
    [
      'rffDim 0.5',
      (h) => {
        h.kernelX.rffDim = 0.5;
      },
      /field kernelX = .*rffDim/,
    ],
    [
      'seed',
      (h) => {
        h.seed = 2 ** 40;
      },
      /field seed/,
    ],
    [
      'D inconsistent',
      (h) => {
        h.D = 7;
      },
      /field D = 7: does not match .* D = 10/,
    ],
    // D follows from the kernels: a huge rffDim is refused before anything is allocated, with the bytes it would need.
    [
      'rffDim 1e9',
      (h) => {
        h.kernelX.rffDim = 1e9;
        h.D = 2e9 + 2;
      },
      /field kernelX\.rffDim = 1000000000 gives D = 2000000002 features: a D × D f64 sum matrix would need [\d.]+ GiB/,
    ],
    [
      'dx huge',
      (h) => {
        h.kernelY = 'linear';
        h.dy = 2e6;
      },
      /field dy = 2000000 gives D/,
    ],
  ];
  const before = usage();
  for (const [label, mutate, re] of cases) {
    await assert.rejects(SpecAccumulator.deserialize(craft(good, mutate)), (e: Error) => {
      assert.ok(e instanceof InputError, `${label}: ${e.name}: ${e.message}`);
      assert.match(e.message, re, label);
      return true;
    });
  }
  assert.deepEqual(usage(), before);
});

test('a flipped byte anywhere in a snapshot is refused (checksum), as are truncation and old versions', async () => {
  const good = await specSnapshot();
  const before = usage();
  for (const at of [16, 30, good.length - 1, good.length - 300, Math.floor(good.length / 2)]) {
    const bad = good.slice();
    bad[at] ^= 0x10;
    await assert.rejects(
      SpecAccumulator.deserialize(bad),
      (e: Error) => e instanceof InputError && /checksum mismatch|corrupt header|field/.test(e.message),
      `byte ${at}`,
    );
  }
  // A body byte that still parses as a finite double: only the checksum can tell.
  const body = good.slice();
  body[body.length - 2] ^= 0x01;
  await assert.rejects(SpecAccumulator.deserialize(body), /checksum mismatch/);
  await assert.rejects(SpecAccumulator.deserialize(good.subarray(0, good.length - 8)), /truncated/);
  const v1 = good.slice();
  new DataView(v1.buffer).setUint32(8, 1, true);
  await assert.rejects(SpecAccumulator.deserialize(v1), /version 1, this build reads 2/);
  assert.deepEqual(usage(), before);
});

test('FINC snapshots get the same checks through the shared layout', async () => {
  const acc = await FincAccumulator.create({ kernel: 'cosine', d: 3 });
  acc.addX(small().X);
  acc.addY(small().X);
  const good = acc.serialize();
  acc.dispose();
  const before = usage();
  const bad = good.slice();
  bad[bad.length - 2] ^= 1;
  await assert.rejects(FincAccumulator.deserialize(bad), /checksum mismatch/);
  await assert.rejects(
    FincAccumulator.deserialize(
      craft(good, (h) => {
        h.nx = 1.5;
      }),
    ),
    /field nx = 1\.5/,
  );
  await assert.rejects(
    FincAccumulator.deserialize(
      craft(good, (h) => {
        h.eta = 1e300;
      }),
    ),
    /field eta/,
  );
  await assert.rejects(
    FincAccumulator.deserialize(
      craft(good, (h) => {
        h.kernel = { type: 'gaussian', sigma: 1, rffDim: 1e9 };
      }),
    ),
    /field kernel\.rffDim = 1000000000 gives D/,
  );
  assert.deepEqual(usage(), before);
});

test('a SpecAccumulator refuses every use after dispose(); dispose twice is harmless', async () => {
  const { X, Y } = small();
  const mk = () => SpecAccumulator.create({ kernelX: 'cosine', kernelY: 'cosine', dx: 3, dy: 2 });
  const a = await mk(),
    live = await mk(),
    solved = await mk();
  a.add(X, Y);
  live.add(X, Y);
  solved.add(X, Y);
  solved.solve({ topK: 2 });
  solved.dispose();
  a.dispose();
  a.dispose();
  const after = /after dispose/;
  assert.throws(() => a.add(X, Y), after);
  assert.throws(() => a.merge(live), after);
  assert.throws(() => live.merge(a), after);
  assert.throws(() => a.solve(), after);
  await assert.rejects(a.solveAsync(), after);
  assert.throws(() => a.scores(X, Y), after);
  assert.throws(() => a.modes(), after);
  assert.throws(() => a.serialize(), after);
  // its state is private: no feature cache to set, no row count to overwrite
  assert.equal((a as any).cacheFeatures, undefined);
  assert.throws(() => {
    (live as any).n = 0;
  }, TypeError);
  assert.throws(() => solved.scores(X, Y), after);
  assert.throws(() => solved.modes(), after);
  // the live one is untouched by all that
  const sol = live.solve({ topK: 2 });
  live.scores(X, Y);
  assert.equal(live.modes().length, sol.eigenvalues.length);
  live.dispose();
});

/** Fills wasm memory so that only about `freeBytes` stay allocatable; returns a release function. */
function fillMemory(freeBytes: number): () => void {
  const held: number[] = [];
  const grab = (size: number) => {
    for (;;) {
      try {
        held.push(memory.allocBytes(size, 'ballast'));
      } catch {
        return;
      }
    }
  };
  for (const size of [2 ** 30 - 1024, 2 ** 26, 2 ** 20]) grab(size);
  // Give back contiguous 1 MiB blocks (the last ones taken) to leave one free region.
  for (let i = 0; i < Math.round(freeBytes / 2 ** 20); i++) wasm().free(held.pop()!);
  return () => {
    for (const p of held) wasm().free(p);
  };
}

test('an allocation failing midway frees the buffers allocated before it (exact route, solvers)', async () => {
  const n = 1200; // each n × n f64 kernel is 11 MiB: one fits in 16 MiB, the second does not
  const X = { data: randomF32(n * 4, 5), rows: n, cols: 4 },
    Y = { data: randomF32(n * 4, 6), rows: n, cols: 4 };
  const A = memory.f64(n * n); // diagonal, full rank: every solver buffer is sized by n
  A.view.fill(0);
  for (let i = 0; i < n; i++) A.view[i * n + i] = 1 + i / n;
  const before = usage().live;
  const release = fillMemory(16 * 2 ** 20);
  try {
    await assert.rejects(compare(X, Y, { method: 'exact' }), RangeError);
    assert.throws(() => dense.syev(A, n), RangeError);
    assert.throws(() => covarianceEigs.covarianceEigs(A, n, n / 2, 600, 1), RangeError); // Lanczos basis n × n fits, its T does not
  } finally {
    release();
  }
  assert.equal(usage().live, before);
  A.free();
});

test('failing compare() calls free everything (bad rows found mid-stream, both routes)', async () => {
  const n = 3000;
  const X = { data: randomF32(n * 8, 7), rows: n, cols: 8 },
    Y = { data: randomF32(n * 8, 8), rows: n, cols: 8 };
  Y.data[2500 * 8 + 3] = NaN;
  const Z = { data: X.data.slice(), rows: n, cols: 8 };
  Z.data.fill(0, 2900 * 8, 2901 * 8);
  await compare(X, X, { topK: 2 }); // warm up (scratch the first call keeps)
  const before = usage();
  for (const method of ['exact', 'covariance'] as const) {
    await assert.rejects(compare(X, Y, { method }), /row 2501 contains NaN|non-finite value NaN at row 2501/);
    await assert.rejects(compare(Z, X, { method }), /row 2901 \(1-based\) is all zeros/);
  }
  assert.deepEqual(usage(), before);
});

/** Data sized so that compare() takes seconds on either route. */
function bigData(route: 'exact' | 'covariance') {
  const [n, dx, dy] = route === 'exact' ? [6000, 512, 384] : [20000, 384, 256];
  return { X: { data: randomF32(n * dx, 11), rows: n, cols: dx }, Y: { data: randomF32(n * dy, 12), rows: n, cols: dy } };
}
const bigOpts = (route: 'exact' | 'covariance') =>
  route === 'exact'
    ? { kernel: { type: 'gaussian' as const, sigma: 8 }, method: 'exact' as const, topK: 5 }
    : { kernel: { type: 'gaussian' as const, sigma: 8, rffDim: 1500 }, method: 'covariance' as const, solver: 'syrk' as const, topK: 5 };

for (const route of ['exact', 'covariance'] as const) {
  test(`${route} route: an abort mid-stage rejects with AbortError before another step runs; nothing leaks; the next compare() gives the same numbers`, async () => {
    const f = fixture('cosine');
    const ref = await compare(f.X, f.Y, { method: route, topK: 3 });
    assert.ok(Math.abs(ref.specDiff.xNotY - f.lambdaMax) <= 1e-5 * f.norm, 'reference agrees with NumPy');
    const before = usage().live;
    const { X, Y } = bigData(route);
    const ac = new AbortController();
    const stage = route === 'exact' ? 'gram' : 'accumulate';
    let events = 0,
      after = -1,
      steps = 0;
    await assert.rejects(
      compare(X, Y, {
        ...bigOpts(route),
        signal: ac.signal,
        onProgress: (e) => {
          events++;
          // the third event of the long stage: the work is under way
          if (e.stage === stage && after < 0 && events >= 3) {
            after = events;
            steps = counters.steps;
            ac.abort();
          }
        },
      }),
      { name: 'AbortError' },
    );
    assert.ok(after > 0, 'aborted');
    assert.equal(events, after, 'no progress after abort()');
    assert.ok(counters.steps - steps <= 1, `${counters.steps - steps} steps ran after abort()`);
    assert.equal(usage().live, before);
    const again = await compare(f.X, f.Y, { method: route, topK: 3 });
    assert.deepEqual(again.eigenvalues, ref.eigenvalues);
    assert.deepEqual(again.modes, ref.modes);
  });
}

/** Replaces the clock with one that advances `ms` per reading: every tick() is due, every sizer takes its smallest step. */
async function withSlowClock<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const real = performance.now.bind(performance);
  let fake = real();
  performance.now = () => (fake += ms);
  try {
    return await fn();
  } finally {
    performance.now = real;
  }
}

/**
 * Runs `run` counting macrotask turns (a setImmediate chain beside it) per
 * stage, the stage being that of the last progress event ('start' before one).
 */
async function turnsPerStage(run: (onProgress: (e: any) => void) => Promise<unknown>): Promise<Map<string, number>> {
  let turns = 0,
    live = true;
  const spin = () => {
    if (live) {
      turns++;
      setImmediate(spin);
    }
  };
  setImmediate(spin);
  const per = new Map<string, number>();
  let stage = 'start',
    at = 0;
  const book = () => per.set(stage, (per.get(stage) ?? 0) + turns - at);
  try {
    await withSlowClock(30, () =>
      run((e) => {
        assert.ok(e.done >= 0 && e.done <= e.total, `${e.stage}: ${e.done}/${e.total}`);
        if (e.stage !== stage) {
          book();
          stage = e.stage;
          at = turns;
        }
      }),
    );
    book();
  } finally {
    live = false;
  }
  return per;
}

const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });
const gauss = (extra: object = {}) => ({ type: 'gaussian' as const, sigma: 'auto' as const, ...extra });
/** One run per route and stage kind: [label, call, stages it must report]. */
const runs: [string, (o: any) => Promise<unknown>, string[]][] = [
  [
    'compare exact',
    (o) => compare(mat(1500, 24, 61), mat(1500, 16, 62), { kernel: gauss(), method: 'exact', topK: 3, ...o }),
    ['sigma', 'features', 'gram', 'solve', 'scores'],
  ],
  [
    'compare covariance',
    (o) => compare(mat(3000, 24, 63), mat(3000, 16, 64), { kernel: gauss({ rffDim: 300 }), method: 'covariance', solver: 'syrk', topK: 3, ...o }),
    ['sigma', 'accumulate', 'solve', 'scores', 'rffError'],
  ],
  [
    'compare matrix-free',
    (o) => compare(mat(3000, 24, 63), mat(3000, 16, 64), { kernel: gauss({ rffDim: 300 }), method: 'covariance', solver: 'matrix-free', topK: 3, ...o }),
    ['sigma', 'features', 'solve', 'scores', 'rffError'],
  ],
  [
    'compare feature-Gram',
    (o) => compare(mat(1200, 24, 65), mat(1200, 16, 66), { kernel: gauss({ rffDim: 700 }), method: 'covariance', topK: 3, ...o }),
    ['sigma', 'features', 'gram', 'solve', 'scores', 'rffError'],
  ],
  [
    'finc covariance',
    (o) => finc(mat(1800, 24, 67), mat(1500, 24, 68), { kernel: gauss({ rffDim: 300 }), method: 'covariance', topK: 3, ...o }),
    ['sigma', 'accumulate', 'solve', 'scores', 'rffError'],
  ],
  ['finc exact', (o) => finc(mat(500, 24, 69), mat(400, 24, 70), { kernel: gauss(), method: 'exact', topK: 3, ...o }), ['sigma', 'gram', 'solve']],
];
const alignRun = (o: any) => align(mat(1500, 24, 71), mat(1500, 16, 72), { kernel: gauss(), dim: 8, epochs: 2, batch: 1000, ...o });

test('every stage of compare, finc and align yields between its steps: with every tick due, each stage spans several macrotasks', async () => {
  for (const [label, call, stages] of [...runs, ['align', alignRun, ['sigma', 'align']] as const]) {
    for (const threads of label === 'align' ? [undefined] : [1, 2]) {
      const per = await turnsPerStage((onProgress) => call({ onProgress, ...(threads ? { threads } : {}) }));
      for (const s of stages) {
        // One yield per step when every tick is due: a stage done in one synchronous block shows ≤ 1.
        assert.ok((per.get(s) ?? 0) >= 2, `${label}, threads ${threads}: stage ${s} spanned ${per.get(s) ?? 0} macrotasks (${JSON.stringify([...per])})`);
      }
    }
  }
});

test('the matrix-free solve yields once per operator application when every tick is due (counted in macrotasks, not timed)', async () => {
  const per = await turnsPerStage((onProgress) =>
    compare(mat(2000, 24, 73), mat(2000, 16, 74), {
      kernel: gauss({ rffDim: 200 }),
      method: 'covariance',
      solver: 'matrix-free',
      topK: 3,
      threads: 1,
      onProgress,
    }),
  );
  // topK 3: a Lanczos basis of 26 vectors, each one application; with the clock this slow every slice is one step
  assert.ok((per.get('solve') ?? 0) >= 26, `solve spanned ${per.get('solve')} macrotasks`);
});

test('σ = auto is estimated in steps of rows, reported as stage sigma, before any other stage', async () => {
  const events: any[] = [];
  const X = mat(4000, 64, 73),
    Y = mat(3000, 64, 74);
  await withSlowClock(30, () => finc(X, Y, { kernel: gauss({ rffDim: 200 }), topK: 2, onProgress: (e) => events.push(e) }));
  const sigma = events.filter((e) => e.stage === 'sigma');
  assert.ok(sigma.length >= 10, `${sigma.length} sigma events`);
  assert.equal(sigma[sigma.length - 1].done, sigma[0].total, 'the last sigma event is complete');
  assert.ok(events.findIndex((e) => e.stage !== 'sigma') > events.lastIndexOf(sigma[sigma.length - 1]));
  // the steps do not change σ: the same as estimateSigma on the pooled rows (one seeded sample)
  const ref = await finc(X, Y, { kernel: gauss({ rffDim: 200 }), topK: 2 });
  assert.equal((await withSlowClock(7, () => finc(X, Y, { kernel: gauss({ rffDim: 200 }), topK: 2 }))).kernel.sigma, ref.kernel.sigma);
});

test('an abort in any stage of compare, finc and align (in process, threads 2, worker) rejects with AbortError, with no progress and at most one step after it', async () => {
  const before = usage().live;
  const all: [string, (o: any) => Promise<unknown>, string[]][] = [...runs, ['align', alignRun, ['sigma', 'align']]];
  const seen: string[] = [];
  for (const [label, call, stages] of all) {
    for (const mode of label === 'align' ? [{}] : [{ threads: 1 }, { threads: 2 }, { worker: true }]) {
      for (const stage of stages) {
        const ac = new AbortController();
        let events = 0,
          at = -1,
          steps = 0;
        const outcome = await call({
          ...mode,
          signal: ac.signal,
          onProgress: (e: any) => {
            events++;
            if (e.stage === stage && at < 0) {
              at = events;
              steps = counters.steps;
              ac.abort();
            }
          },
        }).then(
          () => 'resolved',
          (e: Error) => e.name,
        );
        const what = `${label} ${JSON.stringify(mode)} ${stage}`;
        assert.ok(at > 0, `${what}: stage never reported`);
        assert.equal(outcome, 'AbortError', what);
        assert.equal(events, at, `${what}: ${events - at} progress events after abort()`);
        // in a worker the steps run there (terminated at once); here: the step that reported, at most
        assert.ok(counters.steps - steps <= 1, `${what}: ${counters.steps - steps} steps after abort()`);
        seen.push(what);
      }
    }
  }
  assert.equal(usage().live, before);
  assert.ok(seen.length >= 50, `${seen.length} aborts`);
});

test('aborts in every stage free everything, and a pre-aborted signal rejects at once', async () => {
  const ac0 = new AbortController();
  ac0.abort();
  await assert.rejects(compare(small().X, small().X, { signal: ac0.signal }), { name: 'AbortError' });
  const n = 3000;
  const X = { data: randomF32(n * 64, 21), rows: n, cols: 64 },
    Y = { data: randomF32(n * 48, 22), rows: n, cols: 48 };
  const before = usage().live;
  const seen: string[] = [];
  for (const [method, kernel] of [
    ['exact', 'cosine'],
    ['covariance', { type: 'gaussian', sigma: 4, rffDim: 300 }],
    ['covariance', { type: 'gaussian', sigma: 4, rffDim: 2000 }],
  ] as const) {
    for (const stage of ['features', 'gram', 'accumulate', 'solve', 'scores', 'rffError']) {
      const ac = new AbortController();
      let hit = false;
      const outcome = await compare(X, Y, {
        method,
        kernel: kernel as any,
        signal: ac.signal,
        onProgress: (e) => {
          if (e.stage === stage && !hit) {
            hit = true;
            ac.abort();
          }
        },
      }).then(
        () => 'resolved',
        (e: Error) => e.name,
      );
      // A stage the route does not have never fires: then the call completes.
      assert.equal(outcome, hit ? 'AbortError' : 'resolved', `${method} ${stage}`);
      if (hit) seen.push(`${method}/${stage}`);
      assert.equal(usage().live, before, `${method} ${stage}`);
    }
  }
  // exact: features, gram, solve, scores; covariance (n > D): accumulate, solve, scores, rffError; n ≤ D: features, gram, solve, scores, rffError
  for (const s of [
    'exact/gram',
    'exact/solve',
    'exact/scores',
    'covariance/accumulate',
    'covariance/solve',
    'covariance/scores',
    'covariance/features',
    'covariance/gram',
    'covariance/rffError',
  ]) {
    assert.ok(seen.includes(s), `no abort in ${s} (${seen.join(', ')})`);
  }
});

test('two compare() calls interleaved at their yields give the results each gives alone', async () => {
  const a = { X: { data: randomF32(3000 * 64, 51), rows: 3000, cols: 64 }, Y: { data: randomF32(3000 * 32, 52), rows: 3000, cols: 32 } };
  const b = { X: { data: randomF32(2500 * 48, 53), rows: 2500, cols: 48 }, Y: { data: randomF32(2500 * 40, 54), rows: 2500, cols: 40 } };
  const oa = { kernel: { type: 'gaussian' as const, sigma: 4, rffDim: 400 }, method: 'covariance' as const, topK: 4 };
  const ob = { kernel: 'cosine' as const, method: 'exact' as const, topK: 4 };
  const ra = await compare(a.X, a.Y, oa),
    rb = await compare(b.X, b.Y, ob);
  const [ca, cb] = await Promise.all([compare(a.X, a.Y, oa), compare(b.X, b.Y, ob)]);
  assert.deepEqual(ca.eigenvalues, ra.eigenvalues);
  assert.deepEqual(ca.modes, ra.modes);
  assert.deepEqual(cb.eigenvalues, rb.eigenvalues);
  assert.deepEqual(cb.modes, rb.modes);
});

test('a 3,000-row covariance run reports more than its final event per stage', async () => {
  const n = 3000;
  const X = { data: randomF32(n * 256, 31), rows: n, cols: 256 },
    Y = { data: randomF32(n * 128, 32), rows: n, cols: 128 };
  const events: any[] = [];
  await compare(X, Y, { method: 'covariance', kernel: { type: 'gaussian', sigma: 6, rffDim: 600 }, onProgress: (e) => events.push(e) });
  const acc = events.filter((e) => e.stage === 'accumulate');
  assert.ok(acc.length >= 2, `accumulate events: ${JSON.stringify(acc)}`);
  assert.deepEqual(acc[acc.length - 1], { stage: 'accumulate', done: n, total: n, message: 'rows' });
  assert.ok(
    events.some((e) => e.stage === 'solve' && e.done < e.total),
    'solve reports before its end',
  );
});

test('absurd options are refused up front, naming the option and the value', async () => {
  const { X, Y } = small();
  const before = usage();
  await assert.rejects(compare(X, Y, { eta: 1e308 }), (e: Error) => e instanceof InputError && /^eta must be ≤ 1e15 .*got 1e\+308$/.test(e.message));
  await assert.rejects(compare(X, Y, { eta: 1e308, method: 'covariance' }), /eta must be ≤/);
  // Gaussian σ = 1e-300 on the covariance route: was "operator contains NaN or Inf"
  await assert.rejects(
    compare(X, Y, { kernelX: { type: 'gaussian', sigma: 1e-300 }, method: 'covariance' }),
    (e: Error) => e instanceof InputError && /sigma of kernelX = 1e-300 is too small for random Fourier features/.test(e.message),
  );
  // rffDim 1e9: refused before allocating, with the D × D covariance it would need; no "use the covariance route"
  const big = { data: randomF32(12000 * 2, 3), rows: 12000, cols: 2 };
  for (const [A, B] of [
    [X, Y],
    [big, big],
  ] as const) {
    await assert.rejects(compare(A, B, { kernelX: { type: 'gaussian', sigma: 1, rffDim: 1e9 }, method: 'covariance' }), (e: Error) => {
      assert.ok(e instanceof InputError, e.message);
      assert.match(
        e.message,
        /^rffDim of kernelX = 1000000000 gives D = 2000000\d{3} features: the D × D f64 covariance would need [\d.]+ GiB, more than one WebAssembly allocation holds/,
      );
      assert.doesNotMatch(e.message, /covariance route/);
      return true;
    });
  }
  await assert.rejects(
    SpecAccumulator.create({ kernelX: { type: 'gaussian', sigma: 1, rffDim: 1e9 }, kernelY: 'cosine', dx: 2, dy: 2 }),
    /rffDim of kernelX = 1000000000/,
  );
  await assert.rejects(SpecAccumulator.create({ kernelX: 'cosine', kernelY: 'cosine', dx: 2, dy: 2, eta: 1e300 }), /eta must be ≤/);
  assert.deepEqual(usage(), before);
});

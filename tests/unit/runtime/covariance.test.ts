// The covariance routes over workers (src/runtime): NumPy references, results
// that depend on the thread count only through summation order (≤ 1e-12) and
// not at all on scheduling (bit-identical repeats), errors crossing from the
// worker unchanged, abort, `worker: true`, and processes that exit by themselves.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, compareSources, finc, fincSources, InputError, terminateWorkers } from '../../../src/index.js';
import { parseNpy } from '../../../src/io/index.js';
import { setFeatureCacheLimit } from '../../../src/sums/spec-sums.js';

after(() => terminateWorkers());

const dir = new URL('../../fixtures/parallel/', import.meta.url);
const npy = (name: string) => parseNpy(new Uint8Array(readFileSync(new URL(name, dir))), name);
const ref = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8'));

const SPEC = { X: npy('compare_x.npy'), Y: npy('compare_y.npy'), f: ref('compare') };
const FINC = { X: npy('finc_x.npy'), Y: npy('finc_y.npy'), f: ref('finc') };
const specOpts = (threads: number, extra: object = {}) =>
  ({
    kernelX: 'cosine',
    kernelY: 'linear',
    eta: SPEC.f.eta,
    topK: SPEC.f.topK,
    samplesPerMode: SPEC.f.samplesPerMode,
    method: 'covariance',
    returnScores: true,
    threads,
    ...extra,
  }) as any;
const fincOpts = (threads: number, extra: object = {}) =>
  ({
    kernel: 'cosine',
    eta: FINC.f.eta,
    topK: FINC.f.topK,
    samplesPerMode: FINC.f.samplesPerMode,
    method: 'covariance',
    returnScores: true,
    threads,
    ...extra,
  }) as any;

/** Every number of a result, in a fixed order (timings excluded). */
function numbers(r: any): Float64Array {
  const out: number[] = [r.specDiff.xNotY, r.specDiff.yNotX, r.specDiff.norm, r.noiseDropped, ...r.eigenvalues];
  for (const m of r.modes) {
    out.push(m.eigenvalue, ...(m.shareX !== undefined ? [m.shareX, m.shareY] : []));
    for (const t of m.top) out.push(t.index, t.score);
    out.push(...(m.scores ?? []));
  }
  return Float64Array.from(out);
}

function checkReference(r: any, f: any, label: string) {
  const norm = Math.max(Math.abs(f.lambdaMax), Math.abs(f.lambdaMin));
  assert.ok(Math.abs(r.specDiff.xNotY - f.lambdaMax) <= 1e-6 * norm, `${label}: xNotY ${r.specDiff.xNotY} vs ${f.lambdaMax}`);
  assert.ok(Math.abs(r.specDiff.yNotX + f.lambdaMin) <= 1e-6 * norm, `${label}: yNotX`);
  assert.equal(r.modes.length, f.modes.length, `${label}: mode count`);
  f.modes.forEach((m: any, i: number) => {
    const g = r.modes[i];
    assert.equal(g.side, m.side);
    assert.ok(Math.abs(g.eigenvalue - m.eigenvalue) <= 1e-6 * norm, `${label} mode ${i}: λ ${g.eigenvalue} vs ${m.eigenvalue}`);
    if (m.shareX !== undefined) {
      assert.ok(Math.abs(g.shareX - m.shareX) <= 1e-5 * Math.abs(m.shareX) + 1e-9, `${label} mode ${i}: shareX`);
      assert.ok(Math.abs(g.shareY - m.shareY) <= 1e-5 * Math.abs(m.shareY) + 1e-9, `${label} mode ${i}: shareY`);
    }
    const scale = Math.abs(m.topScores[0]);
    m.top.forEach((idx: number, j: number) => {
      assert.ok(Math.abs(g.top[j].score - m.topScores[j]) <= 1e-4 * scale, `${label} mode ${i} top ${j}: score ${g.top[j].score} vs ${m.topScores[j]}`);
      const sep =
        (j === 0 || m.topScores[j - 1] - m.topScores[j] > 1e-4 * scale) && (j + 1 === m.top.length || m.topScores[j] - m.topScores[j + 1] > 1e-4 * scale);
      if (sep) assert.equal(g.top[j].index, idx, `${label} mode ${i} top ${j}`);
    });
  });
}

/** The largest |a − b| relative to |b|, entries below 1e-3 (scores near 0) measured against 1e-3. */
function relDiff(a: Float64Array, b: Float64Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-3));
  return d;
}

test('compare, threads 2 and 3: NumPy reference; bit-identical repeats; ≤ 1e-12 from one thread', async () => {
  const one = await compare(SPEC.X, SPEC.Y, specOpts(1));
  checkReference(one, SPEC.f, 'threads 1');
  for (const threads of [2, 3]) {
    const a = await compare(SPEC.X, SPEC.Y, specOpts(threads));
    const b = await compare(SPEC.X, SPEC.Y, specOpts(threads));
    checkReference(a, SPEC.f, `threads ${threads}`);
    assert.deepEqual(numbers(a), numbers(b), `threads ${threads}: repeated runs are bit-identical`);
    assert.ok(relDiff(numbers(a), numbers(one)) <= 1e-12, `threads ${threads} vs 1: ${relDiff(numbers(a), numbers(one))}`);
    assert.ok((a.timings.accumulate ?? 0) > 0 && (a.timings.scores ?? 0) > 0);
    assert.equal(a.threads, threads);
    assert.equal(one.threads, undefined);
  }
});

test('finc, threads 2 and 3: NumPy reference; bit-identical repeats; ≤ 1e-12 from one thread', async () => {
  const one = await finc(FINC.X, FINC.Y, fincOpts(1));
  checkReference(one, FINC.f, 'threads 1');
  for (const threads of [2, 3]) {
    const a = await finc(FINC.X, FINC.Y, fincOpts(threads));
    const b = await finc(FINC.X, FINC.Y, fincOpts(threads));
    checkReference(a, FINC.f, `threads ${threads}`);
    assert.equal(a.threads, threads);
    assert.deepEqual(numbers(a), numbers(b), `threads ${threads}: repeated runs are bit-identical`);
    assert.ok(relDiff(numbers(a), numbers(one)) <= 1e-12, `threads ${threads} vs 1: ${relDiff(numbers(a), numbers(one))}`);
  }
});

/** A row source that is not in memory as far as the library knows: the scoring pass must send the rows again. */
const source = (m: any, name: string) => ({ rows: m.rows, cols: m.cols, name, read: (s: number, c: number) => m.data.subarray(s * m.cols, (s + c) * m.cols) });

test('no feature cache (data too large for it): the scoring pass re-reads and re-sends rows, same result', async (t) => {
  const one = await compare(SPEC.X, SPEC.Y, specOpts(1));
  const f1 = await finc(FINC.X, FINC.Y, fincOpts(1));
  setFeatureCacheLimit(0);
  t.after(() => setFeatureCacheLimit());
  for (const threads of [1, 2]) {
    const a = await compareSources(source(SPEC.X, 'X'), source(SPEC.Y, 'Y'), specOpts(threads));
    assert.ok(relDiff(numbers(a), numbers(one)) <= (threads === 1 ? 0 : 1e-12), `compare, threads ${threads}`);
    const f = await fincSources(source(FINC.X, 'X'), source(FINC.Y, 'Y'), fincOpts(threads));
    assert.ok(relDiff(numbers(f), numbers(f1)) <= (threads === 1 ? 0 : 1e-12), `finc, threads ${threads}`);
  }
});

test('progress comes from the workers: accumulate and scores reach n', async () => {
  const events: any[] = [];
  await compare(SPEC.X, SPEC.Y, specOpts(2, { onProgress: (e: any) => events.push(e) }));
  for (const stage of ['accumulate', 'scores']) {
    const last = events.filter((e) => e.stage === stage).at(-1);
    assert.deepEqual([last.done, last.total], [SPEC.X.rows, SPEC.X.rows], stage);
  }
});

test('an InputError raised in a worker arrives as that InputError (message, source, global row)', async () => {
  const X = { ...SPEC.X, data: SPEC.X.data.slice() };
  X.data[2900 * X.cols + 3] = NaN; // in the second worker's rows
  await assert.rejects(compare(X, SPEC.Y, specOpts(2)), (e: any) => e instanceof InputError && e.source === 'X' && /row 2901/.test(e.message));
  await assert.rejects(
    compareSources(source(X, 'x.npy'), source(SPEC.Y, 'y.npy'), specOpts(2)),
    (e: any) => e instanceof InputError && e.source === 'x.npy' && /^x\.npy: .*row 2901/.test(e.message),
  );
  const Y = { ...FINC.Y, data: FINC.Y.data.slice() };
  Y.data.fill(0, 2100 * Y.cols, 2101 * Y.cols); // a zero row under the cosine kernel
  await assert.rejects(finc(FINC.X, Y, fincOpts(2)), (e: any) => e instanceof InputError && e.source === 'Y' && /row 2101/.test(e.message));
  // the pool recovers: the next run works
  const ok = await compare(SPEC.X, SPEC.Y, specOpts(2));
  checkReference(ok, SPEC.f, 'after an error');
});

test('abort during a parallel run rejects with AbortError, with no progress after it', async () => {
  const ac = new AbortController();
  let events = 0,
    at = -1;
  const p = compare(
    SPEC.X,
    SPEC.Y,
    specOpts(2, {
      signal: ac.signal,
      onProgress: (e: any) => {
        events++;
        if (at < 0 && e.stage === 'accumulate' && e.done > 0) {
          at = events;
          ac.abort();
        }
      },
    }),
  );
  await assert.rejects(p, { name: 'AbortError' });
  assert.ok(at > 0, 'the run reported accumulate progress');
  assert.equal(events, at, `${events - at} progress events after abort()`);
  const ok = await finc(FINC.X, FINC.Y, fincOpts(2));
  checkReference(ok, FINC.f, 'after an abort');
});

test('worker: true gives the in-process result, forwards progress, and aborts', async () => {
  const events: any[] = [];
  const inProc = await compare(SPEC.X, SPEC.Y, specOpts(1));
  const off = await compare(SPEC.X, SPEC.Y, specOpts(1, { worker: true, onProgress: (e: any) => events.push(e) }));
  assert.deepEqual(numbers(off), numbers(inProc));
  assert.ok(events.some((e) => e.stage === 'accumulate') && events.some((e) => e.stage === 'scores'), 'progress forwarded');
  const offPar = await compare(SPEC.X, SPEC.Y, specOpts(2, { worker: true }));
  assert.ok(relDiff(numbers(offPar), numbers(inProc)) <= 1e-12, 'threads inside the worker');
  const f = await finc(FINC.X, FINC.Y, fincOpts(1, { worker: true }));
  assert.deepEqual(numbers(f), numbers(await finc(FINC.X, FINC.Y, fincOpts(1))));
  const bad = { ...SPEC.X, data: SPEC.X.data.slice() };
  bad.data[17] = Infinity;
  await assert.rejects(
    compare(bad, SPEC.Y, specOpts(1, { worker: true, method: 'exact' })),
    (e: any) => e instanceof InputError && /row 2, column 6/.test(e.message),
  );
  await assert.rejects(
    compare(SPEC.X, SPEC.Y, { worker: true, topK: 0 }),
    (e: any) => e instanceof InputError && /topK must be an integer ≥ 1, got 0/.test(e.message),
  );
  // a longer run (D ≈ 1600), aborted at its first progress event from the worker
  const ac = new AbortController();
  let fromWorker = 0;
  const p = compare(
    SPEC.X,
    SPEC.Y,
    specOpts(1, {
      worker: true,
      signal: ac.signal,
      kernelX: { type: 'gaussian', sigma: 1, rffDim: 800 },
      kernelY: { type: 'gaussian', sigma: 1, rffDim: 800 },
      onProgress: () => {
        fromWorker++;
        ac.abort();
      },
    }),
  );
  await assert.rejects(p, { name: 'AbortError' });
  // the worker is terminated at abort(): nothing it reported afterwards reaches the caller
  assert.equal(fromWorker, 1, `${fromWorker - 1} progress events after abort()`);
});

test('bad threads/worker options are InputErrors', async () => {
  for (const threads of [0, 1.5, -1, 257, '2', NaN]) {
    await assert.rejects(
      compare(SPEC.X, SPEC.Y, { threads } as any),
      (e: any) => e instanceof InputError && /threads must be an integer from 1 to 256/.test(e.message),
      String(threads),
    );
    await assert.rejects(finc(FINC.X, FINC.Y, { threads } as any), (e: any) => e instanceof InputError && /threads/.test(e.message), String(threads));
  }
  await assert.rejects(compare(SPEC.X, SPEC.Y, { worker: 'yes' } as any), /worker must be true or false/);
});

test('a script that used workers exits by itself, its event loop empty after the result', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'spec-embed-par-'));
  try {
    const script = join(tmp, 'run.mjs');
    const lib = new URL('../../../src/index.ts', import.meta.url).href;
    // An unreferenced 1-ms timer counts the loop's turns after the result: it never holds the
    // process, so it runs on only while something else does (an idle worker: thousands of turns).
    writeFileSync(
      script,
      `import { compare } from '${lib}';
const n = 3000, X = { data: new Float32Array(n * 4).map((_, i) => Math.sin(i)), rows: n, cols: 4 };
const r = await compare(X, X, { method: 'covariance', threads: 2, kernel: 'linear' });
let turns = 0;
const tick = () => { turns++; setTimeout(tick, 1).unref(); };
setTimeout(tick, 1).unref();
process.on('exit', () => console.log('exit after', turns, 'turns'));
console.log('done', r.n, r.threads);`,
    );
    // The timeout only stops a hang.
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.signal, null, 'exited by itself');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /done 3000 2/);
    const turns = Number(/exit after (\d+) turns/.exec(r.stdout)?.[1]);
    assert.ok(turns <= 20, `the loop ran on for ${turns} turns after the result: something held the process`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

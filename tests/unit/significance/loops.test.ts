// The resampling loops end to end against NumPy (scripts/fixtures/significance.py, which
// rebuilds the same seeded halvings and bootstrap draws): compare() on both routes and
// finc() report each mode's held-out eigenvalues (mean, percentiles, corrected-t p-value)
// and bootstrap stability as the f64 reference computes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from '../../../src/index.js';
import { compare } from '../../../src/methods/compare.js';
import { finc } from '../../../src/methods/finc.js';
import { halving, resampleStream } from '../../../src/significance/resample.js';
import type { ModeSignificance } from '../../../src/types/significance.js';
import { liveAllocations } from '../../../src/wasm/memory.js';

await init();

const ref = JSON.parse(readFileSync(new URL('../../fixtures/significance/reference.json', import.meta.url), 'utf8'));
const matrix = (rows: number[][]) => ({ data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0].length });
const significance = { splits: ref.splits, bootstrap: ref.bootstrap, seed: ref.seed };

type RefMode = { side: 'x' | 'y'; value: number; heldOut: Record<string, number>; stability: Record<string, number> };

function close(got: number, want: number, tol: number, what: string) {
  assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${what}: ${got} vs NumPy ${want}`);
}

function check(modes: { side: string; eigenvalue: number; significance?: ModeSignificance }[], want: RefMode[], tol: number) {
  assert.equal(modes.length, want.length, 'modes');
  modes.forEach((m, i) => {
    const w = want[i],
      s = m.significance!;
    assert.equal(m.side, w.side);
    close(m.eigenvalue, w.value, tol, `mode ${i} eigenvalue`);
    assert.equal(s.heldOut!.splits, ref.splits);
    for (const key of ['mean', 'lo', 'hi']) close(s.heldOut![key as 'mean'], w.heldOut[key], tol, `mode ${i} heldOut.${key}`);
    // the p-value is a smooth function of the held-out values: relative tolerance
    close(s.heldOut!.pValue, w.heldOut.pValue, 1e3 * tol * w.heldOut.pValue + 1e-12, `mode ${i} pValue`);
    assert.equal(s.stability!.bootstrap, ref.bootstrap);
    for (const key of ['value', 'eigenvalueLo', 'eigenvalueHi']) close(s.stability![key as 'value'], w.stability[key], tol, `mode ${i} stability.${key}`);
    assert.equal(s.weak, s.heldOut!.pValue > 0.05 || s.stability!.value < 0.5);
  });
}

test('the seeded streams and halvings are the ones the NumPy script rebuilds', () => {
  assert.equal(resampleStream(ref.seed, 1, 0)(), ref.stream[0]);
  assert.equal(resampleStream(ref.seed, 2, 3)(), ref.stream[1]);
  const w = halving(ref.compare.X.length, resampleStream(ref.seed, 1, 0));
  assert.deepEqual(
    Array.from(w.keys()).filter((i) => w[i] === 1),
    ref.halving0,
  );
});

test('compare, exact route: held-out replication and bootstrap stability equal NumPy', async () => {
  const r = await compare(matrix(ref.compare.X), matrix(ref.compare.Y), { kernel: 'cosine', method: 'exact', topK: ref.k, significance });
  check(r.modes, ref.compare.modes, 1e-6);
});

test('compare, covariance route: the same numbers through the cached features and J·C', async () => {
  const r = await compare(matrix(ref.compare.X), matrix(ref.compare.Y), { kernel: 'cosine', method: 'covariance', topK: ref.k, significance });
  assert.equal(r.method, 'covariance');
  check(r.modes, ref.compare.modes, 1e-5);
});

test('finc: held-out replication and bootstrap stability equal NumPy', async () => {
  const r = await finc(matrix(ref.finc.X), matrix(ref.finc.Y), { kernel: 'cosine', method: 'covariance', topK: ref.k, significance });
  check(r.modes, ref.finc.modes, 1e-5);
});

test('no significance option: no evidence and no resampling stage', async () => {
  const stages = new Set<string>();
  const r = await compare(matrix(ref.compare.X), matrix(ref.compare.Y), { kernel: 'cosine', topK: 2, onProgress: (e) => stages.add(e.stage) });
  assert.ok(r.modes.every((m) => m.significance === undefined));
  assert.ok(!stages.has('significance'));
});

test('progress in resamples (every one reported), and an abort mid-loop frees every buffer', async () => {
  const X = matrix(ref.compare.X),
    Y = matrix(ref.compare.Y);
  for (const method of ['exact', 'covariance'] as const) {
    const done = new Set<number>();
    await compare(X, Y, {
      kernel: 'cosine',
      method,
      topK: 2,
      significance: { splits: 3, bootstrap: 2 },
      onProgress: (e) => {
        if (e.stage === 'significance' && e.message === 'resamples') done.add(e.done);
      },
    });
    assert.ok(done.has(5), `${method}: the last resample is reported`);
    const live = liveAllocations();
    const ac = new AbortController();
    await assert.rejects(
      compare(X, Y, {
        kernel: 'cosine',
        method,
        topK: 2,
        significance: { splits: 50 },
        signal: ac.signal,
        onProgress: (e) => {
          if (e.stage === 'significance' && e.message === 'resamples' && e.done >= 1) ac.abort();
        },
      }),
      { name: 'AbortError' },
    );
    assert.equal(liveAllocations(), live, `${method}: wasm buffers freed after the abort`);
  }
});

test('more rows than one SYRK block (530): both routes equal NumPy', async () => {
  const X = matrix(ref.compareLarge.X),
    Y = matrix(ref.compareLarge.Y);
  const sig = { splits: 3, bootstrap: 3, seed: ref.seed };
  for (const method of ['exact', 'covariance'] as const) {
    const r = await compare(X, Y, { kernel: 'cosine', method, topK: 2, significance: sig });
    const want = ref.compareLarge.modes as RefMode[];
    assert.equal(r.modes.length, want.length);
    r.modes.forEach((m, i) => {
      for (const key of ['mean', 'lo', 'hi'] as const) close(m.significance!.heldOut![key], want[i].heldOut[key], 1e-5, `${method} mode ${i} heldOut.${key}`);
      close(m.significance!.stability!.value, want[i].stability.value, 1e-5, `${method} mode ${i} stability`);
    });
  }
});

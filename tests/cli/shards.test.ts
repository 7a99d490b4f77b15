// The sharded covariance route as a user runs it (docs/scale.md): sigma-sample,
// accumulate, merge, solve, score, finish over 8 shards of a planted set, against
// the reference — a one-machine `compare`/`finc --method covariance` on the
// concatenated shards. Shards of 1024 rows form the same SYRK blocks as one
// machine; the runs then differ only in the order of f64 additions (numbers to
// 1e-12; the merged sums and σ here are equal bit for bit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, expectUsageError } from './helpers.js';
import { ROWS, SHARDS, npyBytes, planted, writeSet } from '../shared/shards.js';
import { SpecAccumulator, init, readPart } from '../../dist/index.js';

function ok(r: ReturnType<typeof cli>): string {
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/** Deep equality with numbers equal to 1e-12 relative (the order of f64 additions aside). */
function closeTo(a: unknown, b: unknown, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)) + 1e-300, `${path}: ${a} vs ${b}`);
  } else if (a && typeof a === 'object' && b && typeof b === 'object') {
    assert.deepEqual(Object.keys(a), Object.keys(b), path);
    for (const k of Object.keys(a)) closeTo((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else assert.equal(a, b, path);
}

/** What only a one-machine run can say (its files, timings, how its σ, route and solver were chosen, the RFF error on a sample, the metrics over all rows). */
function comparable(json: string) {
  const o = JSON.parse(json);
  for (const k of ['timings', 'methodReason', 'files', 'inputs', 'sigma', 'rffError', 'metrics', 'threads', 'solver', 'solverReason']) delete o[k];
  // the note on the RFF error belongs with rffError
  o.notes = o.notes?.filter((n: string) => !/^the random Fourier features move/.test(n));
  if (!o.notes?.length) delete o.notes;
  return o;
}

/** Runs the five steps over the shards in `dir` (accumulate in a shuffled order, merge in a tree) and returns finish's JSON. */
function shardedRun(dir: string, parts: (s: number) => string[], kernel: string[], top: string[]): string {
  const p = (f: string) => join(dir, f);
  for (const s of [5, 2, 7, 0, 3, 6, 1, 4]) ok(cli(['accumulate', ...parts(s), '--name', `shard-${s}`, '--out', p(`part-${s}.snap`), ...kernel]));
  // a flat merge of the leaf parts: the fixed order (by shard name) whatever order they are given in
  ok(cli(['merge', ...[3, 1, 0, 2, 7, 6, 5, 4].map((s) => p(`part-${s}.snap`)), '--out', p('all.snap')]));
  ok(cli(['solve', p('all.snap'), '--out', p('solution.snap'), ...top]));
  for (let s = 0; s < SHARDS; s++) ok(cli(['score', ...parts(s), '--name', `shard-${s}`, '--solution', p('solution.snap'), '--out', p(`scores-${s}.part`)]));
  return ok(cli(['finish', p('solution.snap'), ...Array.from({ length: SHARDS }, (_, s) => p(`scores-${s}.part`)), '--json']));
}

test('compare: 8 shards through accumulate → merge → solve → score → finish print the one-machine JSON (cosine and Gaussian with sigma-sample)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-shards-'));
  try {
    const set = writeSet(dir, 17);
    const p = (f: string) => join(dir, f);
    const pair = (s: number) => [p(`x-${s}.npy`), p(`y-${s}.npy`)];
    const top = ['--top', '3', '--samples-per-mode', '12'];
    // cosine
    const sharded = shardedRun(dir, pair, [], top);
    const one = ok(cli(['compare', p('X.npy'), p('Y.npy'), '--method', 'covariance', '--threads', '1', '--json', ...top]));
    const a = comparable(sharded),
      b = comparable(one);
    assert.ok(a.modes.length >= 2, 'the planted mode is found');
    closeTo(a, b);
    // the finished JSON says how it was made
    assert.match(JSON.parse(sharded).methodReason, /8 shards/);

    // Gaussian: σ from sigma-sample equals the one-machine σ = auto bit for bit
    const sx = JSON.parse(ok(cli(['sigma-sample', ...Array.from({ length: SHARDS }, (_, s) => p(`x-${s}.npy`)), '--out', p('sx.npy'), '--json'])));
    const sy = JSON.parse(ok(cli(['sigma-sample', ...Array.from({ length: SHARDS }, (_, s) => p(`y-${s}.npy`)), '--out', p('sy.npy'), '--json'])));
    assert.equal(sx.rows, 1000);
    const kernel = ['--kernel', 'gaussian', '--rff-dim', '150', '--sigma-x', p('sx.npy'), '--sigma-y', p('sy.npy')];
    const gSharded = JSON.parse(shardedRun(dir, pair, kernel, top));
    const gOne = JSON.parse(
      ok(cli(['compare', p('X.npy'), p('Y.npy'), '--kernel', 'gaussian', '--rff-dim', '150', '--method', 'covariance', '--threads', '1', '--json', ...top])),
    );
    assert.equal(gOne.kernelX.sigma, sx.sigma);
    assert.equal(gOne.kernelY.sigma, sy.sigma);
    closeTo(comparable(JSON.stringify(gSharded)), comparable(JSON.stringify(gOne)));

    // the merged sums (D = 600: f32 blocks of 256 rows) equal one machine's accumulator sums
    await init();
    const part = readPart(new Uint8Array(readFileSync(p('all.snap'))), 'all.snap');
    assert.deepEqual(
      part.shards.map((s) => s.name),
      Array.from({ length: SHARDS }, (_, s) => `shard-${s}`),
    );
    assert.equal(part.D, 600);
    const o = part.options;
    assert.equal(o.task, 'compare');
    if (o.task !== 'compare') return;
    const acc = await SpecAccumulator.create({ kernelX: o.kernelX, kernelY: o.kernelY, eta: o.eta, seed: o.seed, dx: set.dx, dy: set.dy });
    acc.add({ data: set.X, rows: set.n, cols: set.dx }, { data: set.Y, rows: set.n, cols: set.dy });
    const mine = acc.serialize();
    acc.dispose();
    const tri = (600 * 601) / 2;
    const tail = (b: Uint8Array) => new Float64Array(b.slice(b.length - 8 * tri).buffer);
    assert.deepEqual(tail(part.snapshot), tail(mine));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('finc: shards with X, Y or both give the one-machine finc JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-shards-'));
  try {
    writeSet(dir, 23);
    const p = (f: string) => join(dir, f);
    // X = shards 0..7 of x but shard 3; Y = the x shards in reverse, every shard
    const parts = (s: number) => [...(s === 3 ? [] : ['--x', p(`x-${s}.npy`)]), '--y', p(`x-${7 - s}.npy`)];
    const top = ['--top', '2'];
    const sharded = shardedRun(dir, parts, [], top);
    const { X } = planted(SHARDS * ROWS, 23);
    const xs = [0, 1, 2, 4, 5, 6, 7].map((s) => X.subarray(s * ROWS * 16, (s + 1) * ROWS * 16));
    const ys = [7, 6, 5, 4, 3, 2, 1, 0].map((s) => X.subarray(s * ROWS * 16, (s + 1) * ROWS * 16));
    const cat = (a: Float32Array[]) => Float32Array.from(a.flatMap((v) => Array.from(v)));
    writeFileSync(p('FX.npy'), npyBytes(cat(xs), 7 * ROWS, 16));
    writeFileSync(p('FY.npy'), npyBytes(cat(ys), 8 * ROWS, 16));
    const one = ok(cli(['finc', p('FX.npy'), p('FY.npy'), '--method', 'covariance', '--threads', '1', '--json', ...top]));
    const a = comparable(sharded);
    assert.equal(a.nx, 7 * ROWS);
    assert.equal(a.ny, 8 * ROWS);
    closeTo(a, comparable(one));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad shard or a mismatched part fails its step with exit 2, naming the file (and the row)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-shards-'));
  try {
    writeSet(dir, 5);
    const p = (f: string) => join(dir, f);
    const acc = (s: number, out: string, ...extra: string[]) =>
      cli(['accumulate', p(`x-${s}.npy`), p(`y-${s}.npy`), '--name', `shard-${s}`, '--out', p(out), ...extra]);
    ok(acc(0, 'a.snap'));
    ok(acc(1, 'b.snap'));
    ok(acc(1, 'b-seed.snap', '--seed', '3'));
    // other options: refused, naming the part and what differs
    expectUsageError(assert, cli(['merge', p('a.snap'), p('b-seed.snap'), '--out', p('m.snap')]), /b-seed\.snap/, /seed 3 vs 0/);
    // a shard twice
    ok(acc(0, 'a-again.snap'));
    expectUsageError(assert, cli(['merge', p('a.snap'), p('b.snap'), p('a-again.snap'), '--out', p('m.snap')]), /a-again\.snap/, /shard 'shard-0'/, /a\.snap/);
    // a truncated part
    const bytes = readFileSync(p('b.snap'));
    writeFileSync(p('cut.snap'), bytes.subarray(0, bytes.length - 64));
    expectUsageError(assert, cli(['merge', p('a.snap'), p('cut.snap'), '--out', p('m.snap')]), /cut\.snap/, /checksum|truncated/);
    // NaN in a shard: its task fails, naming the file and the row
    const { X } = planted(SHARDS * ROWS, 5);
    const bad = X.slice(2 * ROWS * 16, 3 * ROWS * 16);
    bad[700 * 16 + 3] = Number.NaN;
    writeFileSync(p('nan.npy'), npyBytes(bad, ROWS, 16));
    expectUsageError(assert, cli(['accumulate', p('nan.npy'), p('y-2.npy'), '--out', p('n.snap')]), /nan\.npy/, /row 701\b/);
    // a truncated shard
    const cutNpy = readFileSync(p('x-3.npy'));
    writeFileSync(p('short.npy'), cutNpy.subarray(0, cutNpy.length - 100));
    expectUsageError(assert, cli(['accumulate', p('short.npy'), p('y-3.npy'), '--out', p('n.snap')]), /short\.npy/);
    // σ = auto per shard would differ between shards: refused
    expectUsageError(assert, acc(2, 'g.snap', '--kernel', 'gaussian', '--sigma', 'auto'), /sigma-sample/);
    // an output must never be an input
    expectUsageError(assert, cli(['merge', p('a.snap'), p('b.snap'), '--out', p('a.snap')]), /same file/);
    // finish with a shard's scores missing, or scored twice
    ok(cli(['merge', p('a.snap'), p('b.snap'), '--out', p('m.snap')]));
    ok(cli(['solve', p('m.snap'), '--out', p('sol.snap'), '--top', '2']));
    ok(cli(['score', p('x-0.npy'), p('y-0.npy'), '--name', 'shard-0', '--solution', p('sol.snap'), '--out', p('s0.part')]));
    ok(cli(['score', p('x-1.npy'), p('y-1.npy'), '--name', 'shard-1', '--solution', p('sol.snap'), '--out', p('s1.part')]));
    expectUsageError(assert, cli(['finish', p('sol.snap'), p('s1.part'), '--json']), /rows 0\.\.1024/, /missing/);
    // every score needs solve --keep-scores
    expectUsageError(assert, cli(['finish', p('sol.snap'), p('s0.part'), p('s1.part'), '--scores', p('all.npy')]), /--keep-scores/);
    expectUsageError(assert, cli(['finish', p('sol.snap'), p('s0.part'), p('s1.part'), p('s0.part'), '--json']), /s0\.part/, /twice/);
    // scoring a shard the solution does not know, or other rows than it accumulated
    expectUsageError(assert, cli(['score', p('x-2.npy'), p('y-2.npy'), '--solution', p('sol.snap'), '--out', p('s2.part')]), /'x-2'/, /not among/);
    expectUsageError(assert, cli(['score', p('FX.npy'), p('y-0.npy'), '--name', 'shard-0', '--solution', p('sol.snap'), '--out', p('s2.part')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

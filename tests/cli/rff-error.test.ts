// The random-feature error as a user sees it: a planted problem where m = 50
// features move SPEC-diff by well over 5% and m = 2000 by well under. compare and
// finc print it beside SPEC-diff, put it last in --json, and say on stderr — only
// when it is over 5% — what would bring it down.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'spec-embed-rff-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Rows around k centres (deterministic), written as a little-endian f32 .npy. */
function planted(name: string, n: number, d: number, k: number, seed: number): string {
  const data = new Float32Array(n * d);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      data[i * d + j] = s / 2 ** 32 - 0.5 + (i % k === j % k ? 1.5 : 0);
    }
  }
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${d}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre.writeUInt8(1, 6);
  pre.writeUInt16LE(header.length, 8);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]));
  return path;
}

const X = planted('x.npy', 1500, 12, 5, 1),
  Y = planted('y.npy', 1500, 10, 3, 2);
const A = planted('a.npy', 900, 10, 5, 3),
  B = planted('b.npy', 700, 10, 3, 4);
const NOTE =
  /random Fourier features move SPEC-diff by an estimated (\d+(?:\.\d+)?)% of its norm .*use --rff-dim (\d+) \(the error falls as 1\/√m\) or --method exact/;

for (const [task, files, extra] of [
  ['compare', [X, Y], ['--kernel', 'gaussian']],
  ['finc', [A, B], ['--kernel', 'gaussian']],
] as const) {
  const run = (m: number, json: boolean) => {
    const r = cli([task, ...files, ...extra, '--method', 'covariance', '--rff-dim', String(m), '--seed', '4', '--threads', '1', ...(json ? ['--json'] : [])]);
    assert.equal(r.code, 0, r.stderr);
    return r;
  };

  test(`${task} --json: rffError last, over 5% at m = 50 with the note, under it at m = 2000 without`, () => {
    const small = JSON.parse(run(50, true).stdout),
      large = JSON.parse(run(2000, true).stdout);
    for (const j of [small, large]) {
      // only the solver fields follow it (when a covariance solver ran: not on the feature-Gram path, n ≤ D)
      const keys = Object.keys(j);
      assert.deepEqual(keys.slice(keys.indexOf('rffError')), j.solver ? ['rffError', 'solver', 'solverReason'] : ['rffError']);
      assert.deepEqual(Object.keys(j.rffError), ['xNotY', 'yNotX', 'norm', 'sample']);
      assert.equal(j.rffError.sample, 500);
      assert.ok(j.timings.rffError >= 0);
    }
    assert.ok(small.rffError.norm > 0.05, `m = 50: ${small.rffError.norm}`);
    assert.ok(large.rffError.norm < 0.05, `m = 2000: ${large.rffError.norm}`);
    const note = (small.notes ?? []).find((s: string) => NOTE.test(s));
    assert.ok(note, JSON.stringify(small.notes));
    assert.equal(Number(NOTE.exec(note)![1]), Number((100 * small.rffError.norm).toPrecision(2)));
    assert.ok(Number(NOTE.exec(note)![2]) > 50);
    assert.ok(!(large.notes ?? []).some((s: string) => NOTE.test(s)), JSON.stringify(large.notes));
  });

  test(`${task} table: the RFF error line under SPEC-diff; the note on stderr only over 5%`, () => {
    const small = run(50, false),
      large = run(2000, false);
    for (const r of [small, large]) {
      const lines = r.stdout.split('\n');
      const at = lines.findIndex((l) => l.startsWith('SPEC-diff'));
      assert.match(
        lines[at + 1],
        /^RFF error {3}norm \d+(\.\d)?% {3}x-not-y \d+(\.\d)?% {3}y-not-x \d+(\.\d)?% {3}\(on a sample of 500 rows: the exact kernel against the run's random features\)$/,
      );
    }
    assert.match(small.stderr, NOTE);
    assert.doesNotMatch(large.stderr, /random Fourier features move/);
    assert.doesNotMatch(small.stdout, /random Fourier features move/);
  });
}

test('no random features, no RFF error: cosine covariance run and Gaussian exact run', () => {
  for (const args of [
    ['--method', 'covariance'],
    ['--kernel', 'gaussian', '--method', 'exact'],
  ]) {
    const r = cli(['compare', X, Y, '--json', ...args]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.rffError, undefined, args.join(' '));
    assert.equal(j.timings.rffError, undefined);
    assert.doesNotMatch(cli(['compare', X, Y, ...args]).stdout, /RFF error/);
  }
});

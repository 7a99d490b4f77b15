// The sharded-run commands in process on the NumPy fixture (scripts/fixtures/shards.py):
// sigma-sample, accumulate, merge, solve (shard-steps.ts), score and finish
// (shard-finish.ts) over 4 shards print finish --json with Λ's extreme eigenvalues
// and the first mode's top samples as NumPy computes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accumulateCommand, mergeCommand, solveCommand } from '../../../../src/cli/commands/shard-steps.js';
import { finishCommand, scoreCommand } from '../../../../src/cli/commands/shard-finish.js';
import { npyBytes } from '../../../../src/io/npy-write.js';
import { runCommand } from './io.js';
import { X, Y, expected } from '../../methods/shards/fixture.js';

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.abs(b) + 1e-9;

test('accumulate → merge → solve → score → finish --json: NumPy’s eigenvalues and top samples', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-shard-cmds-'));
  const p = (f: string) => join(dir, f);
  try {
    for (let s = 0; s < 4; s++) {
      writeFileSync(p(`x-${s}.npy`), npyBytes(X.data.slice(s * 512 * 12, (s + 1) * 512 * 12), [512, 12]));
      writeFileSync(p(`y-${s}.npy`), npyBytes(Y.data.slice(s * 512 * 8, (s + 1) * 512 * 8), [512, 8]));
    }
    const ok = async (r: Promise<{ code: number; err: string }>) => assert.equal((await r).code, 0);
    for (let s = 0; s < 4; s++) await ok(runCommand(accumulateCommand, [p(`x-${s}.npy`), p(`y-${s}.npy`), '--out', p(`part-${s}.snap`)]));
    await ok(runCommand(mergeCommand, [0, 1, 2, 3].map((s) => p(`part-${s}.snap`)).concat(['--out', p('all.snap')])));
    await ok(runCommand(solveCommand, [p('all.snap'), '--out', p('sol.snap'), '--top', '3', '--samples-per-mode', '5']));
    for (let s = 0; s < 4; s++) await ok(runCommand(scoreCommand, [p(`x-${s}.npy`), p(`y-${s}.npy`), '--solution', p('sol.snap'), '--out', p(`sc-${s}.part`)]));
    const r = await runCommand(finishCommand, [p('sol.snap'), ...[0, 1, 2, 3].map((s) => p(`sc-${s}.part`)), '--json']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out);
    assert.equal(j.n, expected.n);
    const xs = j.modes.filter((m: { side: string }) => m.side === 'x').map((m: { eigenvalue: number }) => m.eigenvalue);
    expected.largest.forEach((v: number, i: number) => assert.ok(close(xs[i], v), `λ${i + 1}: ${xs[i]} vs ${v}`));
    assert.deepEqual(
      j.modes[0].top.map((t: { index: number }) => t.index),
      expected.top,
    );
    // the table form too
    const human = await runCommand(finishCommand, [p('sol.snap'), ...[0, 1, 2, 3].map((s) => p(`sc-${s}.part`))]);
    assert.match(human.out, /sharded: the covariance sums of 4 shards/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

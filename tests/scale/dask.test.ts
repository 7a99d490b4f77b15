// examples/dask/shards.py on a Dask LocalCluster (a scheduler and two worker
// processes): 8 shards accumulated as tasks, merged in a tree, solved, scored and
// finished give the one-machine compare JSON (numbers to 1e-12: the tree merge
// changes only the order of f64 additions), and a NaN shard fails the job with
// its file and row. Dask is Debian's python3-distributed, a system package: where
// no python3 imports it, the suite says so and skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, cli } from '../cli/helpers.js';
import { ROWS, SHARDS, npyBytes, planted, writeSet } from '../shared/shards.js';

/** A python3 that imports Dask distributed (the PATH one, else Debian's), or undefined. */
function daskPython(): string | undefined {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import distributed'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return undefined;
}

const PY = daskPython();
if (!PY) console.log('# skipped: Dask is absent (no python3 imports distributed; on Debian: apt-get install python3-distributed)');

const SCRIPT = join(ROOT, 'examples', 'dask', 'shards.py');

function runDask(dir: string, xs: string, ys: string, extra: string[] = []) {
  return spawnSync(
    PY!,
    [SCRIPT, '--x', join(dir, xs), '--y', join(dir, ys), '--work', join(dir, 'work'), '--cli', CLI, '--workers', '2', '--fan-in', '3', '--top', '3', ...extra],
    {
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
}

/** Deep equality with numbers equal to 1e-12 relative. */
function closeTo(a: unknown, b: unknown, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)) + 1e-300, `${path}: ${a} vs ${b}`);
  } else if (a && typeof a === 'object' && b && typeof b === 'object') {
    assert.deepEqual(Object.keys(a), Object.keys(b), path);
    for (const k of Object.keys(a)) closeTo((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else assert.equal(a, b, path);
}

const comparable = (o: Record<string, unknown>) => {
  for (const k of ['timings', 'methodReason', 'files', 'inputs', 'sigma', 'rffError', 'metrics', 'threads', 'solver', 'solverReason']) delete o[k];
  return o;
};

test('Dask: accumulate, a merge tree, solve, score and finish as tasks give the one-machine compare JSON', { skip: !PY && 'Dask is absent' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-dask-'));
  try {
    writeSet(dir, 31);
    const r = runDask(dir, 'x-*.npy', 'y-*.npy');
    assert.equal(r.status, 0, r.stderr);
    const sharded = JSON.parse(r.stdout);
    // a tree: 8 parts, 3 per merge task, then the 3 merged parts
    assert.ok(readFileSync(join(dir, 'work', 'merge-1-0.snap')).length > 0);
    const one = cli(['compare', join(dir, 'X.npy'), join(dir, 'Y.npy'), '--method', 'covariance', '--threads', '1', '--top', '3', '--json']);
    assert.equal(one.code, 0, one.stderr);
    closeTo(comparable(sharded), comparable(JSON.parse(one.stdout)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Dask: a shard with a NaN fails its task and the job, naming the file and the row', { skip: !PY && 'Dask is absent' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-dask-'));
  try {
    writeSet(dir, 37);
    const { X, dx } = planted(SHARDS * ROWS, 37);
    const bad = X.slice(5 * ROWS * dx, 6 * ROWS * dx);
    bad[99 * dx] = Number.NaN;
    writeFileSync(join(dir, 'x-5.npy'), npyBytes(bad, ROWS, dx));
    const r = runDask(dir, 'x-*.npy', 'y-*.npy');
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '', 'no partial result');
    assert.match(r.stderr, /a task failed: .*x-5\.npy.*row 100\b/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

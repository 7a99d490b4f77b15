#!/usr/bin/env python3
"""spec-embed's covariance route on a Dask cluster.

Dask schedules, retries and moves files; spec-embed supplies the steps. Every
task is one `spec-embed` command run as a subprocess on a worker:

    sigma-sample (Gaussian only) -> accumulate (one task per shard)
    -> merge (a tree, FAN_IN parts per task) -> solve -> score (one task per shard)
    -> finish (prints the --json object a one-machine run prints)

The shards are pairs of files X-shard, Y-shard (compare) given as two sorted
globs; a shard's name is its X file's name without the extension, and the shards
concatenate in name order (the global row numbers in the result count that way).
Here the cluster is a LocalCluster (a scheduler and worker processes on this
machine: the same scheduler and workers a real cluster runs); on a cluster, pass
--scheduler tcp://host:8786 and put the files where every worker sees them
(a shared file system, or download them in the task).

    python3 examples/dask/shards.py --x 'data/x-*.npy' --y 'data/y-*.npy' \\
        --work /tmp/run --workers 2 -- --kernel gaussian --rff-dim 500

Options after `--` go to accumulate (kernel, eta, seed, rff-dim). A Gaussian
gets σ = auto from one sigma-sample task over all shards, so every shard uses
the same σ. A shard that fails (truncated file, NaN) fails its task: the job
stops and prints the shard and spec-embed's one-line error (file and row).
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys

from dask.distributed import Client, LocalCluster


class StepFailed(Exception):
    """A spec-embed step exited non-zero: the message is its one-line error."""


def spec_embed(cli, *args):
    """Runs one spec-embed command; returns its stdout, or raises StepFailed with its stderr."""
    cmd = [shutil.which('spec-embed')] if cli is None else ['node', cli]
    r = subprocess.run([*cmd, *args], capture_output=True, text=True)
    if r.returncode != 0:
        lines = [l for l in r.stderr.splitlines() if l and not l.endswith('...')]
        raise StepFailed(lines[-1] if lines else f'exit {r.returncode}')
    return r.stdout


def accumulate(cli, x, y, name, out, options):
    spec_embed(cli, 'accumulate', x, y, '--name', name, '--out', out, *options)
    return out


def merge(cli, out, *parts):
    spec_embed(cli, 'merge', *parts, '--out', out)
    return out


def solve(cli, merged, out, solve_options):
    spec_embed(cli, 'solve', merged, '--out', out, *solve_options)
    return out


def score(cli, x, y, name, solution, out):
    spec_embed(cli, 'score', x, y, '--name', name, '--solution', solution, '--out', out)
    return out


def finish(cli, solution, *scores):
    return json.loads(spec_embed(cli, 'finish', solution, *scores, '--json'))


def sigma_sample(cli, files, out, seed):
    spec_embed(cli, 'sigma-sample', *files, '--out', out, '--seed', seed)
    return out


def tree_merge(client, cli, parts, work, fan_in):
    """Merges parts in a tree of merge tasks, fan_in parts per task, level by level (in name order)."""
    level = 0
    while len(parts) > 1:
        groups = [parts[i:i + fan_in] for i in range(0, len(parts), fan_in)]
        parts = [
            g[0] if len(g) == 1 else client.submit(merge, cli, os.path.join(work, f'merge-{level}-{i}.snap'), *g, pure=False)
            for i, g in enumerate(groups)
        ]
        level += 1
    return parts[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--x', required=True, help="glob of X's shards (sorted: the shard order)")
    ap.add_argument('--y', required=True, help="glob of Y's shards (paired with X's in sorted order)")
    ap.add_argument('--work', required=True, help='directory for the parts, the solution and the scores')
    ap.add_argument('--cli', help='path to dist/cli.js (default: spec-embed on PATH)')
    ap.add_argument('--scheduler', help='address of a running Dask scheduler (default: a LocalCluster)')
    ap.add_argument('--workers', type=int, default=2, help='LocalCluster worker processes (default 2)')
    ap.add_argument('--fan-in', type=int, default=4, help='parts per merge task (default 4; ≥ the shard count: one flat merge)')
    ap.add_argument('--top', default='10', help='modes per side (default 10)')
    ap.add_argument('--out', help='write the result JSON here (default: stdout)')
    ap.add_argument('accumulate_options', nargs='*', help='after --: options of spec-embed accumulate')
    a = ap.parse_args()

    xs, ys = sorted(glob.glob(a.x)), sorted(glob.glob(a.y))
    if not xs or len(xs) != len(ys):
        sys.exit(f'spec-embed dask: {len(xs)} X shards and {len(ys)} Y shards: give paired globs')
    names = [os.path.splitext(os.path.basename(x))[0] for x in xs]
    os.makedirs(a.work, exist_ok=True)
    w = lambda f: os.path.join(a.work, f)
    options = list(a.accumulate_options)
    seed = options[options.index('--seed') + 1] if '--seed' in options else '0'

    cluster = None if a.scheduler else LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(a.scheduler or cluster)
    try:
        if 'gaussian' in options and not any(o.startswith('--sigma') for o in options):
            # σ = auto: one seeded sample of all shards (the one-machine run's rows), per side
            sx = client.submit(sigma_sample, a.cli, xs, w('sigma-x.npy'), seed, pure=False)
            sy = client.submit(sigma_sample, a.cli, ys, w('sigma-y.npy'), seed, pure=False)
            options += ['--sigma-x', sx.result(), '--sigma-y', sy.result()]
        parts = [client.submit(accumulate, a.cli, x, y, n, w(f'part-{n}.snap'), options, pure=False) for x, y, n in zip(xs, ys, names)]
        merged = tree_merge(client, a.cli, parts, a.work, max(2, a.fan_in))
        sol = client.submit(solve, a.cli, merged, w('solution.snap'), ['--top', a.top], pure=False)
        scores = [client.submit(score, a.cli, x, y, n, sol, w(f'scores-{n}.part'), pure=False) for x, y, n in zip(xs, ys, names)]
        result = client.submit(finish, a.cli, sol, *scores, pure=False).result()
    except StepFailed as e:
        # the failed task's shard is in spec-embed's message (the file and row)
        sys.stderr.write(f'spec-embed dask: a task failed: {e}\n')
        sys.exit(2)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    text = json.dumps(result)
    if a.out:
        with open(a.out, 'w') as f:
            f.write(text + '\n')
    else:
        print(text)


if __name__ == '__main__':
    main()

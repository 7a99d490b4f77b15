"""Seeded, clustered embedding-like data for the benchmarks, written as float32 .npy.

Row i of X and of Y embed the same sample: it belongs to one of 40 groups; X
places every group at its own centre, Y gives only 25 centres (groups g and
g + 25 share one), so SPEC has modes on both sides. Written in chunks through
a memory map, so 1,000,000 × 384 rows never sit in memory whole.

usage: make_bench_data.py OUTDIR N DX DY SEED
"""
import sys

import numpy as np
from numpy.lib.format import open_memmap

out, n, dx, dy, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
CHUNK = 65536
rng = np.random.default_rng(seed)
cx = rng.standard_normal((40, dx), dtype=np.float32)
cy = rng.standard_normal((25, dy), dtype=np.float32)
X = open_memmap(f"{out}/X.npy", mode="w+", dtype=np.float32, shape=(n, dx))
Y = open_memmap(f"{out}/Y.npy", mode="w+", dtype=np.float32, shape=(n, dy))
for s in range(0, n, CHUNK):
    r = min(CHUNK, n - s)
    lab = rng.integers(0, 40, r)
    X[s : s + r] = cx[lab] + np.float32(0.8) * rng.standard_normal((r, dx), dtype=np.float32)
    Y[s : s + r] = cy[lab % 25] + np.float32(0.8) * rng.standard_normal((r, dy), dtype=np.float32)
X.flush()
Y.flush()
del X, Y
print("{}")

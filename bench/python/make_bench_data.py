"""Clustered embedding-like data for the benchmarks, written as float32 .npy.
usage: make_bench_data.py OUTDIR N DX DY SEED"""
import sys
import numpy as np

out, n, dx, dy, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = np.random.default_rng(seed)
lab = rng.integers(0, 40, n)
cx = rng.normal(size=(40, dx)).astype(np.float32)
cy = rng.normal(size=(40, dy)).astype(np.float32)
X = (cx[lab] + 0.8 * rng.normal(size=(n, dx))).astype(np.float32)
Y = (cy[lab % 25] + 0.8 * rng.normal(size=(n, dy))).astype(np.float32)
np.save(f"{out}/X.npy", X)
np.save(f"{out}/Y.npy", Y)
print("{}")

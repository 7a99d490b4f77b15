"""The strongest NumPy/SciPy practice for SPEC's mathematics, timed at one BLAS
thread (bench/lib.mjs sets the environment). Prints one JSON line of medians.

usage: compare_baseline.py rff DIR M SIGMA_X SIGMA_Y K REPEATS
       compare_baseline.py cosine DIR K REPEATS            (file loading included)
       compare_baseline.py exact DIR SIGMA_X SIGMA_Y K REPEATS
"""
import json
import sys
import time

import numpy as np
import scipy.linalg as sl
from scipy.linalg.blas import ssyrk
from scipy.sparse.linalg import LinearOperator, eigsh


def solve_covariance(Psi, DX, k):
    n, D = Psi.shape
    C = ssyrk(1.0 / n, Psi, trans=1, lower=0).astype(np.float64)
    C = np.triu(C) + np.triu(C, 1).T
    R = sl.cholesky(C + 1e-10 * np.trace(C) / D * np.eye(D), lower=False)
    J = np.ones(D)
    J[DX:] = -1
    op = LinearOperator((D, D), matvec=lambda w: R @ (J * (R.T @ w)), dtype=np.float64)
    vals, W = eigsh(op, k=2 * k, which="BE")
    V = (J[:, None] * (R.T @ W)).astype(np.float32)
    U = Psi @ V / np.sqrt(n)
    return vals, U


def rff(X, m, sigma, seed):
    rng = np.random.default_rng(seed)
    W = (rng.normal(size=(X.shape[1], m)) / sigma).astype(np.float32)
    P = X @ W
    return (np.hstack([np.cos(P), np.sin(P)]) / np.float32(np.sqrt(m))).astype(np.float32)


def median_time(fn, repeats):
    ts = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return float(np.median(ts))


mode = sys.argv[1]
d = sys.argv[2]
if mode == "rff":
    m, sx, sy, k, reps = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
    X = np.load(f"{d}/X.npy")
    Y = np.load(f"{d}/Y.npy")

    def run():
        Psi = np.hstack([rff(X, m, sx, 1), rff(Y, m, sy, 2)])
        return solve_covariance(Psi, 2 * m, k)

    print(json.dumps({"pipeline": median_time(run, reps)}))
elif mode == "cosine":
    k, reps = int(sys.argv[3]), int(sys.argv[4])

    def run():
        X = np.load(f"{d}/X.npy")
        Y = np.load(f"{d}/Y.npy")
        X /= np.linalg.norm(X, axis=1, keepdims=True)
        Y /= np.linalg.norm(Y, axis=1, keepdims=True)
        return solve_covariance(np.hstack([X, Y]), X.shape[1], k)

    print(json.dumps({"pipeline": median_time(run, reps)}))
elif mode == "exact":
    sx, sy, k, reps = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    X = np.load(f"{d}/X.npy")
    Y = np.load(f"{d}/Y.npy")

    def gram(A, s):
        sq = (A * A).sum(1)
        G = A @ A.T
        return np.exp(-np.maximum(sq[:, None] + sq[None, :] - 2 * G, 0) / (2 * s * s)).astype(np.float64)

    def run():
        n = X.shape[0]
        L = gram(X, sx) / n - gram(Y, sy) / n
        return eigsh(L, k=2 * k, which="BE")

    print(json.dumps({"pipeline": median_time(run, reps)}))

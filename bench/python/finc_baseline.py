"""The NumPy/SciPy pipeline for FINC's covariance route, timed at one BLAS thread
(bench/lib.mjs sets the environment): float32 random Fourier features with one ω
for both sets, ssyrk for CX and CY, the extreme eigenpairs of CX − η·CY by ARPACK
eigsh 'BE' (and, for reference, LAPACK eigh with subset_by_index), then the scores
ΦX·v / ΦY·v and the top samples. Prints one JSON line of median seconds.

usage: finc_baseline.py DIR M SIGMA K REPEATS
"""
import json
import sys
import time

import numpy as np
import scipy.linalg as sl
from scipy.linalg.blas import ssyrk
from scipy.sparse.linalg import eigsh

d_, m, sigma, k, reps = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.load(f"{d_}/X.npy")
Y = np.load(f"{d_}/Y.npy")
eta = 1.0
W = (np.random.default_rng(1).normal(size=(X.shape[1], m)) / sigma).astype(np.float32)


def rff(A):
    P = A @ W
    return (np.hstack([np.cos(P), np.sin(P)]) / np.float32(np.sqrt(m))).astype(np.float32)


def cov(F):
    C = ssyrk(1.0 / F.shape[0], F, trans=1, lower=0).astype(np.float64)
    return np.triu(C) + np.triu(C, 1).T


def top(scores, s=20):
    out = []
    for j in range(scores.shape[1]):
        u = scores[:, j] * (1 if scores[:, j].sum() >= 0 else -1)
        idx = np.argpartition(-u, s)[:s]
        out.append(idx[np.argsort(-u[idx])])
    return out


def run(solver):
    FX, FY = rff(X), rff(Y)
    A = cov(FX) - eta * cov(FY)
    D = A.shape[0]
    if solver == "eigsh":
        vals, V = eigsh(A, k=2 * k, which="BE")
    else:
        lo = sl.eigh(A, subset_by_index=[0, k - 1])
        hi = sl.eigh(A, subset_by_index=[D - k, D - 1])
        vals, V = np.concatenate([lo[0], hi[0]]), np.hstack([lo[1], hi[1]])
    pos, neg = V[:, vals > 0].astype(np.float32), V[:, vals < 0].astype(np.float32)
    return top(FX @ pos), top(FY @ neg)


def median_time(fn, repeats):
    ts = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return float(np.median(ts))


res = {s: median_time(lambda: run(s), reps) for s in ("eigsh", "eigh")}
res["pipeline"] = min(res["eigsh"], res["eigh"])
print(json.dumps(res))

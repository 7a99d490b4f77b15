"""Kernel CKA on a row sample against every row, on B1-like data (docs/design.md, "Metrics
and permutation tests"): the sample-size rule of the matrix-free route's kernel CKA.

Gaussian random Fourier features (rffDim per side, σX / σY) of X.npy and Y.npy, the CKA of
all n rows (from the D × D cross-covariances), then, for each sample size m, the CKA of the
sample's two Gram matrices over 20 seeded samples: mean, spread (sd), bias (mean − all rows).
One BLAS thread is enough (OMP_NUM_THREADS=1): ~3 minutes at n = 10,000, rffDim 1000.

usage: cka_sample_spread.py DIR [RFF_DIM SIGMA_X SIGMA_Y] [--m 500,1000,1500,2000]
"""
import sys

import numpy as np

args = [a for a in sys.argv[1:] if not a.startswith("--")]
ms = [500, 1000, 1500, 2000]
if "--m" in sys.argv:
    ms = [int(v) for v in sys.argv[sys.argv.index("--m") + 1].split(",")]
    args = [a for a in args if a != sys.argv[sys.argv.index("--m") + 1]]
d = args[0]
R, sx, sy = (int(args[1]), float(args[2]), float(args[3])) if len(args) >= 4 else (1000, 40.0, 32.0)
X = np.load(f"{d}/X.npy").astype(np.float64)
Y = np.load(f"{d}/Y.npy").astype(np.float64)
n = len(X)
rng = np.random.default_rng(1)


def features(A, sigma):
    P = A @ (rng.standard_normal((A.shape[1], R)) / sigma)
    return (np.hstack([np.cos(P), np.sin(P)]) / np.sqrt(R)).astype(np.float32)


FX, FY = features(X, sx), features(Y, sy)


def cka_all(A, B):
    A = A.astype(np.float64) - A.mean(0)
    B = B.astype(np.float64) - B.mean(0)
    return np.sum((A.T @ B) ** 2) / np.sqrt(np.sum((A.T @ A) ** 2) * np.sum((B.T @ B) ** 2))


def cka_gram(A, B):
    K, L = (A @ A.T).astype(np.float64), (B @ B.T).astype(np.float64)
    K = K - K.mean(0) - K.mean(1)[:, None] + K.mean()
    L = L - L.mean(0) - L.mean(1)[:, None] + L.mean()
    return np.sum(K * L) / np.sqrt(np.sum(K * K) * np.sum(L * L))


full = cka_all(FX, FY)
print(f"n = {n}, D = {FX.shape[1]} + {FY.shape[1]}: kernel CKA of every row {full:.5f}")
for m in ms:
    v = np.array([cka_gram(FX[i], FY[i]) for i in (np.sort(np.random.default_rng(100 + s).choice(n, m, replace=False)) for s in range(20))])
    print(f"m = {m:5d}: mean {v.mean():.5f}  sd {v.std(ddof=1):.5f}  bias {v.mean() - full:+.5f}")

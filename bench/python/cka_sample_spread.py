"""Kernel CKA on a row sample against every row, on B1-like data (docs/design.md, "Metrics
and permutation tests"): the sample-size rule of the matrix-free route's kernel CKA.

Gaussian random Fourier features (rffDim per side, σX / σY) of X.npy and Y.npy, the CKA of
all n rows (from the D × D cross-covariances), then, for each sample size m, the CKA of the
sample's two Gram matrices over 20 seeded samples, with the biased HSIC (centred Grams, the
all-rows formula) and with the unbiased one (Song et al. 2012, what the library uses on a
sample smaller than n): mean, spread (sd), bias (mean − all rows) of each.
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


def cka_biased(K, L):
    K = K - K.mean(0) - K.mean(1)[:, None] + K.mean()
    L = L - L.mean(0) - L.mean(1)[:, None] + L.mean()
    return np.sum(K * L) / np.sqrt(np.sum(K * K) * np.sum(L * L))


def hsic_unbiased(K, L):
    """Song et al. (2012): the Grams with zeroed diagonals, an unbiased estimate of HSIC."""
    m = len(K)
    K, L = K.copy(), L.copy()
    np.fill_diagonal(K, 0)
    np.fill_diagonal(L, 0)
    rK, rL = K.sum(1), L.sum(1)
    return (np.sum(K * L) + rK.sum() * rL.sum() / ((m - 1) * (m - 2)) - 2 / (m - 2) * (rK @ rL)) / (m * (m - 3))


def cka_unbiased(K, L):
    return hsic_unbiased(K, L) / np.sqrt(hsic_unbiased(K, K) * hsic_unbiased(L, L))


def cka_gram(A, B):
    K, L = (A @ A.T).astype(np.float64), (B @ B.T).astype(np.float64)
    return cka_biased(K, L), cka_unbiased(K, L)


full = cka_all(FX, FY)
print(f"n = {n}, D = {FX.shape[1]} + {FY.shape[1]}: kernel CKA of every row {full:.5f}")
for m in ms:
    v = np.array([cka_gram(FX[i], FY[i]) for i in (np.sort(np.random.default_rng(100 + s).choice(n, m, replace=False)) for s in range(20))])
    for name, w in (("biased  ", v[:, 0]), ("unbiased", v[:, 1])):
        print(f"m = {m:5d} {name}: mean {w.mean():.5f}  sd {w.std(ddof=1):.5f}  bias {w.mean() - full:+.5f}")

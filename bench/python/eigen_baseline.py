#!/usr/bin/env python3
"""SciPy baselines for bench/eigen.bench.mjs (one BLAS thread, set by bench/lib.mjs).

Usage: eigen_baseline.py OUTDIR [M] [N_SAMPLES] [N_DENSE]

Builds a realistic covariance: N_SAMPLES (10,000) clustered vectors of dims 768
(X) and 512 (Y, a different clustering of the same samples), Gaussian RFF with
m = D_HALF_M/2... precisely m = 1000 frequencies per side (D = 4m = 4000),
σ = median pairwise distance, Ψ = [ΦX, ΦY], C = ΨᵀΨ/n. Saves C.npy (D×D) and
L.npy (N_DENSE×N_DENSE exact-route Λ = ΨJΨᵀ/n on the first N_DENSE samples) to
OUTDIR, times the SciPy baselines, and prints one JSON line.
"""
import json
import os
import sys
import time

import numpy as np
import scipy.linalg as sla
from scipy.sparse.linalg import LinearOperator, eigsh


def timeit(fn, runs=3):
    t = []
    out = None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        t.append(time.perf_counter() - t0)
    t.sort()
    return t[len(t) // 2], out


def clustered(rng, n, d, labels, spread):
    centers = rng.standard_normal((labels.max() + 1, d))
    return centers[labels] + spread * rng.standard_normal((n, d))


def rff(rng, X, m):
    sub = X[rng.choice(len(X), 1000, replace=False)]
    sq = (sub * sub).sum(1)
    dist = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * sub @ sub.T, 0))
    sigma = np.median(dist[np.triu_indices(len(sub), 1)])
    W = rng.standard_normal((X.shape[1], m)) / sigma
    Z = X @ W
    return np.hstack([np.cos(Z), np.sin(Z)]) / np.sqrt(m)


def main():
    out = sys.argv[1]
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    nd = int(sys.argv[4]) if len(sys.argv) > 4 else 4000
    k = 10
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(12345)
    lx = rng.integers(0, 40, n)
    ly = lx % 25  # Y merges some of X's clusters and splits none
    flip = rng.random(n) < 0.1
    ly[flip] = 25 + rng.integers(0, 5, flip.sum())  # and scatters 10% of samples into new clusters
    X = clustered(rng, n, 768, lx, 0.6)
    Y = clustered(rng, n, 512, ly, 0.6)
    psi = np.hstack([rff(rng, X, m), rff(rng, Y, m)])
    D = psi.shape[1]
    dx = 2 * m
    jd = np.concatenate([np.ones(dx), -np.ones(D - dx)])
    C = psi.T @ psi / n
    C = (C + C.T) / 2
    np.save(os.path.join(out, 'C.npy'), C)
    ps = psi[:nd]
    L = (ps * jd) @ ps.T / nd
    L = (L + L.T) / 2
    np.save(os.path.join(out, 'L.npy'), L)
    res = {'D': D, 'dx': dx, 'n': n, 'nDense': nd, 'k': k}

    x = rng.standard_normal(D)
    res['symv'], _ = timeit(lambda: C @ x, 20)
    res['cholesky'], R = timeit(lambda: sla.cholesky(C, lower=False, check_finite=False), 3)

    dtrmv = sla.get_blas_funcs('trmv', (R,))
    Rf = np.asfortranarray(R)

    count = [0]

    def theta(v):
        count[0] += 1
        t = dtrmv(Rf, np.ascontiguousarray(v).ravel(), trans=1)  # Rᵀ v (reads the triangle only)
        t *= jd
        return dtrmv(Rf, t, trans=0)

    op = LinearOperator((D, D), matvec=theta, dtype=np.float64)
    res['eigsh_rjr'], (w, _) = timeit(lambda: eigsh(op, k=2 * k, which='BE', tol=1e-10, v0=np.ones(D)), 1)
    w = np.sort(w)
    res['eigsh_values'] = w.tolist()
    res['eigsh_rjr_matvecs'] = count[0]

    Th = (R * jd) @ R.T
    Th = (Th + Th.T) / 2

    def two_eigh():
        lo = sla.eigh(Th, subset_by_index=[0, k - 1], check_finite=False)
        hi = sla.eigh(Th, subset_by_index=[D - k, D - 1], check_finite=False)
        return lo, hi
    res['eigh_subset_x2'], (lo, hi) = timeit(two_eigh, 1)
    res['eigh_values'] = np.concatenate([lo[0], hi[0]]).tolist()

    dcount = [0]

    def lmv(v):
        dcount[0] += 1
        return L @ np.ravel(v)
    lop = LinearOperator((nd, nd), matvec=lmv, dtype=np.float64)
    res['eigsh_dense'], (wd, _) = timeit(lambda: eigsh(lop, k=2 * k, which='BE', tol=1e-10, v0=np.ones(nd)), 1)
    res['eigsh_dense_matvecs'] = dcount[0]
    res['eigsh_dense_values'] = np.sort(wd).tolist()
    print(json.dumps(res))


if __name__ == '__main__':
    main()

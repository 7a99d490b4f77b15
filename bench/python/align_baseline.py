"""NumPy/SciPy implementation of one SPEC-align epoch (the same gradient step as
src/align.ts): per batch the exact KX (cosine, float32 GEMM), Z = Y Wᵀ, the cosine
kernel of Z, Λ = KX − K_ψ in float64, the top eigenvector by ARPACK eigsh
(k=1, 'LA'), the rank-one gradient, ∂λ/∂W = gradZᵀ Y (float32 GEMM) and Adam.
Timed at one BLAS thread (bench/lib.mjs sets the environment).

usage: align_baseline.py DIR BATCH REPEATS   -> {"epoch": median seconds}
"""
import json
import sys
import time

import numpy as np
from scipy.sparse.linalg import eigsh


def normalise(A):
    return A / np.linalg.norm(A, axis=1, keepdims=True)


def epoch(X, Y, W, state, batch, lr, beta, W0, rng):
    n = X.shape[0]
    idx = rng.permutation(n)
    count = -(-n // batch)
    starts = [(i * n) // count for i in range(count)] + [n]
    m, v, t = state
    for j in range(count):
        sel = idx[starts[j]:starts[j + 1]]
        b = len(sel)
        Xb, Yb = X[sel], Y[sel]
        Xn = normalise(Xb)
        KX = (Xn @ Xn.T).astype(np.float64) / b
        Z = Yb @ W.T.astype(np.float32)
        nz = np.linalg.norm(Z.astype(np.float64), axis=1)
        Zn = (Z / nz[:, None]).astype(np.float32)
        L = KX - (Zn @ Zn.T).astype(np.float64) / b
        lam, U = eigsh(L, k=1, which="LA")
        u = U[:, 0]
        Zn64 = Zn.astype(np.float64)
        s = Zn64.T @ u
        c = Zn64 @ s
        a = (-2.0 / b) * u / nz
        gZ = a[:, None] * (s[None, :] - c[:, None] * Zn64)
        gW = (gZ.astype(np.float32).T @ Yb).astype(np.float64) + 2 * beta * (W - W0)
        t += 1
        m = 0.9 * m + 0.1 * gW
        v = 0.999 * v + 0.001 * gW * gW
        W = W - lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return W, (m, v, t)


def main():
    d, batch, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    X = np.load(f"{d}/X.npy")
    Y = np.load(f"{d}/Y.npy")
    dy = Y.shape[1]
    W0 = np.eye(dy)
    ts = []
    for r in range(repeats):
        W = W0.copy()
        state = (np.zeros_like(W), np.zeros_like(W), 0)
        t0 = time.perf_counter()
        epoch(X, Y, W, state, batch, 0.03, 1e-4, W0, np.random.default_rng(r))
        ts.append(time.perf_counter() - t0)
    ts.sort()
    print(json.dumps({"epoch": ts[len(ts) // 2]}))


main()

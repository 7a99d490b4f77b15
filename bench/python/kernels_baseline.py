#!/usr/bin/env python3
"""NumPy/SciPy baselines for bench/kernels.bench.mjs (run with one BLAS thread by
bench/lib.mjs). Prints one JSON line {name: median seconds}."""
import json
import sys
import time

import numpy as np
import scipy.linalg.blas as blas


def median_seconds(fn, runs=7):
    fn()  # warm-up
    t = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        t.append(time.perf_counter() - t0)
    t.sort()
    return t[len(t) // 2]


rng = np.random.default_rng(1)
out = {}

# SYRK: upper triangle of ΨᵀΨ for a 4096 × 2048 f32 chunk (Ψ row-major → Ψᵀ is Fortran-ordered)
psi = rng.standard_normal((4096, 2048), dtype=np.float32)
out['syrk'] = median_seconds(lambda: blas.ssyrk(1.0, psi.T, trans=0, lower=0))

# SGEMM 4096 × 768 × 1000 (the RFF projection)
X = rng.standard_normal((4096, 768), dtype=np.float32)
W = (rng.standard_normal((768, 1000), dtype=np.float32) / 8).astype(np.float32)
T = np.empty((4096, 1000), dtype=np.float32)
out['sgemm'] = median_seconds(lambda: np.matmul(X, W, out=T))

# RFF features: float32 matmul + cos/sin into one 4096 × 2000 block, scaled by m^-1/2
F = np.empty((4096, 2000), dtype=np.float32)
s = np.float32(1 / np.sqrt(1000))


def rff():
    np.matmul(X, W, out=T)
    np.cos(T, out=F[:, :1000])
    np.sin(T, out=F[:, 1000:])
    np.multiply(F, s, out=F)


out['rff'] = median_seconds(rff)

# Exact Gaussian Gram n = 4000, d = 768: float32 X·Xᵀ, float64 distances and exp
Xg = rng.standard_normal((4000, 768), dtype=np.float32)
gamma = 1 / (2 * 30.0 ** 2)


def gram():
    G = (Xg @ Xg.T).astype(np.float64)
    sq = np.einsum('ij,ij->i', Xg.astype(np.float64), Xg.astype(np.float64))
    D2 = sq[:, None] + sq[None, :] - 2 * G
    np.maximum(D2, 0, out=D2)
    D2 *= -gamma
    np.exp(D2, out=D2)
    D2 /= 4000
    return D2


out['gram'] = median_seconds(gram, runs=3)
print(json.dumps(out))

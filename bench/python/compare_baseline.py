"""The strongest NumPy/SciPy practice for SPEC's mathematics, timed at the BLAS
thread count the caller sets (OPENBLAS_NUM_THREADS; bench/lib.mjs and bench/run.mjs
set the environment). Prints one JSON line: the median seconds as "pipeline",
λmax/λmin as a cross-check against ours, and which OpenBLAS kernel ran.

usage: compare_baseline.py rff DIR M SIGMA_X SIGMA_Y K REPEATS
       compare_baseline.py rff-matfree DIR M SIGMA_X SIGMA_Y K REPEATS  (eigsh on the n × n LinearOperator, no covariance)
       compare_baseline.py cosine DIR K REPEATS            (file loading included)
       compare_baseline.py exact DIR SIGMA_X SIGMA_Y K REPEATS
       compare_baseline.py eigh DIR SIGMA_X SIGMA_Y K REPEATS  (full eigh of the n × n Λ)
       compare_baseline.py info                             (versions and OpenBLAS kernels)
"""
import ctypes
import json
import platform
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


APPLICATIONS = [0]


def solve_matrix_free(Psi, DX, k):
    """ARPACK on Λ = (1/n)·Ψ J Ψᵀ as a LinearOperator: two float32 GEMVs per
    application (Ψᵀv, then Ψ(J·t)), never forming C; its eigenvectors are the scores."""
    n, D = Psi.shape
    J = np.ones(D, np.float32)
    J[DX:] = -1

    def mv(v):
        APPLICATIONS[0] += 1
        t = Psi.T @ v.astype(np.float32).ravel()
        return (Psi @ (J * t)).astype(np.float64) / n

    op = LinearOperator((n, n), matvec=mv, dtype=np.float64)
    vals, U = eigsh(op, k=2 * k, which="BE", tol=1e-7)
    return vals, U


def rff(X, m, sigma, seed):
    rng = np.random.default_rng(seed)
    W = (rng.normal(size=(X.shape[1], m)) / sigma).astype(np.float32)
    P = X @ W
    return (np.hstack([np.cos(P), np.sin(P)]) / np.float32(np.sqrt(m))).astype(np.float32)


def blas_info():
    """The kernel (core type) and thread count of every OpenBLAS this process
    loaded (NumPy's and SciPy's are separate libraries), asked of OpenBLAS itself
    as threadpoolctl does; threadpoolctl's own report is added when installed."""
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "openblas" in line.lower() and line.rstrip().endswith(".so")})
    out = []
    for path in libs:
        lib = ctypes.CDLL(path)
        for prefix in ("scipy_openblas_", "openblas_"):
            for suffix in ("", "64_"):
                core = getattr(lib, f"{prefix}get_corename{suffix}", None)
                nthreads = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
                if core is None or nthreads is None:
                    continue
                core.restype = ctypes.c_char_p
                out.append({"library": path.rsplit("/", 1)[-1], "coretype": core().decode(), "threads": int(nthreads())})
                break
            else:
                continue
            break
    try:
        from threadpoolctl import threadpool_info

        out.append({"threadpoolctl": [{k: i.get(k) for k in ("internal_api", "version", "architecture", "num_threads")} for i in threadpool_info()]})
    except ImportError:
        pass
    return out


def median_time(fn, repeats):
    """Median wall seconds; the CPU seconds of all threads go to CPU (less moved by other load)."""
    ts, cs = [], []
    global LAST
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        LAST = fn()
        ts.append(time.perf_counter() - t)
        cs.append(time.process_time() - c)
    CPU.append(float(np.median(cs)))
    return float(np.median(ts))


def report(seconds):
    import resource

    vals = np.asarray(LAST[0])
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "pipeline": seconds,
        "cpu": CPU[-1],
        # The whole process (start-up and imports included), for whole-process comparisons.
        "processCpu": ru.ru_utime + ru.ru_stime,
        "peakRssMiB": ru.ru_maxrss / 1024,
        "lmax": float(vals.max()),
        "lmin": float(vals.min()),
        "blas": blas_info(),
        "applications": APPLICATIONS[0],
    }))


LAST = None
CPU = []
mode = sys.argv[1]
if mode == "info":
    import scipy

    print(json.dumps({"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__, "blas": blas_info()}))
    sys.exit(0)
d = sys.argv[2]
if mode == "rff":
    m, sx, sy, k, reps = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
    X = np.load(f"{d}/X.npy")
    Y = np.load(f"{d}/Y.npy")

    def run():
        Psi = np.hstack([rff(X, m, sx, 1), rff(Y, m, sy, 2)])
        return solve_covariance(Psi, 2 * m, k)

    report(median_time(run, reps))
elif mode == "rff-matfree":
    m, sx, sy, k, reps = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
    X = np.load(f"{d}/X.npy")
    Y = np.load(f"{d}/Y.npy")

    def run():
        APPLICATIONS[0] = 0
        Psi = np.hstack([rff(X, m, sx, 1), rff(Y, m, sy, 2)])
        return solve_matrix_free(Psi, 2 * m, k)

    report(median_time(run, reps))
elif mode == "cosine":
    k, reps = int(sys.argv[3]), int(sys.argv[4])

    def run():
        X = np.load(f"{d}/X.npy")
        Y = np.load(f"{d}/Y.npy")
        X /= np.linalg.norm(X, axis=1, keepdims=True)
        Y /= np.linalg.norm(Y, axis=1, keepdims=True)
        return solve_covariance(np.hstack([X, Y]), X.shape[1], k)

    report(median_time(run, reps))
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

    report(median_time(run, reps))
elif mode == "eigh":
    # What one would write without SPEC's structure: form Λ, take every eigenpair.
    sx, sy, k, reps = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    X = np.load(f"{d}/X.npy")
    Y = np.load(f"{d}/Y.npy")

    def kern(A, s):
        sq = (A.astype(np.float64) ** 2).sum(1)
        return np.exp(-np.maximum(sq[:, None] + sq[None, :] - 2 * (A @ A.T), 0) / (2 * s * s))

    def run():
        n = X.shape[0]
        vals, vecs = np.linalg.eigh((kern(X, sx) - kern(Y, sy)) / n)
        return np.concatenate([vals[-k:], vals[:k]]), vecs

    report(median_time(run, reps))

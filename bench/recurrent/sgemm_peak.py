#!/usr/bin/env python3
"""Single-thread float32 matrix-multiply throughput, as a ceiling for the recurrent benchmark.

Prints JSON with GFLOP/s (median of several runs) of numpy's float32 matmul for
- a square 1024x1024x1024 product, and
- the shape of one LSTM step at batch 64: (64x384)·(384x1024), input 128 + hidden 256 -> 4x256 gates.
With --torch (and torch importable) it also measures torch.mm at one thread (PyTorch's own BLAS,
MKL on x86 wheels), which is what nn.LSTM calls.
"""
import os

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"  # must precede importing numpy

import argparse
import json
import platform
import statistics
import time

import numpy as np


def bench(fn, flops, runs, min_seconds):
    fn()  # warm up
    # Repeat the product until one measurement lasts at least min_seconds.
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_seconds:
            break
        reps *= 2
    rates = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        dt = time.perf_counter() - t0
        rates.append(flops * reps / dt / 1e9)
    return {"gflops_median": statistics.median(rates), "gflops_max": max(rates), "gflops_min": min(rates),
            "runs": runs, "reps_per_run": reps}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--min-seconds", type=float, default=0.2, help="minimum length of one run")
    ap.add_argument("--torch", action="store_true", help="also measure torch.mm at one thread")
    args = ap.parse_args()

    rng = np.random.default_rng(0)
    shapes = {"square_1024": (1024, 1024, 1024), "lstm_step_b64": (64, 384, 1024)}
    out = {"numpy_version": np.__version__, "machine": platform.machine(), "threads": 1}
    try:
        cfg = np.show_config(mode="dicts")
        out["numpy_blas"] = cfg.get("Build Dependencies", {}).get("blas", {}).get("name")
    except Exception:
        pass
    for name, (m, k, n) in shapes.items():
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((k, n), dtype=np.float32)
        c = np.empty((m, n), dtype=np.float32)
        r = bench(lambda: np.matmul(a, b, out=c), 2.0 * m * k * n, args.runs, args.min_seconds)
        out["numpy_" + name] = {"m": m, "k": k, "n": n, **r}
    if args.torch:
        import torch

        torch.set_num_threads(1)
        out["torch_version"] = torch.__version__
        for name, (m, k, n) in shapes.items():
            a = torch.randn(m, k)
            b = torch.randn(k, n)
            c = torch.empty(m, n)
            r = bench(lambda: torch.mm(a, b, out=c), 2.0 * m * k * n, args.runs, args.min_seconds)
            out["torch_" + name] = {"m": m, "k": k, "n": n, **r}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

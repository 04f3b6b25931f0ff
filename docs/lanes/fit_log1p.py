#!/usr/bin/env python3
"""Fits the polynomial of SingleLanes.Log1pSeries (src/LossDsl/Fused/Lanes/SingleLanes.cs).

log(1 + e) = 2·atanh(s) = 2s + s·z·Q(z), s = e/(2 + e) in [0, 1/3], z = s² in [0, 1/9]. Q of degree 3 is fitted for
the least largest relative error of the result by Lawson's algorithm (iteratively reweighted least squares), then
evaluated the way the kernel does it, in float32 with fused multiply-adds, against float64 on [0, 1].

Run: python3 docs/lanes/fit_log1p.py   (numpy only; Debian's python3-numpy)
"""
import numpy as np

f32 = np.float32
UNIT = 5.96e-8  # 2^-24, the unit LaneMathTests counts float32 errors in


def fit(degree=3, iterations=400):
    z = np.linspace(1e-8, 1 / 9, 20001)
    s = np.sqrt(z)
    exact = (2 * np.arctanh(s) / s - 2) / z          # the Q that makes 2s + s·z·Q exact
    weight = z / (2 * np.arctanh(s) / s)              # an error ΔQ moves the result by s·z·ΔQ, relative z·ΔQ/(2atanh(s)/s)
    basis = np.stack([z ** k for k in range(degree + 1)], 1)
    w = np.full_like(z, 1 / len(z))
    for _ in range(iterations):
        root = np.sqrt(w) * weight
        coefficients, *_ = np.linalg.lstsq(basis * root[:, None], exact * root, rcond=None)
        error = np.abs(basis @ coefficients - exact) * weight
        w = w * error
        w /= w.sum()
    return [f32(c) for c in coefficients], error.max()


def fma(a, b, c):
    # float32 operands multiply exactly in float64; one rounding to float32 after the add, as an FMA does (up to the
    # rare double rounding)
    return f32(np.float64(a) * np.float64(b) + np.float64(c))


def float32_error(coefficients):
    e = np.concatenate([np.geomspace(1e-30, 1, 100000), np.linspace(0, 1, 100001)]).astype(f32)
    s = (e.astype(np.float64) / (2 + e.astype(np.float64))).astype(f32)
    z = (s * s).astype(f32)
    q = np.full_like(z, coefficients[-1])
    for c in reversed(coefficients[:-1]):
        q = fma(q, z, c)
    result = fma((s * z).astype(f32), q, (s + s).astype(f32))
    exact = np.log1p(e.astype(np.float64))
    covered = exact > 0
    return (np.abs(result[covered] - exact[covered]) / exact[covered]).max()


if __name__ == "__main__":
    coefficients, exact_error = fit()
    print("Q, from z⁰ up:", ", ".join("%.9e" % c for c in coefficients))
    print("largest relative error, exact arithmetic: %.2e" % exact_error)
    error = float32_error(coefficients)
    print("largest relative error, float32 lanes:   %.2e (%.1f of LaneMathTests' units)" % (error, error / UNIT))

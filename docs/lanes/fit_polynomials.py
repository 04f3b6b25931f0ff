#!/usr/bin/env python3
"""Fits the two polynomials of SingleLanes (src/LossDsl/Fused/Lanes/SingleLanes.cs) and checks them in float32.

- ExpPolynomial: exp(r) = 1 + r + r²·P(r) on |r| ≤ ln 2 / 2, P of degree 4.
- Log1pSeries: log(1 + e) = 2·atanh(s) = 2s + s·z·Q(z), s = e/(2 + e) in [0, 1/3], z = s² in [0, 1/9], Q of degree 3.

Each is fitted for the least largest relative error of the result by Lawson's algorithm (iteratively reweighted least
squares), rounded to float32, then evaluated as the kernel does it (float32, fused multiply-adds, the same order)
against float64.

Run: python3 docs/lanes/fit_polynomials.py   (numpy only; Debian's python3-numpy)
"""
import math

import numpy as np

f32 = np.float32
UNIT = 5.96e-8  # 2^-24, the unit LaneMathTests counts float32 errors in


def lawson(t, exact, weight, degree, iterations=400):
    """Coefficients c_k of Σ c_k·t^k minimizing max |Σ c_k·t^k − exact|·weight over the points t."""
    basis = np.stack([t ** k for k in range(degree + 1)], 1)
    w = np.full_like(t, 1 / len(t))
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


def fit_exp():
    h = math.log(2) / 2
    r = np.linspace(-h, h, 20001)
    r = r[np.abs(r) > 1e-6]
    # exp(r) = 1 + r + r²·P: an error ΔP moves the result by r²·ΔP, relative r²·ΔP/exp(r)
    return lawson(r, (np.expm1(r) - r) / r ** 2, r ** 2 / np.exp(r), 4)


def check_exp(c):
    r = np.linspace(-math.log(2) / 2, math.log(2) / 2, 400001).astype(f32)
    r2 = (r * r).astype(f32)
    low, high = fma(r, c[1], c[0]), fma(r, c[3], c[2])
    high = fma(r2, c[4], high)
    result = fma(fma(high, r2, low), r2, (r + f32(1)).astype(f32))
    exact = np.exp(r.astype(np.float64))
    return (np.abs(result - exact) / exact).max()


def fit_log1p():
    z = np.linspace(1e-8, 1 / 9, 20001)
    atanh_over_s = np.arctanh(np.sqrt(z)) / np.sqrt(z)
    # an error ΔQ moves the result by s·z·ΔQ, relative z·ΔQ/(2·atanh(s)/s)
    return lawson(z, (2 * atanh_over_s - 2) / z, z / (2 * atanh_over_s), 3)


def check_log1p(c):
    e = np.concatenate([np.geomspace(1e-30, 1, 100000), np.linspace(0, 1, 100001)]).astype(f32)
    s = (e.astype(np.float64) / (2 + e.astype(np.float64))).astype(f32)
    z = (s * s).astype(f32)
    q = np.full_like(z, c[-1])
    for k in reversed(c[:-1]):
        q = fma(q, z, k)
    result = fma((s * z).astype(f32), q, (s + s).astype(f32))
    exact = np.log1p(e.astype(np.float64))
    covered = exact > 0
    return (np.abs(result[covered] - exact[covered]) / exact[covered]).max()


if __name__ == "__main__":
    for name, fit, check in (("exp: P", fit_exp, check_exp), ("log1p: Q", fit_log1p, check_log1p)):
        coefficients, exact_error = fit()
        error = check(coefficients)
        print(f"{name}, from the constant term up: " + ", ".join("%.9e" % c for c in coefficients))
        print("  largest relative error, exact arithmetic: %.2e" % exact_error)
        print("  largest relative error, float32 lanes:   %.2e (%.1f of LaneMathTests' units)" % (error, error / UNIT))

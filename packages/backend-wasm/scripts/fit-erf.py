"""
Fits the float32 erf polynomials of assembly/simd-math.ts (erfF32x4) and reports their worst
error, in float32 ulp, over 8M points of [0, 4.2], with the Horner steps rounded as the kernel
rounds them (a multiply and an add, no fused multiply-add) and e^p correctly rounded.

  |x| < 0.8:  erf x = x + x·q(x²), q ≈ erf(x)/x − 1, degree 5, minimax in relative error
  |x| ≥ 0.8:  erf x = 1 − e^{p(|x|)}, p ≈ ln erfc, degree 7, minimax in erf's absolute error
  |x| ≥ 3.919206: ±1 (erf rounds to 1 in float32 from there)

Run: python3 scripts/fit-erf.py (numpy and scipy). It printed the coefficients in the kernel and
a worst error of 1.33 ulp.
"""
import numpy as np
from scipy.special import erf, erfc
f32 = np.float32
T, SAT = 0.8, 3.919206
def horner32(coefs, z):
    p = np.full_like(z, f32(coefs[0]))
    for c in coefs[1:]:
        p = ((p * z).astype(f32) + f32(c)).astype(f32)
    return p
def fit_small(deg):
    s = np.cos(np.linspace(0, np.pi, 4000)) * 0.5 * T*T + 0.5 * T*T
    x = np.sqrt(s); r = np.where(x > 0, erf(x) / np.where(x > 0, x, 1), 2/np.sqrt(np.pi))
    y = r - 1; w = 1 / r
    for _ in range(30):
        V = np.vander(s, deg + 1)
        c, *_ = np.linalg.lstsq(V * w[:, None], y * w, rcond=None)
        err = (V @ c - y) / r
        w = w * (1 + 5*np.abs(err) / np.abs(err).max())
    return c
def fit_large(deg):
    t = np.cos(np.linspace(0, np.pi, 8000)) * 0.5 * (SAT - T) + 0.5 * (SAT + T)
    y = np.log(erfc(t)); base = erfc(t) + 1e-7; w = base.copy()
    for _ in range(60):
        V = np.vander(t, deg + 1)
        c, *_ = np.linalg.lstsq(V * w[:, None], y * w, rcond=None)
        err = (V @ c - y) * base
        w = w * (1 + 3*np.abs(err) / np.abs(err).max())
    return c
cs = [float('%.9g' % f32(c)) for c in fit_small(5)]
cl = [float('%.9g' % f32(c)) for c in fit_large(7)]
print('small', ['%.9g' % c for c in cs]); print('large', ['%.9g' % c for c in cl])
xs = np.linspace(0, 4.2, 8_000_001).astype(f32)
s = (xs * xs).astype(f32)
small = (xs + (xs * horner32(cs, s)).astype(f32)).astype(f32)
large = (f32(1) - np.exp(horner32(cl, np.minimum(xs, f32(SAT))).astype(np.float64)).astype(f32)).astype(f32)
got = np.where(xs < f32(T), small, np.where(xs >= f32(SAT), f32(1), large))
want = erf(xs.astype(np.float64)); ulp = np.spacing(want.astype(f32)).astype(np.float64)
e = np.abs(got - want) / np.where(ulp > 0, ulp, 1)
print('max ulp', e.max(), 'at', xs[np.argmax(e)])

"""Independent numpy computation of the unbiased squared MMD (Gretton et al. 2012, eq. 3) with an
RBF kernel and the median-heuristic bandwidth, for tests/.../Metrics/MmdTests.cs.
Run with Debian's python3 (python3-numpy): /usr/bin/python3 tests/data/mmd/generate_mmd_reference.py"""
import json, os
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261203)
cases = []
for name, nx, ny, d, shift in [("same", 60, 50, 3, 0.0), ("shifted", 40, 70, 2, 0.7), ("wide", 30, 30, 5, 2.0)]:
    x = rng.normal(size=(nx, d))
    y = rng.normal(size=(ny, d)) * 1.3 + shift
    dx = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    iu = np.triu_indices(nx, 1)
    s = float(np.median(dx[iu]))
    def k(a, b):
        return np.exp(-((a[:, None, :] - b[None, :, :]) ** 2).sum(-1) / (2 * s * s))
    kxx, kyy, kxy = k(x, x), k(y, y), k(x, y)
    mmd = (kxx.sum() - np.trace(kxx)) / (nx * (nx - 1)) + (kyy.sum() - np.trace(kyy)) / (ny * (ny - 1)) - 2 * kxy.mean()
    cases.append({"name": name, "dim": d, "x": x.tolist(), "y": y.tolist(), "bandwidth": s, "mmd2": float(mmd)})
with open(os.path.join(here, "mmd_reference.json"), "w") as f:
    json.dump({"numpy_version": np.__version__, "cases": cases}, f, indent=1)

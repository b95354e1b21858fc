"""Independent numpy computation of the distance to the reference (issue 4, part 3) for
tests/SamplerTune.Samplers.Tests/Metrics/ReferenceDistanceTests.cs: coordinates standardized by the
reference (summary) mean and sd, RBF bandwidth = median pairwise distance of the standardized reference
draws, unbiased MMD^2 (Gretton et al. 2012, eq. 3), mean error (L2 of the standardized mean difference),
relative Frobenius error of the sample covariance (numpy.cov, n - 1), objective = mmd + w_mean * mean + w_cov * cov.
The summary moments are the true ones of the distribution the reference was drawn from (not the sample
moments), so the test also checks that the scorer uses summary.json.
Run with Debian's python3 (python3-numpy): /usr/bin/python3 tests/data/metrics/generate_distance_reference.py"""
import json, os
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20260412)
d = 3
mu = np.array([1.0, -2.0, 0.5])
sd = np.array([0.5, 2.0, 1.0])
corr = np.array([[1.0, 0.6, -0.2], [0.6, 1.0, 0.1], [-0.2, 0.1, 1.0]])
cov = corr * np.outer(sd, sd)
chol = np.linalg.cholesky(cov)
reference = mu + rng.normal(size=(300, d)) @ chol.T          # two chains of 150
estimate = mu + 0.3 * sd + 1.2 * (rng.normal(size=(250, d)) @ chol.T)   # one chain of 250

zr = (reference - mu) / sd
ze = (estimate - mu) / sd
dist = np.sqrt(((zr[:, None, :] - zr[None, :, :]) ** 2).sum(-1))
s = float(np.median(dist[np.triu_indices(len(zr), 1)]))
def k(a, b):
    return np.exp(-((a[:, None, :] - b[None, :, :]) ** 2).sum(-1) / (2 * s * s))
kee, krr, ker = k(ze, ze), k(zr, zr), k(ze, zr)
ne, nr = len(ze), len(zr)
mmd = (kee.sum() - np.trace(kee)) / (ne * (ne - 1)) + (krr.sum() - np.trace(krr)) / (nr * (nr - 1)) - 2 * ker.mean()
mean_error = float(np.linalg.norm((estimate.mean(0) - mu) / sd))
cov_error = float(np.linalg.norm(np.cov(estimate.T) - cov, "fro") / np.linalg.norm(cov, "fro"))
weights = [{"w_mean": 0.5, "w_cov": 0.5}, {"w_mean": 0.3, "w_cov": 2.0}]
for w in weights:
    w["objective"] = float(mmd + w["w_mean"] * mean_error + w["w_cov"] * cov_error)

out = {
    "numpy_version": np.__version__,
    "names": ["a", "b[1]", "b[2]"],
    "summary": {"mean": mu.tolist(), "sd": sd.tolist(), "cov": cov.tolist()},
    "reference_chains": [reference[:150].tolist(), reference[150:].tolist()],
    "estimate": estimate.tolist(),
    "bandwidth": s,
    "mmd": float(mmd),
    "mean_error_l2": mean_error,
    "cov_error_fro": cov_error,
    "weights": weights,
}
with open(os.path.join(here, "distance_reference.json"), "w") as f:
    json.dump(out, f, indent=1)

#!/usr/bin/python3
"""Writes parzen_reference.json: Optuna 3.1.0's univariate Parzen estimators l and g (Debian python3-optuna) fitted to a
fixed history, their bandwidths, log densities on a grid (as 3.1.0 computes them, and with the -log(scale) term that
3.1.0's _truncnorm.logpdf omits and later releases add) and quantiles of 200,000 draws from l.
tests/.../Optimization/OptunaParzenEstimatorTests checks samplertune's TPE against these numbers."""
import json
import numpy as np
from optuna.distributions import FloatDistribution
from optuna.samplers._tpe import _truncnorm
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_gamma, default_weights

rng = np.random.RandomState(3)
n, low, high = 60, -5.0, 10.0
xs = rng.uniform(low, high, size=n)
ys = (xs - 1.3) ** 2 + rng.normal(size=n)
order = np.argsort(ys, kind="stable")  # Optuna's _split_observation_pairs, trial order kept inside each set
below, above = np.sort(order[: default_gamma(n)]), np.sort(order[default_gamma(n):])
parameters = _ParzenEstimatorParameters(True, 1.0, True, False, default_weights, False)  # TPESampler's defaults
space = {"x": FloatDistribution(low, high)}
l = _ParzenEstimator({"x": xs[below]}, space, parameters)
g = _ParzenEstimator({"x": xs[above]}, space, parameters)
grid = np.linspace(low, high, 31)
out = {"optuna": __import__("optuna").__version__, "low": low, "high": high, "xs": xs.tolist(),
       "below": below.tolist(), "above": above.tolist(), "grid": grid.tolist(),
       "l_sigmas": l._sigmas["x"].tolist(), "g_sigmas": g._sigmas["x"].tolist(),
       "l_weights": l._weights.tolist(), "g_weights": g._weights.tolist(),
       "l_logpdf_optuna310": l.log_pdf({"x": grid}).tolist(), "g_logpdf_optuna310": g.log_pdf({"x": grid}).tolist()}
unscaled = _truncnorm.logpdf
_truncnorm.logpdf = lambda x, a, b, loc=0, scale=1: unscaled(x, a, b, loc, scale) - np.log(scale)
out["l_logpdf"], out["g_logpdf"] = l.log_pdf({"x": grid}).tolist(), g.log_pdf({"x": grid}).tolist()
_truncnorm.logpdf = unscaled
draws = l.sample(np.random.RandomState(1), 200000)["x"]
out["l_draws"] = len(draws)
out["l_quantile_levels"] = np.linspace(0.01, 0.99, 99).tolist()
out["l_quantiles"] = np.quantile(draws, out["l_quantile_levels"]).tolist()
with open("parzen_reference.json", "w") as f:
    json.dump(out, f, indent=1)

#!/usr/bin/python3
"""Side-by-side benchmark of samplertune's optimizer and Optuna (Debian python3-optuna 3.1) on standard test functions.

Both sides run ask-and-tell with the same batch size. Prints, per function and sampler, the median (over seeds) best
value after 25/50/100 trials with the interquartile range at 100, a two-sided Mann-Whitney p-value of the best values
at 100 trials against Optuna's TPE (is a gap more than seed-to-seed noise?), and the mean ask+tell time per trial over
a study of 100 and of 1000 trials.
The .NET side runs `./samplertune optimize-function ... --json`; run from the repository root with /usr/bin/python3.

Sampler variants (same names on both sides): tpe, random, gp (ours only), tpe-mv (multivariate TPE), and on the Optuna
side tpe-scaled (Optuna 3.1's TPE with its truncated-normal logpdf given the -log(scale) term it omits, to measure
what that bug does; samplertune's density has the term).
"""
import argparse, contextlib, json, math, statistics, subprocess, sys, time
import numpy as np
import optuna
from optuna.samplers._tpe import _truncnorm
from scipy.stats import mannwhitneyu

optuna.logging.set_verbosity(optuna.logging.WARNING)

def branin(x):
    a, b, c, r, s, t = 1, 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6, 10, 1 / (8 * math.pi)
    return a * (x[1] - b * x[0] ** 2 + c * x[0] - r) ** 2 + s * (1 - t) * math.cos(x[0]) + s

H_ALPHA = [1.0, 1.2, 3.0, 3.2]
H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
       [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]

def hartmann6(x):
    return -sum(H_ALPHA[i] * math.exp(-sum(H_A[i][j] * (x[j] - H_P[i][j]) ** 2 for j in range(6))) for i in range(4))

def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))

def styblinski_tang(x):
    return sum(v ** 4 - 16 * v ** 2 + 5 * v for v in x) / 2

FUNCTIONS = {
    "branin": (branin, [-5, 0], [10, 15]),
    "hartmann6": (hartmann6, [0] * 6, [1] * 6),
    "rosenbrock5": (rosenbrock, [-5] * 5, [10] * 5),
    "styblinski_tang10": (styblinski_tang, [-5] * 10, [5] * 10),
}

@contextlib.contextmanager
def scaled_truncnorm_logpdf():
    """Optuna 3.1.0's _truncnorm.logpdf returns log phi(z) - log Z without the -log(scale) of the change of variable
    (fixed in later releases); parzen_estimator.py looks the function up on the module at each call, so this patches it."""
    original = _truncnorm.logpdf
    _truncnorm.logpdf = lambda x, a, b, loc=0, scale=1: original(x, a, b, loc, scale) - np.log(scale)
    try:
        yield
    finally:
        _truncnorm.logpdf = original

def run_optuna(fname, sampler_name, trials, batch, seed):
    if sampler_name == "tpe-scaled":
        with scaled_truncnorm_logpdf():
            return run_optuna(fname, "tpe", trials, batch, seed)
    f, low, high = FUNCTIONS[fname]
    if sampler_name in ("tpe", "tpe-mv"):
        sampler = optuna.samplers.TPESampler(seed=seed, constant_liar=batch > 1, multivariate=sampler_name == "tpe-mv")
    else:
        sampler = optuna.samplers.RandomSampler(seed=seed)
    study = optuna.create_study(sampler=sampler, direction="minimize")
    dists = {f"x{i}": optuna.distributions.FloatDistribution(low[i], high[i]) for i in range(len(low))}
    best, trace, spent = math.inf, [], 0.0
    while len(trace) < trials:
        k = min(batch, trials - len(trace))
        t0 = time.perf_counter()
        asked = [study.ask(dists) for _ in range(k)]
        spent += time.perf_counter() - t0
        values = [f([t.params[f"x{i}"] for i in range(len(low))]) for t in asked]
        t0 = time.perf_counter()
        for t, v in zip(asked, values):
            study.tell(t, v)
        spent += time.perf_counter() - t0
        for v in values:
            best = min(best, v)
            trace.append(best)
    return trace, 1000 * spent / trials

def run_ours(fname, sampler_name, trials, batch, seed):
    variant = ["--sampler", "tpe", "--multivariate"] if sampler_name == "tpe-mv" else ["--sampler", sampler_name]
    out = subprocess.run(["./samplertune", "optimize-function", "--function", fname, *variant,
                          "--trials", str(trials), "--batch", str(batch), "--seed", str(seed), "--json"],
                         check=True, capture_output=True, text=True).stdout
    o = json.loads(out)
    return o["best_trace"], o["ask_tell_ms_per_trial"]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--functions", default=",".join(FUNCTIONS))
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--timing-seeds", type=int, default=1, help="seeds of the 1000-trial timing runs (Optuna is slow there)")
    ap.add_argument("--timing-trials", type=int, default=1000)
    ap.add_argument("--ours", default="tpe,random,gp", help="our samplers: tpe,tpe-mv,random,gp (gp is slow: O(n^3) refits)")
    ap.add_argument("--optuna", default="tpe,random", help="Optuna's samplers: tpe,tpe-mv,tpe-scaled,random")
    ap.add_argument("--raw", help="also write every study's best values at 25/50/100 trials to this file (JSON lines)")
    args = ap.parse_args()
    raw = open(args.raw, "w") if args.raw else None
    ours, theirs = args.ours.split(","), args.optuna.split(",")
    print(f"optuna {optuna.__version__}; {args.seeds} seeds, batch {args.batch}; timing at {args.timing_trials} trials over {args.timing_seeds} seed(s)", flush=True)
    print("| function | sampler | median best @25 | @50 | @100 | IQR @100 | p vs optuna tpe @100 | ask+tell ms/trial (100 trials) | ms/trial (%d trials) |" % args.timing_trials)
    print("|---|---|---|---|---|---|---|---|---|")
    for fname in args.functions.split(","):
        rows = [("optuna", s, run_optuna) for s in theirs] + [("samplertune", s, run_ours) for s in ours]
        reference = None  # Optuna TPE's best values at 100 trials, one per seed
        for side, s, runner in rows:
            traces, times = [], []
            for seed in range(1, args.seeds + 1):
                trace, ms = runner(fname, s, 100, args.batch, seed)
                traces.append(trace); times.append(ms)
            med = [statistics.median(t[n - 1] for t in traces) for n in (25, 50, 100)]
            at100 = [t[99] for t in traces]
            if raw:
                for seed, t in enumerate(traces, start=1):
                    raw.write(json.dumps({"function": fname, "side": side, "sampler": s, "seed": seed, "best": [t[24], t[49], t[99]]}) + "\n")
                raw.flush()
            q1, q3 = np.percentile(at100, [25, 75])
            if (side, s) == ("optuna", "tpe"):
                reference, p = at100, "-"
            else:
                p = "-" if reference is None else "%.2f" % mannwhitneyu(at100, reference, alternative="two-sided").pvalue
            long_ms = "-"
            if s != "gp" and args.timing_trials > 0:
                long_ms = "%.3f" % statistics.mean(runner(fname, s, args.timing_trials, args.batch, seed)[1]
                                                    for seed in range(1, args.timing_seeds + 1))
            print(f"| {fname} | {side} {s} | {med[0]:.4g} | {med[1]:.4g} | {med[2]:.4g} | {q1:.4g} .. {q3:.4g} | {p} | {statistics.mean(times):.3f} | {long_ms} |", flush=True)

if __name__ == "__main__":
    main()

using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>Settings of <see cref="Tpe"/>; the defaults are Optuna 3.1's TPESampler defaults, with the constant liar on.</summary>
public sealed record TpeOptions(
    int StartupTrials = 10,
    int EiCandidates = 24,
    bool Multivariate = false,
    bool ConstantLiar = true,
    double PriorWeight = 1.0);

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra et al. 2011) as Optuna implements it (optuna/samplers/_tpe/sampler.py):
/// random start-up trials; then the best gamma(n) = min(ceil(0.1 n), 25) observations form l(x), the rest g(x);
/// 24 candidates are drawn from l and the one maximizing log l(x) - log g(x) is proposed. Univariate by default
/// (one estimator pair per parameter, Optuna's sample_independent), jointly when multivariate.
/// Pruned trials rank after completed ones; with the constant liar, pending trials rank last (worst), so a batch
/// does not pile onto the same region.
/// </summary>
public sealed class Tpe(TpeOptions? options = null) : ISampler
{
    public TpeOptions Options { get; } = options ?? new TpeOptions();

    public string Name => "tpe";

    public static int Gamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    public AskResult Ask(SearchSpace space, IReadOnlyList<Trial> history, int count, Rng rng) =>
        BatchProposer.Run(space, history, count, rng, h => ProposeOne(space, h, rng));

    private double[] ProposeOne(SearchSpace space, EncodedHistory h, Rng rng)
    {
        int n = h.CompletedOrPruned;
        if (n < Math.Max(Options.StartupTrials, 1) || space.Tunable.Count == 0) return RandomSearch.Draw(space, rng);
        var (below, above) = Split(h, Gamma(n));
        var dims = space.Tunable.Select(ParzenEstimator.Dimension.Of).ToArray();
        var x = new double[dims.Length];
        if (Options.Multivariate)
        {
            var best = Best(dims, below.Select(i => h.X[i]).ToList(), above.Select(i => h.X[i]).ToList(), space.Tunable, rng);
            best.CopyTo(x, 0);
            return x;
        }
        for (int j = 0; j < dims.Length; j++)
        {
            var b = below.Select(i => new[] { h.X[i][j] }).ToList();
            var a = above.Select(i => new[] { h.X[i][j] }).ToList();
            x[j] = Best([dims[j]], b, a, [space.Tunable[j]], rng)[0];
        }
        return x;
    }

    private double[] Best(ParzenEstimator.Dimension[] dims, List<double[]> below, List<double[]> above, IReadOnlyList<Parameter> ps, Rng rng)
    {
        var l = new ParzenEstimator(dims, below, Options.Multivariate, Options.PriorWeight);
        var g = new ParzenEstimator(dims, above, Options.Multivariate, Options.PriorWeight);
        var candidates = l.Sample(rng, Options.EiCandidates);
        // Snap to representable values (rounded integers, clipped ranges) before scoring, as Optuna scores external values.
        foreach (var c in candidates)
            for (int j = 0; j < c.Length; j++)
                if (!dims[j].IsCategorical) c[j] = ps[j].ToInternal(ps[j].FromInternal(c[j]));
        var logL = l.LogPdf(candidates);
        var logG = g.LogPdf(candidates);
        int arg = 0;
        for (int s = 1; s < candidates.Length; s++)
            if (logL[s] - logG[s] > logL[arg] - logG[arg]) arg = s;
        return candidates[arg];
    }

    /// <summary>Indices (in trial order) of the best <paramref name="nBelow"/> rows and of the rest, ranking by (state rank, value) stably.</summary>
    private (List<int> Below, List<int> Above) Split(EncodedHistory h, int nBelow)
    {
        var rows = new List<(double Rank, double Value, int Index)>(h.Count);
        for (int i = 0; i < h.Count; i++)
        {
            switch (h.States[i])
            {
                case TrialState.Complete: rows.Add((double.NegativeInfinity, h.Values[i]!.Value, i)); break;
                // Optuna ranks a pruned trial by (-last step, last value), after every completed one; we keep no step, so 0.
                case TrialState.Pruned: rows.Add(h.Values[i] is { } v ? (0, double.IsNaN(v) ? double.PositiveInfinity : v, i) : (1, 0, i)); break;
                case TrialState.Pending when Options.ConstantLiar: rows.Add((double.PositiveInfinity, double.PositiveInfinity, i)); break;
            }
        }
        var ranked = rows.OrderBy(r => r.Rank).ThenBy(r => r.Value).ThenBy(r => r.Index).ToList(); // LINQ OrderBy is stable
        var below = ranked.Take(nBelow).Select(r => r.Index).Order().ToList();
        var above = ranked.Skip(nBelow).Select(r => r.Index).Order().ToList();
        return (below, above);
    }
}

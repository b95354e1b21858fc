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

    public AskResult Ask(SearchSpace space, IReadOnlyList<Trial> history, int count, Rng rng)
    {
        var work = new Workspace(space, Options);
        return BatchProposer.Run(space, history, count, rng, h => ProposeOne(space, h, work, rng));
    }

    /// <summary>What one ask reuses across its proposals and parameters, so that it allocates O(1) arrays: the
    /// below/above columns and the two estimators l and g.</summary>
    private sealed class Workspace(SearchSpace space, TpeOptions options)
    {
        public readonly ParzenEstimator.Dimension[] Dims = space.Tunable.Select(ParzenEstimator.Dimension.Of).ToArray();
        public readonly double[][] Below = EmptyColumns(space.Tunable.Count), Above = EmptyColumns(space.Tunable.Count);
        public readonly ParzenEstimator L = new(options.Multivariate, options.PriorWeight), G = new(options.Multivariate, options.PriorWeight);
        public readonly ObservationSplit Split = new();

        private static double[][] EmptyColumns(int count) => Enumerable.Range(0, count).Select(_ => Array.Empty<double>()).ToArray();
    }

    private double[] ProposeOne(SearchSpace space, EncodedHistory h, Workspace work, Rng rng)
    {
        int n = h.CompletedOrPruned;
        if (n < Math.Max(Options.StartupTrials, 1) || space.Tunable.Count == 0) return RandomSearch.Draw(space, rng);
        var split = work.Split;
        split.Run(h, Gamma(n), Options.ConstantLiar);
        var dims = work.Dims;
        for (int j = 0; j < dims.Length; j++)
        {
            Gather(h, split.Below, j, ref work.Below[j]);
            Gather(h, split.Above, j, ref work.Above[j]);
        }
        if (Options.Multivariate) return Best(dims, work.Below, work.Above, space.Tunable, work, rng);
        var x = new double[dims.Length];
        for (int j = 0; j < dims.Length; j++)
            x[j] = Best([dims[j]], [work.Below[j]], [work.Above[j]], [space.Tunable[j]], work, rng)[0];
        return x;
    }

    private static void Gather(EncodedHistory h, List<int> rows, int j, ref double[] column)
    {
        ParzenEstimator.Grow(ref column, rows.Count);
        var all = h.Column(j);
        for (int t = 0; t < rows.Count; t++) column[t] = all[rows[t]];
    }

    /// <summary>The candidate drawn from l that maximizes log l(x) - log g(x) (Optuna's _compare).</summary>
    private double[] Best(ParzenEstimator.Dimension[] dims, double[][] below, double[][] above, IReadOnlyList<Parameter> ps, Workspace work, Rng rng)
    {
        work.L.Fit(dims, below, work.Split.Below.Count);
        work.G.Fit(dims, above, work.Split.Above.Count);
        var candidates = work.L.Sample(rng, Options.EiCandidates);
        // Snap to representable values (rounded integers, clipped ranges) before scoring, as Optuna scores external values.
        for (int j = 0; j < dims.Length; j++)
            if (!dims[j].IsCategorical)
                for (int s = 0; s < candidates[j].Length; s++) candidates[j][s] = ps[j].ToInternal(ps[j].FromInternal(candidates[j][s]));
        var logL = work.L.LogPdf(candidates);
        var logG = work.G.LogPdf(candidates);
        int arg = 0;
        for (int s = 1; s < logL.Length; s++)
            if (logL[s] - logG[s] > logL[arg] - logG[arg]) arg = s;
        var best = new double[dims.Length];
        for (int j = 0; j < dims.Length; j++) best[j] = candidates[j][arg];
        return best;
    }
}

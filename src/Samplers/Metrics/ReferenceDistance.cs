using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Reference;

namespace SamplerTune.Samplers.Metrics;

/// <summary>
/// The distance of a run's draws to one problem's reference posterior (issue 4, part 3). Everything that
/// depends only on the reference is fixed once here, so every trial on the problem is scored on the same
/// scale: the reference mean, sd and covariance (from summary.json), a seeded subsample of at most
/// <see cref="DistanceSettings.MaxPoints"/> reference draws standardized by the reference sd, the RBF
/// bandwidth by the median heuristic on that subsample, and the noise floor (the MMD^2 between the two
/// halves of the subsample: what two independent reference samples of half the size already differ by).
/// Thread-safe: <see cref="Measure"/> does not change the instance.
/// </summary>
public sealed class ReferenceDistance
{
    private readonly double[] _mean, _sd;
    private readonly double[][] _cov;
    private readonly double _covNorm;
    private readonly double[] _referencePoints; // standardized subsample, row-major
    private readonly int _referenceCount;

    public ReferenceDistance(IReadOnlyList<string> parameterNames, double[] mean, double[] sd, double[][] cov, ChainDraws referenceDraws,
        int referenceVersion, DistanceSettings? settings = null)
    {
        Settings = (settings ?? DistanceSettings.Default).Validated();
        int dim = parameterNames.Count;
        if (mean.Length != dim || sd.Length != dim || cov.Length != dim || cov.Any(r => r.Length != dim))
            throw new ArgumentException($"reference moments do not have the dimension of its {dim} parameters");
        if (!referenceDraws.ParameterNames.SequenceEqual(parameterNames))
            throw new ArgumentException("reference draws name other parameters than the reference summary");
        for (int j = 0; j < dim; j++)
            if (!(sd[j] > 0) || !double.IsFinite(sd[j]) || !double.IsFinite(mean[j]))
                throw new InvalidDataException($"reference sd of {parameterNames[j]} is {sd[j]} (mean {mean[j]}): cannot standardize by it");
        ParameterNames = parameterNames; ReferenceVersion = referenceVersion;
        _mean = (double[])mean.Clone(); _sd = (double[])sd.Clone(); _cov = cov.Select(r => (double[])r.Clone()).ToArray();
        _covNorm = Frobenius(_cov, null);

        var pooled = DrawRows.Pool(referenceDraws, out int count);
        var finite = DrawRows.Finite(pooled, count, dim, out _, out int dropped);
        if (dropped > 0) throw new InvalidDataException($"the reference has {dropped} draws with non-finite values");
        if (count < 4) throw new InvalidDataException($"the reference has {count} draws; the distance needs at least 4");
        _referencePoints = DrawRows.Subsample(finite, count, dim, Settings.MaxPoints, Rng.ForStream(Settings.SubsampleSeed, 1));
        _referenceCount = _referencePoints.Length / dim;
        Standardize(_referencePoints);

        Bandwidth = Mmd.MedianPairwiseDistance(_referencePoints, _referenceCount, dim);
        if (!(Bandwidth > 0)) throw new InvalidDataException("the reference draws are all equal: no MMD bandwidth");
        int half = _referenceCount / 2;
        NoiseFloor = Mmd.UnbiasedSquared(_referencePoints.AsSpan(0, half * dim), half,
            _referencePoints.AsSpan(half * dim, half * dim), half, dim, Bandwidth);
    }

    public IReadOnlyList<string> ParameterNames { get; }
    public DistanceSettings Settings { get; }
    public int ReferenceVersion { get; }

    /// <summary>RBF bandwidth on the standardized scale (median pairwise distance of the reference subsample).</summary>
    public double Bandwidth { get; }

    /// <summary>MMD^2 between the two halves of the reference subsample.</summary>
    public double NoiseFloor { get; }

    /// <summary>The standardized reference subsample (row-major), for tests and reports.</summary>
    internal ReadOnlySpan<double> ReferencePoints => _referencePoints;

    /// <summary>Reads ground_truth/summary.json and ground_truth/posterior_samples.h5 (all chains pooled).</summary>
    public static ReferenceDistance Load(string groundTruthDirectory, DistanceSettings? settings = null)
    {
        var summary = ReferenceSummary.TryRead(groundTruthDirectory)
            ?? throw new FileNotFoundException($"no reference summary in {groundTruthDirectory}", ReferenceSummary.PathIn(groundTruthDirectory));
        var draws = DrawsFile.Read(Path.Combine(groundTruthDirectory, ReferenceSummary.DrawsFileName));
        return new ReferenceDistance(summary.ParamNames, summary.Mean, summary.Sd, summary.Cov, draws, summary.Version, settings);
    }

    /// <summary>A reference whose moments are the sample moments of <paramref name="draws"/> (sd and covariance with n - 1).</summary>
    public static ReferenceDistance FromDraws(ChainDraws draws, int referenceVersion = 0, DistanceSettings? settings = null)
    {
        int dim = draws.Parameters;
        var rows = DrawRows.Pool(draws, out int count);
        var mean = DrawRows.Mean(rows, count, dim);
        var cov = DrawRows.Covariance(rows, count, dim, mean);
        var sd = Enumerable.Range(0, dim).Select(j => Math.Sqrt(cov[j][j])).ToArray();
        return new ReferenceDistance(draws.ParameterNames, mean, sd, cov, draws, referenceVersion, settings);
    }

    /// <summary>
    /// Scores <paramref name="estimate"/> (all chains pooled). A run that diverged (<paramref name="divergenceReason"/>
    /// not null), has fewer than two draws, has non-finite draws or a non-finite score gets the penalty objective;
    /// the figures that can still be computed are reported beside it.
    /// </summary>
    public DistanceMetrics Measure(ChainDraws estimate, string? divergenceReason = null)
    {
        int dim = ParameterNames.Count;
        if (estimate.Chains > 0 && !estimate.ParameterNames.SequenceEqual(ParameterNames))
            throw new ArgumentException("the draws name other parameters than the reference");
        var pooled = estimate.Chains == 0 ? [] : DrawRows.Pool(estimate, out _);
        int total = estimate.Chains * estimate.DrawsPerChain;
        var rows = DrawRows.Finite(pooled, total, dim, out int n, out int dropped);

        double mmd = double.NaN, meanError = double.NaN, covError = double.NaN;
        if (n >= 2)
        {
            var mean = DrawRows.Mean(rows, n, dim);
            meanError = MeanError(mean);
            covError = Frobenius(DrawRows.Covariance(rows, n, dim, mean), _cov) / _covNorm;
            var points = n <= Settings.MaxPoints ? rows : DrawRows.Subsample(rows, n, dim, Settings.MaxPoints, Rng.ForStream(Settings.SubsampleSeed, 2));
            Standardize(points);
            mmd = Mmd.UnbiasedSquared(points, points.Length / dim, _referencePoints, _referenceCount, dim, Bandwidth);
        }
        double objective = mmd + Settings.MeanWeight * meanError + Settings.CovWeight * covError;

        string? penalty = divergenceReason is not null ? $"diverged: {divergenceReason}"
            : n < 2 ? $"fewer than 2 usable draws ({n})"
            : dropped > 0 ? $"{dropped} draws with non-finite values"
            : !double.IsFinite(objective) ? "the distance to the reference is not finite"
            : null;
        return new DistanceMetrics(penalty is null ? objective : Settings.Penalty, mmd, NoiseFloor, meanError, covError, total, penalty is not null, penalty);
    }

    private double MeanError(double[] mean)
    {
        double s = 0;
        for (int j = 0; j < mean.Length; j++) { double e = (mean[j] - _mean[j]) / _sd[j]; s += e * e; }
        return Math.Sqrt(s);
    }

    private static double Frobenius(double[][] a, double[][]? minus)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
            for (int j = 0; j < a.Length; j++) { double v = a[i][j] - (minus?[i][j] ?? 0); s += v * v; }
        return Math.Sqrt(s);
    }

    // Centering does not change the MMD (the kernel is translation invariant); it keeps the numbers near zero.
    private void Standardize(double[] rows)
    {
        int dim = _mean.Length;
        for (int i = 0; i < rows.Length; i++) rows[i] = (rows[i] - _mean[i % dim]) / _sd[i % dim];
    }
}

using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Problems.PosteriorDb;

namespace SamplerTune.Samplers.Tests.Support;

/// <summary>Test-side helpers for the posteriordb families: how to build them and Stan's inverse transforms, written independently of the families.</summary>
internal static class PosteriorDbModels
{
    public static readonly string[] FamilyNames =
        ["eight_schools_noncentered", "kidiq_kidscore_momiq", "sblrc_blr", "mesquite_logmesquite", "arK", "low_dim_gauss_mix"];

    public static IEnumerable<object[]> Families => FamilyNames.Select(n => new object[] { n });

    public static ProblemFamily Family(string name) =>
        ProblemFamilies.PosteriorDb.Single(f => f.Name == name);

    private static ProblemParameters NoFields(string name) => new(name, new Dictionary<string, object>());

    /// <summary>The family built on its bundled data (no data file).</summary>
    public static IDataPosterior Bundled(string name) => (IDataPosterior)Family(name).Build(NoFields(name), null);

    /// <summary>The family built from a user data file, as the CLI would.</summary>
    public static IDataPosterior FromFile(string name, string path) => (IDataPosterior)Family(name).Build(NoFields(name), DataFile.Load(path));

    /// <summary>
    /// Stan's unconstraining transforms, reported parameters -> sampled unconstrained coordinates:
    /// log for &lt;lower=0&gt;, logit for (0, 1), (x1, log(x2 - x1)) for ordered[2]; eight schools recovers
    /// theta_trans = (theta - mu) / tau from the reported theta.
    /// </summary>
    public static double[] Unconstrain(string name, double[] c) => name switch
    {
        "eight_schools_noncentered" => EightSchools(c),
        "low_dim_gauss_mix" => [c[0], Math.Log(c[1] - c[0]), Math.Log(c[2]), Math.Log(c[3]), Math.Log(c[4] / (1 - c[4]))],
        _ => [.. c[..^1], Math.Log(c[^1])], // regressions: coefficients then sigma
    };

    private static double[] EightSchools(double[] c)
    {
        int j = c.Length - 2;
        double mu = c[j], tau = c[j + 1];
        var x = new double[j + 2];
        for (int i = 0; i < j; i++) x[i] = (c[i] - mu) / tau;
        x[j] = mu;
        x[j + 1] = Math.Log(tau);
        return x;
    }
}

/// <summary>A posterior translated by a fixed centre, so the zero-centred shared checks probe the region around the posterior mass.</summary>
internal sealed class ShiftedPosterior(IDataPosterior inner, double[] centre) : IDataPosterior
{
    private readonly double[] _buffer = new double[centre.Length];

    private ReadOnlySpan<double> Shift(ReadOnlySpan<double> x)
    {
        for (int j = 0; j < x.Length; j++) _buffer[j] = x[j] + centre[j];
        return _buffer;
    }

    public int Dimension => inner.Dimension;
    public IReadOnlyList<string> ParameterNames => inner.ParameterNames;
    public int DataCount => inner.DataCount;
    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient) => inner.LogDensityAndGradient(Shift(x), gradient);
    public double LogDensity(ReadOnlySpan<double> x) => inner.LogDensity(Shift(x));
    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => inner.Constrain(Shift(x), constrained);
    public double LogJacobian(ReadOnlySpan<double> x) => inner.LogJacobian(Shift(x));
    public IPosterior Clone() => new ShiftedPosterior((IDataPosterior)inner.Clone(), centre);
    public double LogPriorAndGradient(ReadOnlySpan<double> x, Span<double> gradient) => inner.LogPriorAndGradient(Shift(x), gradient);
    public double LogLikelihoodAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> indices, Span<double> gradient) => inner.LogLikelihoodAndGradient(Shift(x), indices, gradient);
}

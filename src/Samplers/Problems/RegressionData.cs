using SamplerTune.Samplers.Common;

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// The data of a regression with an intercept: design matrix X (N x D, row-major, contiguous) and
/// responses y. Coefficient vectors are laid out as [alpha, beta_1..beta_D]. Read-only once built,
/// so clones of a posterior share one instance.
/// </summary>
public sealed class RegressionData
{
    public int N { get; }
    public int D { get; }

    /// <summary>N x D, row-major.</summary>
    public double[] X { get; }

    public double[] Y { get; }

    public RegressionData(int n, int d, double[] x, double[] y)
    {
        if (x.Length != n * d) throw new ArgumentException($"X has {x.Length} entries, expected {n} x {d}", nameof(x));
        if (y.Length != n) throw new ArgumentException($"y has {y.Length} entries, expected {n}", nameof(y));
        (N, D, X, Y) = (n, d, x, y);
    }

    /// <summary>
    /// Reads the regression data file format {"N": int, "D": int, "X": [N rows of D numbers], "y": [N numbers]};
    /// with <paramref name="binaryResponse"/> every y must be 0 or 1. Errors name the file and the field.
    /// </summary>
    public static RegressionData Load(DataFile file, bool binaryResponse)
    {
        int n = file.Int("N", min: 1);
        int d = file.Int("D", min: 1);
        var x = file.Matrix("X", n, d);
        var y = file.Vector("y", n);
        if (binaryResponse)
            for (int i = 0; i < n; i++)
                if (y[i] != 0 && y[i] != 1)
                    throw new SpecError($"{file.Source}: field 'y' must hold only 0 and 1 (a binary outcome), entry {i + 1} is {y[i]}");
        return new RegressionData(n, d, x, y);
    }

    public ReadOnlySpan<double> Row(int i) => X.AsSpan(i * D, D);

    /// <summary>eta = alpha + X beta for all rows: one matrix-vector product.</summary>
    public void LinearPredictor(ReadOnlySpan<double> coefficients, Span<double> eta)
    {
        DenseMath.MatVec(X, N, D, coefficients.Slice(1, D), eta);
        double alpha = coefficients[0];
        for (int i = 0; i < N; i++) eta[i] += alpha;
    }

    /// <summary>eta_i = alpha + x_i . beta for one row.</summary>
    public double LinearPredictor(ReadOnlySpan<double> coefficients, int i) =>
        coefficients[0] + DenseMath.Dot(Row(i), coefficients.Slice(1, D));

    /// <summary>
    /// Chain rule through eta for all rows: gradient[0] = sum_i r_i, gradient[1..D] = X^T r (one transposed
    /// product), where r_i = d loglik_i / d eta_i. Overwrites the D + 1 coefficient entries.
    /// </summary>
    public void SetCoefficientGradient(ReadOnlySpan<double> r, Span<double> gradient)
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += r[i];
        gradient[0] = sum;
        DenseMath.MatTVec(X, N, D, r[..N], gradient.Slice(1, D));
    }

    /// <summary>Adds r_i * d eta_i / d coefficients for one row.</summary>
    public void AddRowGradient(int i, double r, Span<double> gradient)
    {
        gradient[0] += r;
        DenseMath.Axpy(r, Row(i), gradient.Slice(1, D));
    }
}

namespace SamplerTune.Coordinator.Benchmarks;

/// <summary>
/// Standard test functions for black-box optimizers (definitions and minima from Surjanovic &amp; Bingham's
/// Virtual Library of Simulation Experiments, https://www.sfu.ca/~ssurjano/optimization.html), all minimized.
/// </summary>
public sealed record OptimizerTestFunction(string Name, double[] Low, double[] High, double Minimum, Func<double[], double> Evaluate)
{
    public int Dimension => Low.Length;

    public static readonly IReadOnlyList<OptimizerTestFunction> All =
    [
        new("branin", [-5, 0], [10, 15], 0.397887357729739, Branin),
        new("hartmann6", Fill(6, 0), Fill(6, 1), -3.32236801141551, Hartmann6),
        new("rosenbrock5", Fill(5, -5), Fill(5, 10), 0, Rosenbrock),
        new("styblinski_tang10", Fill(10, -5), Fill(10, 5), -39.1661657037714 * 10, StyblinskiTang),
    ];

    public static OptimizerTestFunction Named(string name) => All.FirstOrDefault(f => f.Name == name)
        ?? throw new ArgumentException($"unknown function '{name}'; known: {string.Join(", ", All.Select(f => f.Name))}");

    private static double[] Fill(int n, double v) => Enumerable.Repeat(v, n).ToArray();

    private static double Branin(double[] x)
    {
        const double a = 1, b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, r = 6, s = 10, t = 1 / (8 * Math.PI);
        double u = x[1] - b * x[0] * x[0] + c * x[0] - r;
        return a * u * u + s * (1 - t) * Math.Cos(x[0]) + s;
    }

    private static readonly double[] HartmannAlpha = [1.0, 1.2, 3.0, 3.2];
    private static readonly double[,] HartmannA =
    {
        { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 },
    };
    private static readonly double[,] HartmannP =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 }, { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 }, { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    private static double Hartmann6(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < 4; i++)
        {
            double inner = 0;
            for (int j = 0; j < 6; j++) inner += HartmannA[i, j] * (x[j] - HartmannP[i, j]) * (x[j] - HartmannP[i, j]);
            sum += HartmannAlpha[i] * Math.Exp(-inner);
        }
        return -sum;
    }

    private static double Rosenbrock(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length - 1; i++) s += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
        return s;
    }

    private static double StyblinskiTang(double[] x)
    {
        double s = 0;
        foreach (var v in x) s += v * v * v * v - 16 * v * v + 5 * v;
        return s / 2;
    }
}

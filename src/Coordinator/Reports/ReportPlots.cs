using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace SamplerTune.Coordinator.Reports;

/// <summary>
/// The report's PNG figures, drawn with ScottPlot 5 (SkiaSharp underneath, its NoDependencies native assets, so it
/// renders headless without fontconfig). Every method keeps one colour in every figure of the report.
/// </summary>
public sealed class ReportPlots(IReadOnlyList<string> methods)
{
    public const int Width = 640, Height = 400, PanelWidth = 360, PanelHeight = 280;
    private static readonly Color ReferenceColor = Color.FromHex("#7f7f7f");
    private readonly IPalette _palette = new ScottPlot.Palettes.Category10();

    public Color ColorOf(string method)
    {
        int i = Math.Max(0, methods.ToList().IndexOf(method));
        return _palette.GetColor(i);
    }

    /// <summary>Best objective so far against trial number, one step line per method; log scale when every value is positive.</summary>
    public void BestSoFar(string path, string title, IEnumerable<(string Method, IReadOnlyList<(int Trial, double Best)> Points)> series)
    {
        var plt = new Plot();
        var all = series.Where(s => s.Points.Count > 0).ToList();
        bool log = all.SelectMany(s => s.Points).All(p => p.Best > 0);
        foreach (var (method, points) in all)
        {
            var xs = points.Select(p => (double)p.Trial).ToArray();
            var ys = points.Select(p => log ? Math.Log10(p.Best) : p.Best).ToArray();
            var line = plt.Add.Scatter(xs, ys, ColorOf(method));
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.MarkerSize = 6;
            line.LegendText = method;
        }
        if (log) LogAxis(plt, all.SelectMany(s => s.Points).Select(p => Math.Log10(p.Best)).ToArray());
        plt.Title(title, size: 14);
        plt.XLabel("trial number");
        plt.YLabel(log ? "best objective so far (log scale)" : "best objective so far");
        plt.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plt.ShowLegend(Edge.Right); // beside the axes: inside, it would hide some method's curve
        if (all.Count == 0) plt.Add.Annotation("no completed trial yet");
        plt.SavePng(path, Width, Height);
    }

    /// <summary>MMD², mean error and covariance error of each method's best run, grouped by component.</summary>
    public void Components(string path, string title, IReadOnlyList<LeaderboardRow> rows)
    {
        var plt = new Plot();
        string[] keys = ["mmd", "mean_error_l2", "cov_error_fro"];
        string[] labels = ["MMD²", "mean error (L2, in sd)", "cov error (rel. Frobenius)"];
        var withBest = rows.Where(r => r.Components.Count > 0).ToList();
        double groupWidth = 0.8, barWidth = withBest.Count == 0 ? groupWidth : groupWidth / withBest.Count;
        for (int m = 0; m < withBest.Count; m++)
        {
            var r = withBest[m];
            var bars = new List<Bar>();
            for (int k = 0; k < keys.Length; k++)
            {
                if (!r.Components.TryGetValue(keys[k], out var v) || !double.IsFinite(v)) continue;
                bars.Add(new Bar
                {
                    Position = k - groupWidth / 2 + barWidth * (m + 0.5), Value = v, Size = barWidth * 0.92,
                    FillColor = ColorOf(r.Method), LineWidth = 0,
                });
            }
            plt.Add.Bars(bars);
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = r.Method, FillColor = ColorOf(r.Method) });
        }
        plt.Axes.Bottom.SetTicks([0, 1, 2], labels);
        plt.Axes.Bottom.MajorTickStyle.Length = 0;
        plt.Axes.Margins(bottom: 0);
        plt.Title(title, size: 14);
        plt.YLabel("value in the best run");
        plt.ShowLegend(Alignment.UpperRight);
        if (withBest.Count == 0) plt.Add.Annotation("no completed trial yet");
        plt.SavePng(path, Width, Height);
    }

    /// <summary>One parameter's density: the reference as grey bars, the run as a step line in its method's colour.</summary>
    public void Marginal1D(string path, string parameter, string method, double[] reference, double[] run)
    {
        var plt = new Plot();
        var (lo, hi) = Marginals.CommonRange(reference, run);
        const int bins = 40;
        var (edges, refDensity) = Marginals.Histogram(reference, lo, hi, bins);
        var (_, runDensity) = Marginals.Histogram(run, lo, hi, bins);
        double width = edges[1] - edges[0];
        var bars = plt.Add.Bars(refDensity.Select((d, k) => new Bar
        {
            Position = edges[k] + width / 2, Value = d, Size = width, FillColor = ReferenceColor.WithAlpha(0.45), LineWidth = 0,
        }).ToList());
        var xs = edges.ToArray();
        var ys = runDensity.Append(runDensity[^1]).ToArray();
        var line = plt.Add.Scatter(xs, ys, ColorOf(method));
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.MarkerSize = 0;
        line.LineWidth = 2;
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = "reference", FillColor = ReferenceColor.WithAlpha(0.45) });
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = method, LineColor = ColorOf(method), LineWidth = 2 });
        plt.ShowLegend(Alignment.UpperRight);
        plt.Axes.Margins(bottom: 0);
        plt.Title($"{parameter}", size: 13);
        plt.YLabel("density");
        plt.SavePng(path, PanelWidth, PanelHeight);
    }

    /// <summary>Two parameters' joint draws: the reference as grey points under the run's points.</summary>
    public void Marginal2D(string path, string xName, string yName, string method, (double[] X, double[] Y) reference, (double[] X, double[] Y) run)
    {
        var plt = new Plot();
        var r = plt.Add.Markers(reference.X, reference.Y, MarkerShape.FilledCircle, 3, ReferenceColor.WithAlpha(0.35));
        r.LegendText = "reference";
        var m = plt.Add.Markers(run.X, run.Y, MarkerShape.FilledCircle, 3, ColorOf(method).WithAlpha(0.5));
        m.LegendText = method;
        // Frame the reference (a diverged run far away would otherwise shrink it to a dot); the run's stray points fall outside.
        var (xlo, xhi) = Marginals.CommonRange(reference.X, run.X);
        var (ylo, yhi) = Marginals.CommonRange(reference.Y, run.Y);
        plt.Axes.SetLimits(xlo, xhi, ylo, yhi);
        plt.ShowLegend(Alignment.UpperRight);
        plt.Title($"{xName} vs {yName}", size: 13);
        plt.XLabel(xName);
        plt.YLabel(yName);
        plt.SavePng(path, PanelWidth, PanelHeight);
    }

    private static void LogAxis(Plot plt, double[] logValues)
    {
        double span = logValues.Length == 0 ? 0 : logValues.Max() - logValues.Min();
        plt.Axes.Left.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = span >= 1.5, // whole decades once the curve spans them; finer labels inside one decade
            LabelFormatter = y => Math.Pow(10, y).ToString("G3", CultureInfo.InvariantCulture),
        };
    }
}

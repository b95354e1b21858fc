using Xunit;
using System.Globalization;

namespace SamplerTune.Samplers.Tests.Diagnostics;

/// <summary>Test data under data/diagnostics and a reader for the R-written reference tables (NA as NaN).</summary>
internal static class ReferenceTable
{
    public static string DataPath(string file) => Path.Combine(AppContext.BaseDirectory, "data", "diagnostics", file);

    /// <summary>Rows of a CSV with a header, '#' lines skipped, quotes stripped, keyed by column name.</summary>
    public static List<Dictionary<string, string>> Read(string file)
    {
        var lines = File.ReadAllLines(DataPath(file)).Where(l => l.Length > 0 && l[0] != '#').ToList();
        var header = Fields(lines[0]);
        if (header[0].Length == 0) header[0] = "variable"; // R's write.csv row names
        return lines.Skip(1).Select(l =>
        {
            var f = Fields(l);
            return header.Select((h, k) => (h, f[k])).ToDictionary(p => p.h, p => p.Item2);
        }).ToList();
    }

    public static double Number(string text) =>
        text switch
        {
            "NA" or "NaN" => double.NaN,
            "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };

    private static string[] Fields(string line) => line.Split(',').Select(f => f.Trim('"')).ToArray();

    /// <summary>Equal to 1e-8 relative, or both NaN (posterior's NA).</summary>
    public static void AssertClose(double expected, double actual, string what, double relative = 1e-8)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected NA, got {actual:R}");
            return;
        }
        Assert.False(double.IsNaN(actual), $"{what}: expected {expected:R}, got NaN");
        if (double.IsInfinity(expected))
        {
            Assert.Equal(expected, actual);
            return;
        }
        double error = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), double.Epsilon);
        Assert.True(error <= relative, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2})");
    }
}

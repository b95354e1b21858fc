using System.Text.RegularExpressions;
using SamplerTune.Coordinator.Tests.Support;
using SkiaSharp;
using Xunit;
using Xunit.Abstractions;

namespace SamplerTune.Coordinator.Tests.Reports;

/// <summary>Issue 8, part 1: 'report' on a small study finished by the real 'run --local'.</summary>
[Collection(SamplerTune.Coordinator.Tests.Support.MultiProcessTests.Name)]
public class ReportCommandTests(ITestOutputHelper output)
{
    [Fact]
    public void RendersAnOfflineReportWhoseImagesDecodeAndWhoseLinksExist()
    {
        var exp = CliProcess.TempDirectory();
        var problem = ExactReference.GaussianMean(exp, d: 3);
        var studyFile = Path.Combine(exp, "study.conf");
        File.WriteAllText(studyFile, $$"""
            samplertune.study {
              problems = [ { pid = {{problem.Pid}} } ]
              methods = [mala, vi]
              sampler = random
              trials = 3
              batch = 2
              budget-sec = 0.5
              checkpoint-sec = 0.2
            }
            """);
        var run = CliProcess.Run(exp, "run", "--local", "--workers", "2", "--config", studyFile);
        Assert.True(run.ExitCode == 0, run.Stderr);

        var outDir = Path.Combine(exp, "my-report");
        var report = CliProcess.Run(exp, "report", "--out", outDir);
        output.WriteLine(report.Stdout + report.Stderr);
        Assert.True(report.ExitCode == 0, report.Stderr);

        var html = File.ReadAllText(Path.Combine(outDir, "index.html"));
        var links = Regex.Matches(html, "(?:src|href)\\s*=\\s*\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        // 1 curve + 1 components figure, and per method 3 one-parameter marginals + 1 pair.
        Assert.Equal(2 + 2 * 4, links.Count);
        Assert.DoesNotContain("://", html); // nothing from outside: opens offline
        foreach (var link in links)
        {
            Assert.False(Path.IsPathRooted(link), link);
            var path = Path.Combine(outDir, link);
            Assert.True(File.Exists(path), $"index.html links {link}, which does not exist");
            using var bitmap = SKBitmap.Decode(path);
            Assert.True(bitmap is { Width: > 100, Height: > 100 }, $"{link} does not decode as an image");
            Assert.True(HasSeveralColours(bitmap), $"{link} is blank");
        }
        Assert.Equal(links.Order(), Directory.GetFiles(outDir, "*.png").Select(Path.GetFileName).Order()!);
        foreach (var method in new[] { "mala", "vi" }) Assert.Contains($"<td>{method}</td>", html);

        var console = CliProcess.Run(exp, "report", "--console");
        Assert.Equal(0, console.ExitCode);
        Assert.Contains($"gaussian_mean ({problem.Pid})", console.Stdout);
        Assert.Matches(@"(?m)^  mala +[0-9.eE+-]+ +\d", console.Stdout);
        Assert.Matches(@"(?m)^  vi +[0-9.eE+-]+ +\d", console.Stdout);
    }

    private static bool HasSeveralColours(SKBitmap bitmap)
    {
        var seen = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 7)
            for (int x = 0; x < bitmap.Width; x += 7)
                if (seen.Add(bitmap.GetPixel(x, y)) && seen.Count > 3) return true;
        return false;
    }
}

using SamplerTune.Samplers.Common;
using Xunit;

namespace SamplerTune.Samplers.Tests.Common;

public class RngTests
{
    [Fact]
    public void SavedStateResumesTheSameStreamEvenWithASpareNormalPending()
    {
        var a = new Rng(42);
        a.NextNormal(); // leaves the polar method's second normal cached
        var b = Rng.FromState(a.SaveState());
        for (int i = 0; i < 10; i++) Assert.Equal(a.NextNormal(), b.NextNormal());
        Assert.Equal(a.NextULong(), b.NextULong());
    }

    [Fact]
    public void StreamsDifferAndNormalsHaveUnitMoments()
    {
        Assert.NotEqual(Rng.ForStream(1, 0).NextULong(), Rng.ForStream(1, 1).NextULong());
        var r = new Rng(7);
        int n = 200_000;
        double s = 0, s2 = 0;
        for (int i = 0; i < n; i++) { double z = r.NextNormal(); s += z; s2 += z * z; }
        // 5 standard errors: sd(mean) = 1/sqrt(n), sd(second moment) = sqrt(2/n).
        Assert.InRange(s / n, -5 / Math.Sqrt(n), 5 / Math.Sqrt(n));
        Assert.InRange(s2 / n, 1 - 5 * Math.Sqrt(2.0 / n), 1 + 5 * Math.Sqrt(2.0 / n));
    }

    [Fact]
    public void NextIntIsUniformOverItsRange()
    {
        var r = new Rng(3);
        var counts = new int[7];
        int n = 70_000;
        for (int i = 0; i < n; i++) counts[r.NextInt(7)]++;
        // Each count is Binomial(n, 1/7): within 5 sd of n/7.
        double sd = Math.Sqrt(n * (1 / 7.0) * (6 / 7.0));
        Assert.All(counts, c => Assert.InRange(c, n / 7.0 - 5 * sd, n / 7.0 + 5 * sd));
    }
}

using SamplerTune.Samplers.Runs;
using Xunit;

namespace SamplerTune.Samplers.Tests.Runs;

public class ProvisionalCurveTests
{
    [Fact]
    public void ReadsBackWhatWasAppendedAndStopsAtALineCutShortByAKill()
    {
        var dir = RunDirectory.Under(Path.Combine(Path.GetTempPath(), "samplertune-curve-" + Guid.NewGuid().ToString("N")), "rid");
        Assert.Empty(dir.ReadProvisional());
        dir.AppendProvisional(1.5, 10, 0.123456789012345);
        dir.AppendProvisional(3.25, 10, double.NaN);
        File.AppendAllText(dir.ProvisionalCurve, "5.0,10"); // the process died mid-line
        Assert.Equal([(1.5, 10.0, 0.123456789012345), (3.25, 10.0, double.NaN)], dir.ReadProvisional());
    }
}

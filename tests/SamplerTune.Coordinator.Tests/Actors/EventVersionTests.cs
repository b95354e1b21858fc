using System.Text;
using SamplerTune.Messages.Serialization;
using SamplerTune.Messages.Studies;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Actors;

/// <summary>Journals written before the reference version was recorded (v1 manifests) still replay, with the documented defaults.</summary>
public class EventVersionTests
{
    [Fact]
    public void V1PayloadsReadAsTheCurrentRecordsWithReferenceVersionZeroAndNotStale()
    {
        var completed = (TrialCompleted)SamplerTuneSerializer.Read(Encoding.UTF8.GetBytes(
            """{"number":3,"rid":"abc","objective":0.25,"run_status":"complete","summary":{"mmd":0.1},"completed_utc":"2026-05-01T12:00:00+00:00"}"""),
            "trial-completed.v1");
        Assert.Equal((3, 0.25, 0), (completed.Number, completed.Objective, completed.ReferenceVersion));

        var rescored = (TrialRescored)SamplerTuneSerializer.Read(Encoding.UTF8.GetBytes("""{"number":1,"reference_version":2,"objective":0.5}"""), "trial-rescored.v1");
        Assert.Equal((1, 2, 0.5, false, (string?)null), (rescored.Number, rescored.ReferenceVersion, rescored.Objective, rescored.Stale, rescored.Reason));

        var snapshot = (StudySnapshot)SamplerTuneSerializer.Read(Encoding.UTF8.GetBytes("""
            {"created":{"study":"s","pid":"p","family":"f","method":"m","sampler":"tpe","seed":1,"trial_budget":2,"created_utc":"2026-05-01T12:00:00+00:00"},
             "trials":[{"number":0,"params":{"x":0.5},"rid":"abc","manifest_json":"{}","state":"complete","objective":0.25,"run_status":"complete",
                        "reason":null,"attempt":0,"summary":null,"asked_utc":"2026-05-01T12:00:00+00:00","finished_utc":null}]}
            """), "study-snapshot.v1");
        Assert.Equal((0, false), (snapshot.Trials[0].ReferenceVersion, snapshot.Trials[0].Stale));
    }

    [Fact]
    public void NewEventsAreWrittenUnderTheCurrentManifests()
    {
        Assert.Equal("trial-completed.v2", MessageManifests.Of(typeof(TrialCompleted)));
        Assert.Equal("trial-rescored.v2", MessageManifests.Of(typeof(TrialRescored)));
        Assert.Equal("study-snapshot.v2", MessageManifests.Of(typeof(StudySnapshot)));
    }
}

using Akka.Actor;
using Akka.Configuration;
using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Problems;
using SamplerTune.Worker.Methods;

namespace SamplerTune.Coordinator.Tests.Support;

/// <summary>A real SQLite journal in a fresh folder, and a study of the benchmark null method over one number x in [0, 1].</summary>
public static class StudyFixture
{
    /// <summary>The first message of a study waits for the journal to start (slow on a loaded 2-core machine).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    public static ExperimentsLayout NewLayout() => new(CliProcess.TempDirectory());

    /// <summary>The production configuration (journal and snapshots in the layout's SQLite files) on the local provider.</summary>
    public static Config Config(ExperimentsLayout layout) =>
        ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = INFO\nakka.test.single-expect-default = 10s").WithFallback(AkkaConfig.For(layout));

    public static StudyDefinition Definition(int trials = 4, int batch = 2, string name = "null-study") =>
        new(name, "pid0000000", "gaussian_mean", NullMethod.MethodName, new SearchSpace([new FloatParameter("x", 0, 1)], "test"),
            "random", 7, trials, batch, 10, 5, DistanceSettings.Default);

    /// <summary>A study watching its problem's reference folder under the layout (told to check it; no polling unless <paramref name="referencePoll"/>).</summary>
    public static Props Props(StudyDefinition def, ExperimentsLayout layout, IActorRef dispatcher, IActorRef coordinator, int snapshotEvery = 1000,
        TimeSpan referencePoll = default) =>
        StudyActor.Props(def, dispatcher, coordinator,
            new StudyActor.StudySettings(layout.Runs, Path.Combine(layout.Studies, def.Name), snapshotEvery, TimeSpan.FromMilliseconds(50),
                GroundTruthOf(def, layout), referencePoll));

    public static string GroundTruthOf(StudyDefinition def, ExperimentsLayout layout) => new ProblemStore(layout.Problems).GroundTruthDirectoryOf(def.Pid);
}

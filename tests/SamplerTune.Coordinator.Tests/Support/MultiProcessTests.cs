using Xunit;

namespace SamplerTune.Coordinator.Tests.Support;

/// <summary>
/// Tests that start several real processes (clusters, kills, SLURM jobs) share this collection, so xunit runs
/// them one after another: on a 2-core machine, running them side by side turns their time bounds into a
/// measure of CPU contention rather than of the behaviour under test.
/// </summary>
[CollectionDefinition(Name)]
public sealed class MultiProcessTests
{
    public const string Name = "multi-process";
}

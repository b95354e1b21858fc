using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;
using SamplerTune.Worker.Methods;

namespace SamplerTune.Coordinator.Studies;

/// <summary>Turns a study configuration into a job: reads and checks each method's search space, stores new problems, names the studies.</summary>
public static class JobPlanner
{
    private const string DefaultsSource = "hocon/search-spaces.conf";

    public static JobPlan Plan(StudyConfig config, ExperimentsLayout layout, int snapshotEvery, TimeSpan csvInterval)
    {
        string defaultsText = ReadEmbedded("search-spaces.conf");
        var spaces = new List<(string Method, SearchSpace Space)>();
        foreach (var method in config.Methods)
        {
            var declared = MethodCatalog.Find(method) ?? throw new ConfigError(config.Source, $"{StudyConfig.Path}.methods", $"unknown method '{method}'");
            var overrides = config.SpaceOverrides.Where(o => o.StartsWith(method + ".", StringComparison.Ordinal)).Select(o => o[(method.Length + 1)..]);
            var space = SearchSpaceReader.Read(method, defaultsText, DefaultsSource, config.StudyText, config.StudyText is null ? null : config.Source, overrides);
            SearchSpaceDomain.Check(space, declared, config.StudyText is null ? DefaultsSource : config.Source);
            spaces.Add((method, space));
        }
        // Problems are stored only once the search spaces are known to be valid.
        var store = new ProblemStore(layout.Problems);
        var problems = config.Problems.Select(p => p.Pid is { } pid ? store.Get(pid)
            : store.Add(ProblemSpec.Create(p.Family, p.Fields, null, config.Source), null).Problem).DistinctBy(p => p.Pid).ToList();
        var studies = new List<StudyDefinition>();
        foreach (var (method, space) in spaces)
            foreach (var p in problems)
                studies.Add(new StudyDefinition(StudyDefinition.NameOf(p.Spec.Family.Name, p.Pid, method), p.Pid, p.Spec.Family.Name, method, space,
                    config.Sampler, config.Seed, config.Trials, config.Batch, config.BudgetSec, config.CheckpointSec, config.Objective, config.Pruner));
        return new JobPlan(problems.Select(p => (p.Pid, ReferenceSummary.IsPublishedIn(p.GroundTruthDirectory))).ToList(), studies, config.Reference, config.MaxConcurrentRuns,
            config.RetryLimit, layout.Root, snapshotEvery, csvInterval, config.ProvisionalReference, config.ReferencePollSec);
    }

    private static string ReadEmbedded(string name)
    {
        using var stream = typeof(JobPlanner).Assembly.GetManifestResourceStream($"hocon/{name}")!;
        return new StreamReader(stream).ReadToEnd();
    }
}

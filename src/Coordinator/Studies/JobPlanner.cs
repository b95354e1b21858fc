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
        var spaces = Spaces(config);
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

    /// <summary>Each method's search space: the defaults, the study file, the --space overrides, checked against what the
    /// method accepts. Writes nothing, so commands call it before they start anything.</summary>
    public static IReadOnlyList<(string Method, SearchSpace Space)> Spaces(StudyConfig config)
    {
        string defaultsText = ReadEmbedded("search-spaces.conf");
        var spaces = new List<(string Method, SearchSpace Space)>();
        foreach (var method in config.Methods)
        {
            var declared = MethodCatalog.Find(method) ?? throw new ConfigError(config.Source, $"{StudyConfig.Path}.methods", $"unknown method '{method}'");
            var overrides = config.SpaceOverrides.Where(o => o.StartsWith(method + ".", StringComparison.Ordinal)).Select(o => o[(method.Length + 1)..]).ToList();
            string? studySource = config.StudyText is null ? null : config.Source;
            var space = SearchSpaceReader.Read(method, defaultsText, DefaultsSource, config.StudyText, studySource, overrides);
            // Name where the values came from: a bad --space value is the command line's, not the defaults file's.
            string source = studySource ?? DefaultsSource;
            if (overrides.Count > 0 && !source.EndsWith(SearchSpaceReader.CommandLine, StringComparison.Ordinal)) source += " + " + SearchSpaceReader.CommandLine;
            SearchSpaceDomain.Check(space, declared, source);
            spaces.Add((method, space));
        }
        return spaces;
    }

    private static string ReadEmbedded(string name)
    {
        using var stream = typeof(JobPlanner).Assembly.GetManifestResourceStream($"hocon/{name}")!;
        return new StreamReader(stream).ReadToEnd();
    }
}

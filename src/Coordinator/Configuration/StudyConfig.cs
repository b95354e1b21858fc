using Akka.Configuration;
using Akka.Configuration.Hocon;
using SamplerTune.Coordinator.Cli;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Coordinator.Pruning;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Reference;

namespace SamplerTune.Coordinator.Configuration;

/// <summary>
/// The study settings (samplertune.study) read from a study file or the quick-start defaults, after command-line
/// overrides. Problems are either a stored pid or a family with spec fields.
/// </summary>
public sealed record StudyConfig(
    IReadOnlyList<StudyConfig.ProblemEntry> Problems,
    IReadOnlyList<string> Methods,
    string Sampler,
    ulong Seed,
    int Trials,
    int Batch,
    int MaxConcurrentRuns,
    double BudgetSec,
    double CheckpointSec,
    int RetryLimit,
    DistanceSettings Objective,
    ReferenceSettings Reference,
    string Source,
    string? StudyText,
    PrunerSettings? Pruner = null,
    bool ProvisionalReference = false,
    double ReferencePollSec = 30)
{
    /// <summary>A problem of the study: <see cref="Pid"/> of a stored problem, or a family and its spec fields.</summary>
    public sealed record ProblemEntry(string? Pid, string? Family, IReadOnlyDictionary<string, string> Fields);

    public const string Path = "samplertune.study";

    /// <summary>Reads <paramref name="studyFile"/> over hocon/study.conf, or hocon/quickstart.conf when there is no file.</summary>
    public static StudyConfig Load(string? studyFile)
    {
        string? text = null;
        string source;
        Config config;
        var defaults = HoconFiles.Embedded("study.conf");
        if (studyFile is null)
        {
            source = "quick-start (hocon/quickstart.conf)";
            config = HoconFiles.Embedded("quickstart.conf").WithFallback(defaults);
        }
        else
        {
            text = File.Exists(studyFile) ? File.ReadAllText(studyFile) : throw new UserInputError($"--config {studyFile}: file not found");
            source = studyFile;
            config = HoconFiles.WithUserFile(studyFile, defaults);
        }
        var refDefaults = HoconFiles.Embedded("samplertune.conf").GetConfig("samplertune.reference");
        if (text is not null) RefuseUnknownKeys(HoconFiles.Parse(text), defaults, refDefaults, source);
        try
        {
            return Read(config.GetConfig(Path), refDefaults, source, text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NullReferenceException or Akka.Configuration.ConfigurationException)
        {
            // A value of the wrong type (trials = many) surfaces from Akka's getters as one of these.
            throw new ConfigError(source, Path, $"a setting has a value of the wrong type or shape ({e.GetBaseException().Message.ReplaceLineEndings(" ")})");
        }
    }

    /// <summary>A study file holds samplertune.study (keys of hocon/study.conf; reference: keys of samplertune.reference)
    /// and samplertune.search-spaces (checked by <see cref="SearchSpaceReader"/>); any other key is a mistake.</summary>
    private static void RefuseUnknownKeys(Config user, Config defaults, Config referenceDefaults, string source)
    {
        var sections = ConfigurationFactory.ParseString($"{Path} {{}}\n{SearchSpaceReader.RootPath} {{}}");
        ConfigKeys.RefuseUnknown(user.Root.GetObject(), sections.Root.GetObject(), "", source, new HashSet<string> { Path, SearchSpaceReader.RootPath });
        if (ConfigKeys.ObjectAt(user, Path) is { } study)
            ConfigKeys.RefuseUnknown(study, ConfigKeys.ObjectAt(defaults, Path)!, Path, source, new HashSet<string> { $"{Path}.problems", $"{Path}.reference" });
        if (ConfigKeys.ObjectAt(user, $"{Path}.reference") is { } reference)
            ConfigKeys.RefuseUnknown(reference, referenceDefaults.Root.GetObject(), $"{Path}.reference", source);
    }

    private static StudyConfig Read(Config c, Config referenceDefaults, string source, string? text)
    {
        var problems = new List<ProblemEntry>();
        foreach (var item in c.GetValue("problems").GetArray())
        {
            if (!item.IsObject()) throw new ConfigError(source, $"{Path}.problems", "each problem is an object: { family = NAME, ... } or { pid = ID }");
            var fields = item.GetObject().Items.ToDictionary(kv => kv.Key, kv => kv.Value.GetString());
            fields.Remove("pid", out var pid);
            fields.Remove("family", out var family);
            if (pid is null && family is null) throw new ConfigError(source, $"{Path}.problems", "a problem needs 'family' or 'pid'");
            problems.Add(new ProblemEntry(pid, family, fields));
        }
        var objective = c.GetConfig("objective");
        var r = (c.HasPath("reference") ? c.GetConfig("reference") : ConfigurationFactory.Empty).WithFallback(referenceDefaults);
        var reference = new ReferenceSettings(r.GetInt("chains"), r.GetInt("min-ess"), r.GetDouble("max-sec"), r.GetDouble("checkpoint-sec"),
            r.GetInt("warmup"), r.GetInt("initial-draws"), r.GetInt("max-draws-per-chain"), r.GetDouble("rhat-threshold"),
            r.GetDouble("adapt-delta"), false, (ulong)r.GetLong("seed"));
        return new StudyConfig(problems, c.GetStringList("methods").ToList(), c.GetString("sampler"), (ulong)c.GetLong("seed"),
            c.GetInt("trials"), c.GetInt("batch"), c.GetInt("max-concurrent-runs"), c.GetDouble("budget-sec"), c.GetDouble("checkpoint-sec"),
            c.GetInt("retry-limit"),
            new DistanceSettings(objective.GetDouble("mean-weight"), objective.GetDouble("cov-weight"), objective.GetDouble("penalty")),
            reference, source, text, ReadPruner(c), c.GetBoolean("provisional-reference"), c.GetDouble("reference-poll-sec")).Validated();
    }

    private static PrunerSettings ReadPruner(Config c)
    {
        if (!c.HasPath("pruner")) return PrunerSettings.Off;
        var p = c.GetConfig("pruner");
        var d = PrunerSettings.Off;
        return new PrunerSettings(p.GetString("type", d.Type), p.GetInt("startup-trials", d.StartupTrials), p.GetDouble("warmup-fraction", d.WarmupFraction),
            p.GetDouble("min-fraction", d.MinFraction), p.GetInt("reduction-factor", d.ReductionFactor));
    }

    public StudyConfig Validated()
    {
        void Check(bool ok, string key, string problem) { if (!ok) throw new ConfigError(Source, $"{Path}.{key}", problem); }
        Check(Problems.Count > 0, "problems", "no problems: add { family = gaussian_mean } or { pid = ... }");
        Check(Methods.Count > 0, "methods", "no methods");
        Check(SamplerCatalog.Names.Contains(Sampler), "sampler", $"'{Sampler}' is not a sampler; allowed: {string.Join(", ", SamplerCatalog.Names)}");
        Check(Trials >= 1, "trials", "must be at least 1");
        Check(Batch >= 1, "batch", "must be at least 1");
        Check(MaxConcurrentRuns >= 0, "max-concurrent-runs", "must be 0 (no limit) or more");
        Check(BudgetSec > 0 && double.IsFinite(BudgetSec), "budget-sec", "must be a positive number of seconds");
        Check(CheckpointSec > 0 && double.IsFinite(CheckpointSec), "checkpoint-sec", "must be a positive number of seconds");
        Check(RetryLimit >= 0, "retry-limit", "must be 0 or more");
        Check(ReferencePollSec > 0 && double.IsFinite(ReferencePollSec), "reference-poll-sec", "must be a positive number of seconds");
        if (Pruner?.Problem() is { } pruner) Check(false, "pruner", pruner);
        if (Reference.Problem() is { } reference) Check(false, $"reference.{reference.Key}", reference.Allowed);
        try { Objective.Validated(); } catch (ArgumentException e) { throw new ConfigError(Source, $"{Path}.objective", e.Message); }
        return this;
    }
}

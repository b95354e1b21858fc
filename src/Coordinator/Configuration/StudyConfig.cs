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

    /// <summary>Command-line search-space overrides, <c>METHOD.NAME=SPEC</c> (SearchSpaceReader.ParseOverride reads SPEC),
    /// applied over the defaults and the study file.</summary>
    public IReadOnlyList<string> SpaceOverrides { get; init; } = [];

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
        var s = new Typed(c, Path, source);
        var objective = new Typed(c.GetConfig("objective"), $"{Path}.objective", source);
        var r = new Typed((c.HasPath("reference") ? c.GetConfig("reference") : ConfigurationFactory.Empty).WithFallback(referenceDefaults), $"{Path}.reference", source);
        var reference = new ReferenceSettings(r.Int("chains"), r.Int("min-ess"), r.Double("max-sec"), r.Double("checkpoint-sec"),
            r.Int("warmup"), r.Int("initial-draws"), r.Int("max-draws-per-chain"), r.Double("rhat-threshold"),
            r.Double("adapt-delta"), false, r.Seed("seed"));
        return new StudyConfig(problems, s.StringList("methods"), s.String("sampler"), s.Seed("seed"),
            s.Int("trials"), s.Int("batch"), s.Int("max-concurrent-runs"), s.Double("budget-sec"), s.Double("checkpoint-sec"),
            s.Int("retry-limit"),
            new DistanceSettings(objective.Double("mean-weight"), objective.Double("cov-weight"), objective.Double("penalty")),
            reference, source, text, ReadPruner(c, source), s.Bool("provisional-reference"), s.Double("reference-poll-sec")).Validated();
    }

    private static PrunerSettings ReadPruner(Config c, string source)
    {
        if (!c.HasPath("pruner")) return PrunerSettings.Off;
        var p = new Typed(c.GetConfig("pruner"), $"{Path}.pruner", source);
        var d = PrunerSettings.Off;
        return new PrunerSettings(p.String("type", d.Type), p.Int("startup-trials", d.StartupTrials), p.Double("warmup-fraction", d.WarmupFraction),
            p.Double("min-fraction", d.MinFraction), p.Int("reduction-factor", d.ReductionFactor));
    }

    /// <summary>Typed reads of one section that name the key, the expected type and the value when a value does not fit
    /// (trials = many, seed = 99999999999999999999, provisional-reference = maybe), instead of Akka's bare exception.</summary>
    private sealed class Typed(Config c, string section, string source)
    {
        public int Int(string key) => Get(key, "a whole number from -2147483648 to 2147483647", (cfg, k) => cfg.GetInt(k));
        public int Int(string key, int fallback) => c.HasPath(key) ? Int(key) : fallback;
        public double Double(string key) => Get(key, "a number", (cfg, k) => cfg.GetDouble(k));
        public double Double(string key, double fallback) => c.HasPath(key) ? Double(key) : fallback;
        public bool Bool(string key) => Get(key, "on or off (true/false, yes/no)", (cfg, k) => cfg.GetBoolean(k));
        public string String(string key) => Get(key, "a string", (cfg, k) => cfg.GetString(k));
        public string String(string key, string fallback) => c.HasPath(key) ? String(key) : fallback;
        public List<string> StringList(string key) => Get(key, "a list of names, e.g. [sgld, vi]",
            (cfg, k) => cfg.GetValue(k).IsArray() ? cfg.GetStringList(k).ToList() : throw new FormatException("not a list"));

        /// <summary>Seeds are non-negative 64-bit integers.</summary>
        public ulong Seed(string key)
        {
            long v = Get(key, "a whole number from 0 to 9223372036854775807", (cfg, k) => cfg.GetLong(k));
            return v >= 0 ? (ulong)v : throw new ConfigError(source, $"{section}.{key}", $"must be from 0 to 9223372036854775807, got {v}");
        }

        private T Get<T>(string key, string expected, Func<Config, string, T> read)
        {
            try { return read(c, key); }
            catch (Exception e) when (e is FormatException or OverflowException or NotSupportedException or ArgumentException
                                          or InvalidCastException or NullReferenceException or Akka.Configuration.ConfigurationException)
            {
                string given = c.HasPath(key) ? c.GetValue(key).ToString() : "nothing";
                throw new ConfigError(source, $"{section}.{key}", $"expected {expected}, got '{given}'");
            }
        }
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

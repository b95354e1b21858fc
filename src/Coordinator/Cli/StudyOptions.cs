using System.CommandLine;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Coordinator.Cli;

/// <summary>The study options shared by 'run --local' and 'coordinator': a study file and command-line overrides of it.</summary>
public sealed class StudyOptions
{
    private readonly Option<string?> _config = new("--config") { Description = "study file (e.g. experiments/study.conf); default: the embedded quick-start study" };
    private readonly Option<int?> _trials = new("--trials") { Description = "trials per study" };
    private readonly Option<int?> _batch = new("--batch") { Description = "trials in flight per study" };
    private readonly Option<double?> _budget = new("--budget-sec") { Description = "wall-clock budget of each run, in seconds" };
    private readonly Option<string?> _methods = new("--methods") { Description = "comma-separated methods, e.g. sgld,vi" };
    private readonly Option<string?> _problems = new("--problems") { Description = "comma-separated problems: stored pids or family names (at their defaults)" };
    private readonly Option<string[]> _space = new("--space")
    {
        Description = "override a search-space entry: METHOD.NAME=LOW..HIGH, METHOD.NAME=VALUE or METHOD.NAME=A|B|C, e.g. mala.step_size=0.001..0.1 (repeatable)",
        DefaultValueFactory = _ => [],
    };

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { _config, _trials, _batch, _budget, _methods, _problems, _space }) cmd.Options.Add(o);
    }

    /// <summary>The study file (or the quick start) with the command line's overrides, validated.</summary>
    public StudyConfig Read(ParseResult p, ExperimentsLayout layout)
    {
        var study = StudyConfig.Load(p.GetValue(_config));
        study = study with
        {
            Trials = p.GetValue(_trials) ?? study.Trials,
            Batch = p.GetValue(_batch) ?? study.Batch,
            BudgetSec = p.GetValue(_budget) ?? study.BudgetSec,
            Methods = p.GetValue(_methods) is { } m ? Split(m) : study.Methods,
            Problems = p.GetValue(_problems) is { } pr ? Problems(pr, layout.Problems) : study.Problems,
        };
        var space = p.GetValue(_space) ?? [];
        bool overridden = new Option[] { _trials, _batch, _budget, _methods, _problems }.Any(o => p.GetResult(o) is not null) || space.Length > 0;
        study = study with { Source = overridden ? study.Source + " + command line" : study.Source, SpaceOverrides = SpaceOverrides(space, study.Methods) };
        study.Validated();
        JobPlanner.Spaces(study); // a bad search space is refused here, before anything is started or written
        return study;
    }

    private static List<string> SpaceOverrides(string[] items, IReadOnlyList<string> methods)
    {
        foreach (var item in items)
        {
            int dot = item.IndexOf('.'), eq = item.IndexOf('=');
            if (dot <= 0 || eq < dot)
                throw new UserInputError($"--space {item}: expected METHOD.NAME=LOW..HIGH, METHOD.NAME=VALUE or METHOD.NAME=A|B|C");
            if (!methods.Contains(item[..dot]))
                throw new UserInputError($"--space {item}: '{item[..dot]}' is not a method of this study ({string.Join(", ", methods)})");
        }
        return items.ToList();
    }

    private static List<string> Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static List<StudyConfig.ProblemEntry> Problems(string list, string problemsRoot)
    {
        var store = new ProblemStore(problemsRoot);
        return Split(list).Select(item =>
            Directory.Exists(Path.Combine(problemsRoot, item)) ? new StudyConfig.ProblemEntry(store.Get(item).Pid, null, new Dictionary<string, string>())
            : ProblemFamilies.Find(item) is not null ? new StudyConfig.ProblemEntry(null, item, new Dictionary<string, string>())
            : throw new UserInputError($"--problems {item}: neither a stored pid nor a family (families: {ProblemFamilies.Names})")).ToList();
    }
}

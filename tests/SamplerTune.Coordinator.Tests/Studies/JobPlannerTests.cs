using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Samplers.Common;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Studies;

public class JobPlannerTests
{
    private static (StudyConfig Config, ExperimentsLayout Layout) Study(string searchSpaces, string methods = "[sgld]")
    {
        var dir = CliProcess.TempDirectory();
        var file = Path.Combine(dir, "study.conf");
        File.WriteAllText(file, $$"""
            samplertune.study {
              problems = [{ family = gaussian_mean, d = 2 }]
              methods = {{methods}}
            }
            samplertune.search-spaces { {{searchSpaces}} }
            """);
        return (StudyConfig.Load(file), new ExperimentsLayout(Path.Combine(dir, "experiments")));
    }

    private static JobPlan Plan(StudyConfig config, ExperimentsLayout layout) => JobPlanner.Plan(config, layout, 1000, TimeSpan.FromSeconds(1));

    [Theory]
    [InlineData("sgld { batch { type = categorical, choices = [0, 32] } }", "[sgld]", "sgld.batch", "contains 0", "an integer in [1, 10000000]")]
    [InlineData("sgld { precond = sometimes }", "[sgld]", "sgld.precond", "contains sometimes", "one of on, off")]
    [InlineData("sgld { batch { type = float, low = 8, high = 64 } }", "[sgld]", "sgld.batch", "float [8, 64]", "an integer in")]
    [InlineData("vi { family { type = categorical, choices = [meanfield, diagonal] } }", "[vi]", "vi.family", "contains diagonal", "one of meanfield, fullrank")]
    [InlineData("mala { target_accept { low = 0.5, high = 0.99 } }", "[mala]", "mala.target_accept", "contains 0.99", "a number in [0.05, 0.95]")]
    public void A_search_space_value_the_method_refuses_is_a_config_error_and_stores_nothing(string spaces, string methods, string key, string value, string allowed)
    {
        var (config, layout) = Study(spaces, methods);
        var e = Assert.Throws<ConfigError>(() => Plan(config, layout));
        Assert.Contains(config.Source, e.Message);
        Assert.Contains($"samplertune.search-spaces.{key}", e.Message);
        Assert.Contains(value, e.Message);
        Assert.Contains(allowed, e.Message);
        Assert.False(Directory.Exists(layout.Problems) && Directory.EnumerateFileSystemEntries(layout.Problems).Any());
    }

    [Fact]
    public void The_default_search_spaces_and_the_example_study_are_inside_every_method_s_domain()
    {
        var (config, layout) = Study("", "[sgld, vi, mclmc, mala]");
        Assert.Equal(4, Plan(config, layout).Studies.Count);
        var example = StudyConfig.Load(Path.Combine(CliProcess.RepositoryRoot(), "experiments", "study.conf"));
        Assert.Equal(16, Plan(example, new ExperimentsLayout(CliProcess.TempDirectory())).Studies.Count);
    }

    [Fact]
    public void Command_line_space_overrides_apply_to_their_method_over_the_study_file()
    {
        var (config, layout) = Study("mala { target_accept { low = 0.7, high = 0.8 } }", "[mala, sgld]");
        config = config with { SpaceOverrides = ["mala.step_size=0.01..0.02", "mala.target_accept=0.9", "sgld.batch=16|32"] };
        var plan = Plan(config, layout);
        var mala = plan.Studies.Single(s => s.Method == "mala").Space;
        Assert.Equal(new FloatParameter("step_size", 0.01, 0.02, Log: true), mala.Tunable.Single(p => p.Name == "step_size"));
        Assert.DoesNotContain(mala.Tunable, p => p.Name == "target_accept"); // pinned: no longer searched
        var batch = Assert.IsType<CategoricalParameter>(plan.Studies.Single(s => s.Method == "sgld").Space.Tunable.Single(p => p.Name == "batch"));
        Assert.Equal(2, batch.Choices.Count);
    }

    [Fact]
    public void A_command_line_override_of_an_unknown_hyperparameter_is_refused()
    {
        var (config, layout) = Study("", "[mala]");
        var e = Assert.Throws<ConfigError>(() => Plan(config with { SpaceOverrides = ["mala.stepsize=0.1"] }, layout));
        Assert.Contains("mala.stepsize: unknown hyperparameter; allowed: step_size, target_accept", e.Message);
        Assert.False(Directory.Exists(layout.Problems));
    }
}

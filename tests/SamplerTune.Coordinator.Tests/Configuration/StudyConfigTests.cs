using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Coordinator.Tests.Support;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Configuration;

public class StudyConfigTests
{
    private static string StudyFile(string text)
    {
        var file = Path.Combine(CliProcess.TempDirectory(), "study.conf");
        File.WriteAllText(file, text);
        return file;
    }

    [Theory]
    [InlineData("samplertune.study { trails = 5 }", "samplertune.study.trails", "trials")]
    [InlineData("samplertune.study { reference { min-es = 100 } }", "samplertune.study.reference.min-es", "min-ess")]
    [InlineData("samplertune.study { objective { mean-wieght = 1 } }", "samplertune.study.objective.mean-wieght", "mean-weight")]
    [InlineData("samplertune.study { pruner { typ = median } }", "samplertune.study.pruner.typ", "type")]
    [InlineData("samplertune.studdy { trials = 5 }", "samplertune.studdy", "study, search-spaces")]
    [InlineData("trials = 5", "trials", "samplertune")]
    public void A_misspelled_key_is_refused_naming_the_file_the_key_and_the_allowed_keys(string text, string key, string allowed)
    {
        var file = StudyFile(text);
        var e = Assert.Throws<ConfigError>(() => StudyConfig.Load(file));
        Assert.StartsWith($"{file}: {key}: unknown key; allowed", e.Message);
        Assert.Contains(allowed, e.Message);
    }

    [Fact]
    public void The_example_study_and_every_documented_key_are_accepted()
    {
        StudyConfig.Load(Path.Combine(CliProcess.RepositoryRoot(), "experiments", "study.conf"));
        var study = StudyConfig.Load(StudyFile("""
            samplertune.study {
              problems = [{ family = gaussian_mean, d = 3 }]
              trials = 7
              pruner { type = median, startup-trials = 2 }
              reference { min-ess = 500, rhat-threshold = 1.05 }
            }
            samplertune.search-spaces.sgld.gamma = 0.6
            """));
        Assert.Equal(7, study.Trials);
        Assert.Equal(500, study.Reference.MinEss);
    }

    [Theory]
    [InlineData("min-ess = -4", "min-ess", "must be at least 1, got -4")]
    [InlineData("chains = 0", "chains", "must be at least 1, got 0")]
    [InlineData("rhat-threshold = 1", "rhat-threshold", "must be a number above 1")]
    [InlineData("rhat-threshold = 0.99", "rhat-threshold", "must be a number above 1")]
    [InlineData("max-sec = 0", "max-sec", "must be a positive number of seconds")]
    [InlineData("checkpoint-sec = -1", "checkpoint-sec", "must be a positive number of seconds")]
    [InlineData("warmup = -5", "warmup", "must be 0 or more")]
    [InlineData("initial-draws = 0", "initial-draws", "must be at least 4")]
    [InlineData("max-draws-per-chain = 10", "max-draws-per-chain", "must be at least initial-draws (1000)")]
    [InlineData("adapt-delta = 1", "adapt-delta", "must be in (0, 1)")]
    public void A_reference_setting_out_of_range_is_refused(string setting, string key, string allowed)
    {
        var file = StudyFile($"samplertune.study {{ problems = [{{ family = banana }}], reference {{ {setting} }} }}");
        var e = Assert.Throws<ConfigError>(() => StudyConfig.Load(file));
        Assert.StartsWith($"{file}: samplertune.study.reference.{key}: {allowed}", e.Message);
    }

    [Theory]
    [InlineData("trials = three", "trials", "expected a whole number")]
    [InlineData("trials = 2.5", "trials", "expected a whole number")]
    [InlineData("trials = 3000000000", "trials", "expected a whole number from -2147483648 to 2147483647, got '3000000000'")]
    [InlineData("seed = 99999999999999999999", "seed", "expected a whole number from 0 to 9223372036854775807")]
    [InlineData("seed = -5", "seed", "must be from 0 to 9223372036854775807, got -5")]
    [InlineData("provisional-reference = maybe", "provisional-reference", "expected on or off")]
    [InlineData("methods = mala", "methods", "expected a list of names")]
    [InlineData("budget-sec = [1, 2]", "budget-sec", "expected a number")]
    [InlineData("reference { seed = -1 }", "reference.seed", "must be from 0")]
    public void A_value_of_the_wrong_type_is_refused_naming_its_key(string setting, string key, string problem)
    {
        var file = StudyFile($"samplertune.study {{ problems = [{{ family = banana }}], {setting} }}");
        var e = Assert.Throws<ConfigError>(() => StudyConfig.Load(file));
        Assert.StartsWith($"{file}: samplertune.study.{key}: {problem}", e.Message);
    }
}

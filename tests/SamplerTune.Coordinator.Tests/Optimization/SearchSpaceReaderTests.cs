using Xunit;
using SamplerTune.Coordinator.Optimization;

namespace SamplerTune.Coordinator.Tests.Optimization;

public class SearchSpaceReaderTests
{
    // The repository's defaults file, found from the test binaries upwards (it is source, not shared data).
    private static string DefaultsFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var f = Path.Combine(dir.FullName, "hocon", "search-spaces.conf");
            if (File.Exists(f)) return f;
        }
        throw new FileNotFoundException("hocon/search-spaces.conf not found above the test directory");
    }

    private static readonly string Defaults = File.ReadAllText(DefaultsFile());

    private static SearchSpace Read(string method, string? study = null, params string[] overrides) =>
        SearchSpaceReader.Read(method, Defaults, "search-spaces.conf", study, study is null ? null : "study.conf", overrides);

    [Fact]
    public void Defaults_declare_the_issue_ranges_for_every_method()
    {
        Assert.Equal(["sgld", "vi", "mclmc", "mala"], SearchSpaceReader.Methods(Defaults, "search-spaces.conf"));
        var sgld = Read("sgld");
        Assert.Equal(new FloatParameter("eta0", 1e-6, 1e-1, Log: true), sgld["eta0"]);
        Assert.Equal(new FloatParameter("gamma", 0.3, 1.0), sgld["gamma"]);
        Assert.Equal(new object[] { 16, 32, 64, 128, 256 }, ((CategoricalParameter)sgld["batch"]).Choices);
        Assert.Equal(new object[] { "on", "off" }, ((CategoricalParameter)sgld["precond"]).Choices);
        Assert.Equal(new FixedParameter("b", 1.0), sgld["b"]);
        Assert.Equal(["eta0", "gamma", "batch", "precond"], sgld.Tunable.Select(p => p.Name));

        var vi = Read("vi");
        Assert.Equal(new FloatParameter("lr", 1e-5, 5e-2, Log: true), vi["lr"]);
        Assert.Equal(new object[] { 1, 4, 8, 16 }, ((CategoricalParameter)vi["mc_samples"]).Choices);
        Assert.Equal(new object[] { "meanfield", "fullrank" }, ((CategoricalParameter)vi["family"]).Choices);
        Assert.Equal(new object[] { "off", "sigmoid", "cosine" }, ((CategoricalParameter)vi["kl_anneal"]).Choices);
        Assert.Equal(new FloatParameter("step_size", 1e-5, 1e-1, Log: true), Read("mclmc")["step_size"]);
        Assert.Equal(new FloatParameter("target_accept", 0.70, 0.95), Read("mala")["target_accept"]);
    }

    [Fact]
    public void Study_file_overrides_one_field_pins_values_and_replaces_declarations()
    {
        var space = Read("sgld", """
            samplertune.search-spaces.sgld {
              eta0 { high = 1e-2 }
              gamma = 0.55
              batch { type = fixed, value = 64 }
              b { type = float, low = 1, high = 100, log = true }
            }
            """);
        Assert.Equal(new FloatParameter("eta0", 1e-6, 1e-2, Log: true), space["eta0"]);
        Assert.Equal(new FixedParameter("gamma", 0.55), space["gamma"]);
        Assert.Equal(new FixedParameter("batch", 64), space["batch"]);
        Assert.Equal(new FloatParameter("b", 1, 100, Log: true), space["b"]);
    }

    [Fact]
    public void Command_line_overrides_ranges_values_and_choices()
    {
        var space = Read("vi", null, "lr=1e-4..1e-2", "mc_samples=8", "family=meanfield|fullrank", "kl_anneal=off|cosine");
        Assert.Equal(new FloatParameter("lr", 1e-4, 1e-2, Log: true), space["lr"]);
        Assert.Equal(new FixedParameter("mc_samples", 8), space["mc_samples"]);
        Assert.Equal(new object[] { "off", "cosine" }, ((CategoricalParameter)space["kl_anneal"]).Choices);
        // A range on a categorical default becomes an integer range when both ends are integers.
        Assert.Equal(new IntParameter("mc_samples", 1, 32), Read("vi", null, "mc_samples=1..32")["mc_samples"]);
    }

    [Theory]
    [InlineData("eta0=1e-2..1e-5", "eta0", "inverted")]
    [InlineData("gamma=0.5..0.5", "gamma", "empty")]
    [InlineData("eta0=0..1e-2", "eta0", "strictly positive")]
    [InlineData("etaO=1e-3", "etaO", "unknown hyperparameter")]
    [InlineData("eta0", "eta0", "expected name=low..high")]
    public void Bad_command_line_overrides_are_refused_naming_the_key(string text, string key, string problem)
    {
        var e = Assert.Throws<ConfigError>(() => Read("sgld", null, text));
        Assert.Contains(key, e.Key);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Bad_study_files_are_refused_naming_file_key_and_allowed_values()
    {
        var unknown = Assert.Throws<ConfigError>(() => Read("sgld", "samplertune.search-spaces.sgld { eta1 = 0.1 }"));
        Assert.Equal("study.conf", unknown.File);
        Assert.Contains("allowed: eta0, gamma, b, batch, precond, alpha, lambda", unknown.Message);
        var field = Assert.Throws<ConfigError>(() => Read("sgld", "samplertune.search-spaces.sgld { eta0 { hihg = 1 } }"));
        Assert.Equal("sgld.eta0.hihg", field.Key);
        var method = Assert.Throws<ConfigError>(() => Read("sgld", "samplertune.search-spaces.sgdl { eta0 = 0.1 }"));
        Assert.Contains("unknown method", method.Message);
        var type = Assert.Throws<ConfigError>(() => Read("sgld", "samplertune.search-spaces.sgld { gamma { type = real } }"));
        Assert.Contains("allowed: float, int, categorical, fixed", type.Message);
        Assert.Throws<ConfigError>(() => Read("sgld", "samplertune.search-spaces.sgld { eta0 { low = -1 } }"));
        Assert.Throws<ConfigError>(() => Read("nuts"));
    }

    [Fact]
    public void Search_space_validation_refuses_bad_declarations()
    {
        Assert.Throws<ConfigError>(() => new SearchSpace([new IntParameter("n", 5, 1)]));
        Assert.Throws<ConfigError>(() => new SearchSpace([new IntParameter("n", 0, 10, Log: true)]));
        Assert.Throws<ConfigError>(() => new SearchSpace([new CategoricalParameter("c", [])]));
        Assert.Throws<ConfigError>(() => new SearchSpace([new CategoricalParameter("c", ["a", "a"])]));
        Assert.Throws<ConfigError>(() => new SearchSpace([new FloatParameter("x", 0, 1), new FloatParameter("x", 0, 2)]));
        Assert.Throws<ConfigError>(() => new SearchSpace([new FloatParameter("x", 0, double.PositiveInfinity)]));
    }
}

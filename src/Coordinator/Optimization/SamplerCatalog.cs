namespace SamplerTune.Coordinator.Optimization;

/// <summary>The optimizer's samplers by name, as studies and the CLI name them.</summary>
public static class SamplerCatalog
{
    public static readonly string[] Names = ["tpe", "gp", "random"];

    public static ISampler Create(string name, bool multivariate = false) => name switch
    {
        "tpe" => new Tpe(new TpeOptions(Multivariate: multivariate)),
        "gp" => new GaussianProcessEi(),
        "random" => new RandomSearch(),
        _ => throw new ArgumentException($"unknown sampler '{name}'; known: {string.Join(", ", Names)}"),
    };
}

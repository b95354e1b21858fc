namespace SamplerTune.Samplers.Methods;

/// <summary>The registry of methods under study; each family of methods adds its part.</summary>
public static partial class SamplingMethods
{
    /// <summary>Variational methods: <c>vi</c> (ADVI).</summary>
    public static IReadOnlyList<ISamplingMethod> VariationalMethods { get; } = [new AdviMethod()];
}

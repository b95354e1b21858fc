namespace SamplerTune.Samplers.Methods;

// Placeholder so the harness branch compiles; the vi branch provides the real list.
public static partial class SamplingMethods
{
    private static IReadOnlyList<ISamplingMethod> VariationalMethods => [];
}

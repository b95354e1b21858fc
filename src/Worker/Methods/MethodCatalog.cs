using SamplerTune.Samplers.Methods;

namespace SamplerTune.Worker.Methods;

/// <summary>The methods a worker can run: every method under study, plus the benchmark-only <see cref="NullMethod"/>.</summary>
public static class MethodCatalog
{
    public static ISamplingMethod? Find(string name) =>
        SamplingMethods.Find(name) ?? (name == NullMethod.MethodName ? NullMethod.Instance : null);
}

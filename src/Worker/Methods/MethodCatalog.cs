using SamplerTune.Samplers.Methods;

namespace SamplerTune.Worker.Methods;

/// <summary>The methods a worker can run: every method under study, plus the benchmark-only <see cref="NullMethod"/> and <see cref="SleepMethod"/>.</summary>
public static class MethodCatalog
{
    public static ISamplingMethod? Find(string name) =>
        SamplingMethods.Find(name) ?? name switch
        {
            NullMethod.MethodName => NullMethod.Instance,
            SleepMethod.MethodName => SleepMethod.Instance,
            _ => null,
        };
}

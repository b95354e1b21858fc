namespace SamplerTune.Samplers.Methods;

/// <summary>The single-chain gradient kernels under study: sgld, mala, mclmc.</summary>
public static partial class SamplingMethods
{
    public static IReadOnlyList<ISamplingMethod> KernelMethods { get; } = [new SgldMethod(), new MalaMethod(), new MclmcMethod()];
}

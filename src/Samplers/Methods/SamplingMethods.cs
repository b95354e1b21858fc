namespace SamplerTune.Samplers.Methods;

/// <summary>
/// Every method under study, by name. The kernel methods (sgld, mala, mclmc) and the variational
/// ones (vi) are listed in their own partial files, so each family registers itself beside its code.
/// </summary>
public static partial class SamplingMethods
{
    public static IReadOnlyList<ISamplingMethod> All => [.. KernelMethods, .. VariationalMethods];

    /// <summary>The method called <paramref name="name"/> (exact, case-sensitive, as in manifests), or null.</summary>
    public static ISamplingMethod? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <summary>The registered names, for "allowed: ..." error messages.</summary>
    public static string Names => All.Count == 0 ? "none registered" : string.Join(", ", All.Select(m => m.Name));
}

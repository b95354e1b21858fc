using SamplerTune.Coordinator.Optimization;
using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Coordinator.Studies;

/// <summary>
/// Checks a study's search space against the method's own hyperparameter domains before any trial is asked, so a value
/// the method would refuse (sgld batch = 0, vi family = diagonal) is a config error naming the file, method, parameter
/// and allowed values. Every value the optimizer can propose is probed with the method's own parsing
/// (<see cref="Hyperparameters.Create"/>): each choice or pinned value, and both ends of a range (domains are intervals).
/// </summary>
public static class SearchSpaceDomain
{
    public static void Check(SearchSpace space, ISamplingMethod method, string source)
    {
        foreach (var p in space.Parameters)
        {
            string key = $"{SearchSpaceReader.RootPath}.{method.Name}.{p.Name}";
            var spec = method.HyperparameterSpecs.FirstOrDefault(s => s.Name == p.Name)
                ?? throw new ConfigError(source, key, $"not a hyperparameter of {method.Name}; allowed: {string.Join(", ", method.HyperparameterSpecs.Select(s => s.Name))}");
            string allowed = $"{method.Name}'s {p.Name} must be {spec.DomainText}";
            if (p is FloatParameter && spec.Kind != HyperparameterKind.Real || p is IntParameter && spec.Kind == HyperparameterKind.Categorical)
                throw new ConfigError(source, key, $"{p.Describe()} can propose values outside the domain: {allowed}");
            foreach (var value in Probes(p))
                if (!Accepts(method, p.Name, value))
                    throw new ConfigError(source, key, $"{p.Describe()} contains {Parameter.Format(value)}, which {method.Name} refuses: {allowed}");
        }
    }

    private static IEnumerable<object> Probes(Parameter p) => p switch
    {
        FloatParameter f => [f.Low, f.High],
        IntParameter i => [i.Low, i.High],
        CategoricalParameter c => c.Choices,
        FixedParameter x => [x.Value],
        _ => throw new ArgumentException($"unknown parameter kind {p.GetType().Name}"),
    };

    private static bool Accepts(ISamplingMethod method, string name, object value)
    {
        try
        {
            Hyperparameters.Create(method, new Dictionary<string, string> { [name] = TrialPlanner.ParamText(value) });
            return true;
        }
        catch (SpecError) { return false; }
    }
}

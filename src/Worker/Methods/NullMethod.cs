using System.Text.Json.Nodes;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Worker.Methods;

/// <summary>
/// A method that finishes at once with no draws (scored with the penalty), for measuring the overhead of the actor
/// path in <c>samplertune bench dispatch</c>. Not in <see cref="SamplingMethods.All"/>: studies never tune it.
/// </summary>
public sealed class NullMethod : ISamplingMethod
{
    public const string MethodName = "null";
    public static readonly NullMethod Instance = new();

    public string Name => MethodName;
    public string Description => "returns at once without sampling (benchmarks only)";
    public IReadOnlyList<HyperparameterSpec> HyperparameterSpecs { get; } =
        [new("x", HyperparameterKind.Real, 0.5, "an unused number, so the optimizer has something to propose", 0, 1)];

    public IMethodRun Start(IPosterior posterior, Hyperparameters hyperparameters, ulong seed) => new Run(posterior);
    public IMethodRun Resume(IPosterior posterior, Hyperparameters hyperparameters, JsonNode checkpoint) => new Run(posterior);

    private sealed class Run(IPosterior posterior) : IMethodRun
    {
        public void Advance(long gradientEvaluations) { }
        public long GradientEvaluations => 0;
        public bool Finished => true;
        public string? DivergenceReason => null;
        public ChainDraws Draws() => new(posterior.ParameterNames, [], new Dictionary<string, IReadOnlyList<double[]>>());
        public IReadOnlyDictionary<string, double> Diagnostics() => new Dictionary<string, double>();
        public JsonNode Checkpoint() => new JsonObject();
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Worker.Methods;

/// <summary>
/// A method that waits a fixed wall-clock time and then returns a few draws, for <c>samplertune bench scale</c>: a trial
/// costs the same on any machine and almost no CPU, so trials per second against worker count measures the
/// distribution overhead alone. The wait is cut into short naps (one per <see cref="IMethodRun.Advance"/> call) so the
/// run harness sees cancellation and budgets between them. Not in <see cref="SamplingMethods.All"/>: studies never tune it.
/// </summary>
public sealed class SleepMethod : ISamplingMethod
{
    public const string MethodName = "sleep";
    public static readonly SleepMethod Instance = new();

    /// <summary>Longest nap per Advance call: MethodRunner checks cancellation between calls.</summary>
    public static readonly TimeSpan Nap = TimeSpan.FromMilliseconds(50);
    private const int DrawCount = 100;

    public string Name => MethodName;
    public string Description => "sleeps a fixed wall-clock time, then returns a few draws (benchmarks only)";
    public IReadOnlyList<HyperparameterSpec> HyperparameterSpecs { get; } =
    [
        new("seconds", HyperparameterKind.Real, 1.0, "wall-clock seconds each run sleeps", 0, 3600),
        new("x", HyperparameterKind.Real, 0.5, "an unused number, so the optimizer has something to propose (a study of identical trials ends at once)", 0, 1),
    ];

    public IMethodRun Start(IPosterior posterior, Hyperparameters hyperparameters, ulong seed) =>
        new Run(posterior, hyperparameters.Real("seconds"), 0, seed);

    public IMethodRun Resume(IPosterior posterior, Hyperparameters hyperparameters, JsonNode checkpoint) =>
        new Run(posterior, hyperparameters.Real("seconds"), checkpoint["slept"]!.GetValue<double>(), checkpoint["seed"]!.GetValue<ulong>());

    private sealed class Run(IPosterior posterior, double seconds, double sleptBefore, ulong seed) : IMethodRun
    {
        private readonly Stopwatch _clock = new();
        private long _naps;

        private double Slept => sleptBefore + _clock.Elapsed.TotalSeconds;

        public void Advance(long gradientEvaluations)
        {
            if (Finished) return;
            _clock.Start();
            var left = TimeSpan.FromSeconds(seconds - Slept);
            Thread.Sleep(left < Nap ? left : Nap);
            _clock.Stop();
            _naps++;
        }

        public long GradientEvaluations => _naps;
        public bool Finished => Slept >= seconds;
        public string? DivergenceReason => null;

        /// <summary>Exact draws when the posterior has an exact sampler (gaussian_mean does), so the run scores; otherwise none.</summary>
        public ChainDraws Draws()
        {
            if (!Finished || posterior is not IExactSampler exact)
                return new ChainDraws(posterior.ParameterNames, [], new Dictionary<string, IReadOnlyList<double[]>>());
            int p = posterior.ParameterNames.Count;
            var rng = new Rng(seed);
            var chain = new double[DrawCount * p];
            for (int i = 0; i < DrawCount; i++) exact.SampleConstrained(rng, chain.AsSpan(i * p, p));
            return new ChainDraws(posterior.ParameterNames, [chain], new Dictionary<string, IReadOnlyList<double[]>>());
        }

        public IReadOnlyDictionary<string, double> Diagnostics() => new Dictionary<string, double> { ["slept_sec"] = Slept };
        public JsonNode Checkpoint() => new JsonObject { ["slept"] = Slept, ["seed"] = seed };
    }
}

using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>Independent uniform draws in each parameter's internal scale (Optuna's RandomSampler); also the start-up design of TPE and GP.</summary>
public sealed class RandomSearch : ISampler
{
    public string Name => "random";

    public AskResult Ask(SearchSpace space, IReadOnlyList<Trial> history, int count, Rng rng) =>
        BatchProposer.Run(space, history, count, rng, _ => Draw(space, rng));

    internal static double[] Draw(SearchSpace space, Rng rng)
    {
        var x = new double[space.Tunable.Count];
        for (int j = 0; j < x.Length; j++) x[j] = space.Tunable[j].SampleInternal(rng);
        return x;
    }
}

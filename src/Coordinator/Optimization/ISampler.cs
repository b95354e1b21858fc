using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// The one contract of the optimizer's samplers (after Optuna's BaseSampler): propose <paramref name="count"/>
/// configurations given the whole trial history. Implementations keep no state between calls, so the same space,
/// history and Rng state always give the same proposals; a study is exactly its event log.
/// </summary>
public interface ISampler
{
    string Name { get; }

    AskResult Ask(SearchSpace space, IReadOnlyList<Trial> history, int count, Rng rng);
}

/// <summary>
/// Proposals of one ask (each maps every parameter, fixed ones included, to its value). Fewer than asked when the
/// discrete space is exhausted: every configuration has already been tried or is pending.
/// <see cref="DuplicatesReplaced"/> counts model proposals that repeated a tried configuration and were replaced by an untried one.
/// </summary>
public sealed record AskResult(IReadOnlyList<IReadOnlyDictionary<string, object>> Proposals, bool SpaceExhausted, int DuplicatesReplaced);

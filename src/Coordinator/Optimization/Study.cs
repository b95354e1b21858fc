using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// Ask-and-tell over a trial history and nothing else: the state a persistent StudyActor rebuilds by replaying
/// TrialAsked / TrialCompleted / TrialFailed / TrialPruned. The Rng of an ask is derived from (study seed, number of
/// trials asked so far), so a replayed study proposes exactly the trials the live one would have.
/// </summary>
public sealed class Study(SearchSpace space, ISampler sampler, ulong seed, IEnumerable<Trial>? history = null)
{
    private readonly List<Trial> _trials = history?.OrderBy(t => t.Number).ToList() ?? [];

    public SearchSpace Space { get; } = space;
    public ISampler Sampler { get; } = sampler;
    public ulong Seed { get; } = seed;
    public IReadOnlyList<Trial> Trials => _trials;

    /// <summary>The generator of the ask made after <paramref name="askedSoFar"/> trials.</summary>
    public static Rng AskRng(ulong seed, int askedSoFar) => Rng.ForStream(seed, (ulong)askedSoFar);

    /// <summary>Asks for <paramref name="count"/> trials and records them as pending; fewer when the space is exhausted.</summary>
    public (IReadOnlyList<Trial> Trials, AskResult Result) Ask(int count)
    {
        var result = Sampler.Ask(Space, _trials, count, AskRng(Seed, _trials.Count));
        var asked = new List<Trial>(result.Proposals.Count);
        foreach (var p in result.Proposals)
        {
            var t = Trial.Pending(_trials.Count, p);
            _trials.Add(t);
            asked.Add(t);
        }
        return (asked, result);
    }

    public void Tell(int number, double objective) => Replace(number, t => t.Completed(objective));
    public void Fail(int number) => Replace(number, t => t.AsFailed());
    public void Prune(int number, double? lastValue = null) => Replace(number, t => t.AsPruned(lastValue));

    public Trial? Best => _trials.Where(t => t.State == TrialState.Complete && t.Objective is { } v && !double.IsNaN(v))
        .OrderBy(t => t.Objective).ThenBy(t => t.Number).FirstOrDefault();

    private void Replace(int number, Func<Trial, Trial> change)
    {
        if (number < 0 || number >= _trials.Count || _trials[number].Number != number)
            throw new ArgumentException($"no trial {number} in this study");
        if (_trials[number].State != TrialState.Pending)
            throw new InvalidOperationException($"trial {number} was already told ({_trials[number].State})");
        _trials[number] = change(_trials[number]);
    }
}

using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// The ask loop shared by the samplers: proposes one configuration at a time, adds it to the working history as
/// pending (so constant-liar TPE and kriging-believer GP spread a batch), and keeps a finite discrete space from
/// proposing a tried configuration again: a repeat is replaced by an untried configuration, and when none is left
/// the ask stops short and reports the space exhausted instead of re-running the same trials endlessly.
/// </summary>
internal static class BatchProposer
{
    private const long EnumerationLimit = 1_000_000;
    private const int RandomRetries = 1000;

    public static AskResult Run(SearchSpace space, IReadOnlyList<Trial> history, int count, Rng rng,
        Func<EncodedHistory, double[]> proposeNext)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var encoded = EncodedHistory.From(space, history);
        long? cardinality = space.Cardinality;
        var tried = new HashSet<string>(StringComparer.Ordinal);
        if (cardinality is not null)
            foreach (var t in history) if (t.State != TrialState.Failed) tried.Add(space.Key(t.Params));

        var proposals = new List<IReadOnlyDictionary<string, object>>(count);
        int replaced = 0;
        bool exhausted = false;
        for (int i = 0; i < count; i++)
        {
            double[] x = proposeNext(encoded);
            var proposal = space.Decode(x);
            if (cardinality is { } card)
            {
                string key = space.Key(proposal);
                if (tried.Contains(key))
                {
                    var untried = FindUntried(space, card, tried, rng);
                    if (untried is null) { exhausted = true; break; }
                    proposal = untried;
                    key = space.Key(proposal);
                    replaced++;
                }
                tried.Add(key);
            }
            var internalX = new double[space.Tunable.Count];
            space.TryEncode(proposal, internalX);
            encoded.Add(internalX, TrialState.Pending, null);
            proposals.Add(proposal);
        }
        return new AskResult(proposals, exhausted, replaced);
    }

    private static Dictionary<string, object>? FindUntried(SearchSpace space, long cardinality, HashSet<string> tried, Rng rng)
    {
        var x = new double[space.Tunable.Count];
        if (cardinality <= EnumerationLimit)
        {
            if (tried.Count >= cardinality) return null;
            // Walk the configurations in mixed-radix order from a random start: deterministic given the Rng.
            long start = (long)(rng.NextDouble() * cardinality);
            for (long k = 0; k < cardinality; k++)
            {
                long index = (start + k) % cardinality;
                for (int j = space.Tunable.Count - 1; j >= 0; j--)
                {
                    var p = space.Tunable[j];
                    long radix = p.Cardinality!.Value;
                    long digit = index % radix;
                    index /= radix;
                    x[j] = p switch
                    {
                        IntParameter ip => p.ToInternal(ip.Low + (int)digit),
                        _ => digit,
                    };
                }
                var candidate = space.Decode(x);
                if (!tried.Contains(space.Key(candidate))) return candidate;
            }
            return null;
        }
        for (int r = 0; r < RandomRetries; r++)
        {
            for (int j = 0; j < x.Length; j++) x[j] = space.Tunable[j].SampleInternal(rng);
            var candidate = space.Decode(x);
            if (!tried.Contains(space.Key(candidate))) return candidate;
        }
        return null;
    }
}

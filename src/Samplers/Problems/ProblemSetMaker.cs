using System.Globalization;
using SamplerTune.Samplers.Common;

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// Chooses a diverse set of k problems: one of each requested family at its defaults first
/// (data from the seed), then further rounds that vary every size field (dimension, data count,
/// groups) by a seeded factor of 1, 2 or 4 and draw new data, until k distinct specs exist.
/// </summary>
public static class ProblemSetMaker
{
    /// <summary>The teacher families <c>problems make</c> uses when none are named.</summary>
    public static IReadOnlyList<string> DefaultFamilies { get; } =
        ["gaussian_mean", "logistic_correlated", "gaussian_mixture", "funnel", "banana", "hierarchical", "probit_cauchy"];

    /// <summary>Most problems one set may have: each gets its own reference and a study per method.</summary>
    public const int MaxProblems = 100;

    /// <summary>Largest seed: data seeds are seed + round and must stay a non-negative int.</summary>
    public const int MaxSeed = 1_000_000_000;

    public static IReadOnlyList<ProblemSpec> Make(int k, IReadOnlyList<string>? familyNames, int seed)
    {
        if (k is < 1 or > MaxProblems) throw new SpecError($"--k must be from 1 to {MaxProblems} (problems in one set), got {k}");
        if (seed is < 0 or > MaxSeed) throw new SpecError($"--seed must be from 0 to {MaxSeed}, got {seed}");
        var names = familyNames is { Count: > 0 } ? familyNames : DefaultFamilies;
        var families = names.Select(n => ProblemFamilies.Find(n)
            ?? throw new SpecError($"--families: unknown family '{n}' (allowed: {ProblemFamilies.Names})")).ToList();
        foreach (var f in families.Where(f => f.Data == DataRequirement.Required))
            throw new SpecError($"--families: family {f.Name} needs a data file; add it with 'problems add --family {f.Name} --data FILE'");

        var specs = new List<ProblemSpec>();
        var seen = new HashSet<string>();
        // Families without size fields have a single member; stop when a whole round adds nothing new.
        for (int round = 0, idleRounds = 0; specs.Count < k && idleRounds < 8; round++)
        {
            int before = specs.Count;
            foreach (var family in families)
            {
                if (specs.Count >= k) break;
                var spec = ProblemSpec.Create(family.Name, Variation(family, round, seed), null, "problems make");
                if (seen.Add(spec.Pid)) specs.Add(spec);
            }
            idleRounds = specs.Count == before ? idleRounds + 1 : 0;
        }
        if (specs.Count < k)
            throw new SpecError($"--k {k}: the families {string.Join(", ", names)} only yield {specs.Count} distinct problems");
        return specs;
    }

    private static Dictionary<string, string> Variation(ProblemFamily family, int round, int seed)
    {
        var raw = new Dictionary<string, string>();
        if (family.Fields.Any(f => f.Name == "data_seed"))
            raw["data_seed"] = (seed + round).ToString(CultureInfo.InvariantCulture);
        if (round == 0) return raw;
        var rng = Rng.ForStream((ulong)seed, (ulong)round << 32 ^ StableHash(family.Name));
        foreach (var f in family.Fields.Where(f => f.Kind == FieldKind.Int && f.Name != "data_seed" && f.Default is int))
        {
            double scaled = (int)f.Default! * Math.Pow(2, rng.NextInt(3));
            raw[f.Name] = ((int)Math.Clamp(scaled, f.Min, f.Max)).ToString(CultureInfo.InvariantCulture);
        }
        return raw;
    }

    // string.GetHashCode is randomized per process; specs must be the same on every run (FNV-1a).
    private static ulong StableHash(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in s) h = (h ^ c) * 1099511628211UL;
        return h;
    }
}

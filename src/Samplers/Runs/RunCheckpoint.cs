using System.Text.Json.Nodes;

namespace SamplerTune.Samplers.Runs;

/// <summary>
/// checkpoint.json: the method's own checkpoint (state, RNG, optimizer, stored draws) plus what the harness
/// needs to continue the budget: the wall-clock seconds already spent over all earlier sessions.
/// </summary>
public sealed record RunCheckpoint(
    string Rid,
    double ElapsedSec,
    long GradEvals,
    int Sessions,
    JsonNode MethodState,
    DateTimeOffset WrittenUtc);

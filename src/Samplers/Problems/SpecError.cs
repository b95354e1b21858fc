namespace SamplerTune.Samplers.Problems;

/// <summary>A user error in a problem spec or data file; the CLI prints the message as one line and exits 2.</summary>
public sealed class SpecError(string message) : Exception(message);

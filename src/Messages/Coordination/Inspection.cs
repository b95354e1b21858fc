namespace SamplerTune.Messages.Coordination;

/// <summary>
/// <c>samplertune inspect</c> asks the coordinator node's inspection endpoint (over Akka remoting) for one verb, e.g.
/// <c>cluster show</c> or <c>studies</c>; <paramref name="Args"/> are the words after the verb.
/// </summary>
public sealed record InspectRequest(string Verb, IReadOnlyList<string> Args) : ICoordinationMessage;

/// <summary>The answer, rendered on the coordinator node; <paramref name="Ok"/> false means the request was refused (the text says why).</summary>
public sealed record InspectReply(bool Ok, string Text) : ICoordinationMessage;

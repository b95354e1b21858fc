using System.Collections.Immutable;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Messages.Studies;

namespace SamplerTune.Coordinator.Studies;

/// <summary>
/// A study as the fold of its events: recovery and live handling both go through <see cref="Apply"/>, so a replayed
/// study is exactly the live one. Trials are stored by number (trial n at index n).
/// </summary>
public sealed record StudyState(StudyCreated? Created, ImmutableList<TrialSnapshot> Trials)
{
    public const string Pending = "pending", Complete = "complete", Failed = "failed", Pruned = "pruned";

    public static StudyState Empty { get; } = new(null, ImmutableList<TrialSnapshot>.Empty);

    public int Asked => Trials.Count;
    public int PendingCount => Trials.Count(t => t.State == Pending);
    public int DoneCount => Trials.Count(t => t.State != Pending);
    public int FailedCount => Trials.Count(t => t.State == Failed);
    public int PrunedCount => Trials.Count(t => t.State == Pruned);
    public int StaleCount => Trials.Count(t => t.Stale);

    /// <summary>Completed trials whose objective was last checked against a reference older than <paramref name="version"/>.</summary>
    public bool HasTrialsScoredBefore(int version) => Trials.Any(t => t.State == Complete && t.ReferenceVersion < version);
    public bool FinishedAt(int trialBudget) => Asked >= trialBudget && PendingCount == 0;

    /// <summary>The journaled trial budget (lowered when a finite space is exhausted), or <paramref name="planned"/> before the study exists.</summary>
    public int TrialBudgetOr(int planned) => Created?.TrialBudget ?? planned;

    public TrialSnapshot? Best => Trials.Where(t => t.State == Complete && t.Objective is { } v && !double.IsNaN(v))
        .OrderBy(t => t.Objective).ThenBy(t => t.Number).FirstOrDefault();

    /// <summary>The pending trial measured by run <paramref name="rid"/>, or null (unknown, or already told).</summary>
    public TrialSnapshot? PendingByRid(string rid) => Trials.FirstOrDefault(t => t.Rid == rid && t.State == Pending);

    public StudyState Apply(IStudyEvent e) => e switch
    {
        StudyCreated c => Created is null ? this with { Created = c } : throw Invalid(e, "the study was already created"),
        TrialAsked a => a.Number == Trials.Count
            ? this with { Trials = Trials.Add(new TrialSnapshot(a.Number, a.Params, a.Rid, a.ManifestJson, Pending, null, null, null, 0, null, a.AskedUtc, null)) }
            : throw Invalid(e, $"expected trial number {Trials.Count}"),
        TrialCompleted c => Change(c.Number, e, t => t with
        {
            State = Complete, Objective = c.Objective, RunStatus = c.RunStatus, Summary = c.Summary, FinishedUtc = c.CompletedUtc, ReferenceVersion = c.ReferenceVersion,
            ScoredReferenceVersion = c.ReferenceVersion,
        }),
        TrialFailed f => Change(f.Number, e, t => t with { State = Failed, Objective = null, Reason = f.Reason, Attempt = f.Attempt, FinishedUtc = f.FailedUtc }),
        TrialRequeued r => Change(r.Number, e, t => t with { Attempt = r.Attempt }, mustBePending: true),
        TrialPruned p => Change(p.Number, e, t => t with { State = Pruned, Objective = p.LastValue, FinishedUtc = DateTimeOffset.UtcNow }),
        TrialRescored r => Change(r.Number, e, t => t with
        {
            Objective = r.Objective, ReferenceVersion = r.ReferenceVersion, Stale = r.Stale,
            ScoredReferenceVersion = r.Stale ? t.ScoredReferenceVersion : r.ReferenceVersion,
        },
            mustBePending: false, mustBeComplete: true),
        // The current budget lives in Created, so status, reports and snapshots all show it.
        TrialBudgetChanged b => Created is not null ? this with { Created = Created with { TrialBudget = b.TrialBudget } } : throw Invalid(e, "the study was not created"),
        StudySnapshot s => new StudyState(s.Created, s.Trials.ToImmutableList()),
        _ => throw Invalid(e, "unknown event"),
    };

    public StudySnapshot ToSnapshot() => new(Created ?? throw new InvalidOperationException("no study to snapshot"), Trials);

    /// <summary>The optimizer's view of the history.</summary>
    public IEnumerable<Trial> OptimizerTrials() => Trials.Select(t => new Trial(t.Number, t.Params, t.State switch
    {
        Pending => TrialState.Pending,
        Complete => TrialState.Complete,
        Pruned => TrialState.Pruned,
        _ => TrialState.Failed,
    }, t.Objective));

    private StudyState Change(int c, IStudyEvent e, Func<TrialSnapshot, TrialSnapshot> change, bool mustBePending = true, bool mustBeComplete = false)
    {
        if (c < 0 || c >= Trials.Count) throw Invalid(e, $"no trial {c}");
        var t = Trials[c];
        if (mustBePending && t.State != Pending) throw Invalid(e, $"trial {c} was already told ({t.State})");
        if (mustBeComplete && t.State != Complete) throw Invalid(e, $"trial {c} is {t.State}, not complete");
        return this with { Trials = Trials.SetItem(c, change(t)) };
    }

    private InvalidOperationException Invalid(IStudyEvent e, string why) =>
        new($"study {Created?.Study ?? "(not created)"}: event {e.GetType().Name} does not apply: {why}");
}

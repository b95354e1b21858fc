using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Messages.Studies;
using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Studies;

/// <summary>
/// Reads every study from the journal without running it ('status', 'export'): the current events of each
/// <c>study-*</c> persistence id, folded with <see cref="StudyState.Apply"/> exactly as a StudyActor recovers.
/// </summary>
public static class StudyJournal
{
    // The plugin's read journal asks its write journal for state with a fixed 5 s timeout while it is
    // constructed; on a loaded machine (SQLite start-up, JIT) that first ask can miss, so try again.
    private static SqlReadJournal OpenReadJournal(ActorSystem system)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
            }
            catch (Exception e) when (attempt < 4 && e.GetBaseException() is AskTimeoutException)
            {
            }
        }
    }

    public static IReadOnlyList<StudyState> ReadAll(ExperimentsLayout layout, TimeSpan? timeout = null)
    {
        if (!File.Exists(layout.Journal)) return [];
        var config = ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING").WithFallback(AkkaConfig.For(layout));
        using var system = ActorSystem.Create("samplertune-journal", config);
        try
        {
            var journal = OpenReadJournal(system);
            var materializer = system.Materializer();
            var wait = timeout ?? TimeSpan.FromSeconds(60);
            var idList = journal.CurrentPersistenceIds().RunWith(Sink.Seq<string>(), materializer).Result
                .Where(id => id.StartsWith("study-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            var states = new List<StudyState>();
            foreach (var id in idList)
            {
                var events = journal.CurrentEventsByPersistenceId(id, 0, long.MaxValue).RunWith(Sink.Seq<EventEnvelope>(), materializer);
                if (!events.Wait(wait)) throw new TimeoutException($"reading {id} from {layout.Journal} took longer than {wait}");
                var state = StudyState.Empty;
                foreach (var e in events.Result)
                {
                    if (e.Event is not IStudyEvent se)
                        throw new InvalidDataException($"{id}, sequence number {e.SequenceNr}: not a study event ({e.Event?.GetType().Name})");
                    state = state.Apply(se);
                }
                if (state.Created is not null) states.Add(state);
            }
            return states;
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }
}

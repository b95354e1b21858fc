using System.Data.Common;
using Akka.Configuration;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Interceptors;

namespace SamplerTune.Coordinator.Configuration;

/// <summary>
/// The connections the journal and the snapshot store write through, opened with <c>PRAGMA synchronous=NORMAL</c>.
/// In WAL mode a commit is then an append to the WAL without an fsync: a crash of the process loses nothing (the
/// appended pages are in the OS's cache and are replayed when the database is opened), a power loss can lose the last
/// commits but never corrupts the file. At the default (FULL) every commit waits for its own fsync, which on a shared
/// disk is most of the time a trial spends in the journal.
/// </summary>
public static class JournalConnections
{
    public const string JournalPlugin = "akka.persistence.journal.sql";
    public const string SnapshotPlugin = "akka.persistence.snapshot-store.sql";

    /// <summary>Data options for both plugins, with the connection strings and provider of <paramref name="config"/>.</summary>
    public static MultiDataOptionsSetup Setup(Config config)
    {
        var setup = new MultiDataOptionsSetup();
        foreach (var plugin in new[] { JournalPlugin, SnapshotPlugin })
            setup.AddDataOptions(plugin, Options(config.GetString($"{plugin}.provider-name"), config.GetString($"{plugin}.connection-string")));
        return setup;
    }

    public static DataOptions Options(string provider, string connectionString) =>
        new DataOptions().UseConnectionString(provider, connectionString).UseInterceptor(SynchronousNormal.Instance);

    private sealed class SynchronousNormal : ConnectionInterceptor
    {
        public static readonly SynchronousNormal Instance = new();

        public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => Apply(connection);

        public override Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL;";
            command.ExecuteNonQuery();
        }
    }
}

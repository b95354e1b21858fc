using Akka.Configuration;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;
using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Configuration;

/// <summary>
/// The actor system's configuration: the node files (local.conf, ...) over akka.conf over cluster.conf over the
/// SamplerTune node settings, with the journal and snapshot files of the experiments folder, and the
/// Akka.Persistence.Sql plugin's defaults as the last fallback.
/// </summary>
public static class AkkaConfig
{
    public static Config For(ExperimentsLayout layout, params string[] nodeFiles)
    {
        Directory.CreateDirectory(layout.Root);
        EnableWriteAheadLog(layout.Journal);
        EnableWriteAheadLog(layout.Snapshots);
        var paths = ConfigurationFactory.ParseString($$"""
            akka.persistence.journal.sql.connection-string = "{{ConnectionString(layout.Journal)}}"
            akka.persistence.query.journal.sql.connection-string = "{{ConnectionString(layout.Journal)}}"
            akka.persistence.snapshot-store.sql.connection-string = "{{ConnectionString(layout.Snapshots)}}"
            """);
        var config = paths;
        foreach (var f in nodeFiles) config = config.WithFallback(HoconFiles.Embedded(f));
        return config
            .WithFallback(HoconFiles.Embedded("akka.conf"))
            .WithFallback(HoconFiles.Embedded("cluster.conf"))
            .WithFallback(HoconFiles.Embedded("coordinator.conf"))
            .WithFallback(HoconFiles.Embedded("worker.conf"))
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    public static string ConnectionString(string dbFile) => $"Data Source={dbFile.Replace("\\", "/")}";

    /// <summary>
    /// WAL lets readers ('status') work beside the writer and makes each commit one append; the mode is stored in the
    /// database file, so setting it once at start-up is enough.
    /// </summary>
    public static void EnableWriteAheadLog(string dbFile)
    {
        using var connection = new SqliteConnection(ConnectionString(dbFile));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}

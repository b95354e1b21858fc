using LinqToDB;
using LinqToDB.Data;
using SamplerTune.Coordinator.Configuration;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Actors;

public class JournalConnectionsTests
{
    private static long Synchronous(DataOptions options)
    {
        using var db = new DataConnection(options);
        return db.Execute<long>("PRAGMA synchronous;");
    }

    [Fact]
    public void JournalConnectionsCommitWithoutWaitingForFsync()
    {
        var file = Path.Combine(Path.GetTempPath(), "samplertune-tests", $"journal-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        AkkaConfig.EnableWriteAheadLog(file);
        var cs = AkkaConfig.ConnectionString(file);
        Assert.Equal(2, Synchronous(new DataOptions().UseConnectionString(ProviderName.SQLiteMS, cs))); // FULL: SQLite's default
        Assert.Equal(1, Synchronous(JournalConnections.Options(ProviderName.SQLiteMS, cs))); // NORMAL
    }
}

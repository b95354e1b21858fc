using SamplerTune.Worker.Cluster;

namespace SamplerTune.Coordinator.Hosting;

/// <summary>Keeps experiments/cluster/seed.json fresh: rewrites its heartbeat every interval until disposed or finished.</summary>
public sealed class SeedHeartbeat : IDisposable
{
    private readonly string _path;
    private readonly Timer _timer;
    private readonly object _gate = new();
    private SeedFile _seed;

    public SeedHeartbeat(string path, SeedFile seed, TimeSpan interval)
    {
        _path = path;
        _seed = seed;
        _seed.Write(_path);
        _timer = new Timer(_ => Beat(), null, interval, interval);
    }

    private void Beat()
    {
        lock (_gate)
        {
            _seed = _seed with { HeartbeatUtc = DateTimeOffset.UtcNow };
            try { _seed.Write(_path); }
            catch (IOException) { /* a full or flaky shared disk: the next beat tries again */ }
        }
    }

    /// <summary>Marks the seed finished, so workers that start later leave at once instead of waiting.</summary>
    public void MarkFinished()
    {
        lock (_gate)
        {
            _seed = _seed with { Finished = true, HeartbeatUtc = DateTimeOffset.UtcNow };
            _seed.Write(_path);
        }
    }

    public void Dispose() => _timer.Dispose();
}

using System.Collections.Concurrent;

namespace SamplerTune.Worker.Runs;

/// <summary>
/// Values read from a file, kept per process and keyed by the file's write time, so a rewritten file is read again.
/// Concurrent callers of one key share one read; a read that throws is not remembered, so the next call tries again.
/// </summary>
public sealed class FileStampedCache<TKey, TValue> where TKey : notnull
{
    private readonly ConcurrentDictionary<(TKey, DateTime), Lazy<TValue>> _entries = new();

    public TValue Get(TKey key, string file, Func<TValue> read)
    {
        var stamped = (key, File.GetLastWriteTimeUtc(file));
        var entry = _entries.GetOrAdd(stamped, _ => new Lazy<TValue>(read));
        try { return entry.Value; }
        catch
        {
            _entries.TryRemove(new KeyValuePair<(TKey, DateTime), Lazy<TValue>>(stamped, entry));
            throw;
        }
    }
}

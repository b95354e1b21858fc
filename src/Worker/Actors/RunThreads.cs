namespace SamplerTune.Worker.Actors;

/// <summary>
/// A worker's dedicated run threads. Each run has a thread to itself for as long as it runs (never a thread-pool thread,
/// which actors and the journal share), but a thread whose run returned waits up to the idle timeout for the next run
/// instead of exiting: starting a thread costs milliseconds on a loaded machine, more than a short run. A run that never
/// returns (abandoned after its grace period) keeps its thread; the next run simply gets another one.
/// </summary>
public sealed class RunThreads(TimeSpan idleTimeout)
{
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(10);

    private readonly System.Collections.Concurrent.ConcurrentStack<IdleThread> _idle = new();

    public RunThreads() : this(DefaultIdleTimeout) { }

    private sealed class IdleThread
    {
        public readonly SemaphoreSlim Handed = new(0);
        public Action? Work;
        public bool Retired;
    }

    /// <summary>Runs <paramref name="work"/> on an idle run thread, or on a new one when none is idle.</summary>
    public void Start(Action work)
    {
        while (_idle.TryPop(out var idle))
        {
            lock (idle)
            {
                if (idle.Retired) continue; // it timed out between being pushed and popped
                idle.Work = work;
            }
            idle.Handed.Release();
            return;
        }
        new Thread(() => Serve(work)) { IsBackground = true, Name = "run" }.Start();
    }

    private void Serve(Action work)
    {
        var self = new IdleThread();
        while (true)
        {
            work();
            self.Work = null;
            _idle.Push(self);
            if (!self.Handed.Wait(idleTimeout))
            {
                lock (self)
                {
                    if (self.Work is null)
                    {
                        self.Retired = true;
                        return;
                    }
                }
                self.Handed.Wait(); // handed a run just as it timed out: the release is on its way
            }
            work = self.Work!;
        }
    }
}

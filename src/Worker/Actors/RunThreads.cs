namespace SamplerTune.Worker.Actors;

/// <summary>
/// The dedicated threads runs execute on. Each run has a thread to itself for as long as it runs (never a thread-pool
/// thread, which actors and the journal share), but a thread whose run returned waits up to <see cref="IdleTimeout"/>
/// for the next run instead of exiting: starting a thread costs milliseconds on a loaded machine, more than a short run.
/// A run that never returns (abandoned after its grace period) keeps its thread; the next run simply gets another one.
/// </summary>
public static class RunThreads
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);

    private static readonly System.Collections.Concurrent.ConcurrentStack<IdleThread> Idle = new();

    private sealed class IdleThread
    {
        public readonly SemaphoreSlim Handed = new(0);
        public Action? Work;
        public bool Retired;
    }

    /// <summary>Runs <paramref name="work"/> on an idle run thread, or on a new one when none is idle.</summary>
    public static void Start(Action work)
    {
        while (Idle.TryPop(out var idle))
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

    private static void Serve(Action work)
    {
        var self = new IdleThread();
        while (true)
        {
            work();
            self.Work = null;
            Idle.Push(self);
            if (!self.Handed.Wait(IdleTimeout))
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

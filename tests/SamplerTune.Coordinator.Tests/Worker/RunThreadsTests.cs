using SamplerTune.Worker.Actors;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Worker;

public class RunThreadsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static Thread RunAndWait(RunThreads threads, Action? inside = null)
    {
        var ran = new TaskCompletionSource<Thread>();
        threads.Start(() =>
        {
            inside?.Invoke();
            ran.SetResult(Thread.CurrentThread);
        });
        Assert.True(ran.Task.Wait(Wait), "the run did not run");
        return ran.Task.Result;
    }

    [Fact]
    public void ARunAfterAnotherReturnedGetsItsThreadAndNeverAPoolThread()
    {
        var threads = new RunThreads();
        var first = RunAndWait(threads);
        Thread.Sleep(100); // the thread parks itself as idle right after the run's last statement
        var second = RunAndWait(threads);
        Assert.Same(first, second);
        Assert.False(first.IsThreadPoolThread);
    }

    [Fact]
    public void ARunThatDoesNotReturnDoesNotHoldUpTheNext()
    {
        var threads = new RunThreads();
        using var release = new ManualResetEventSlim();
        var stuckStarted = new ManualResetEventSlim();
        Thread? stuck = null;
        threads.Start(() =>
        {
            stuck = Thread.CurrentThread;
            stuckStarted.Set();
            release.Wait();
        });
        Assert.True(stuckStarted.Wait(Wait));
        var next = RunAndWait(threads);
        Assert.NotSame(stuck, next);
        release.Set();
    }

    [Fact]
    public void AnIdleThreadExitsAfterTheIdleTimeout()
    {
        var threads = new RunThreads(TimeSpan.FromMilliseconds(200));
        var first = RunAndWait(threads);
        Assert.True(first.Join(Wait), "the idle thread did not exit");
        var second = RunAndWait(threads);
        Assert.NotSame(first, second);
    }
}

using SamplerTune.Samplers.Methods;
using Xunit;

namespace SamplerTune.Samplers.Tests.Methods;

public class DrawStoreTests
{
    [Theory]
    [InlineData(10, 7)]
    [InlineData(10, 10)]
    [InlineData(8, 1000)]
    [InlineData(9, 12345)]
    public void KeepsEvenlySpacedDrawsWithinCapacity(int capacity, int offered)
    {
        var store = new DrawStore(dimension: 2, capacity);
        for (int i = 0; i < offered; i++) store.Add([i, -i]);
        Assert.InRange(store.Count, 1, capacity);
        var d = store.ToChainDraws(["a", "b"]).Draws[0];
        // Stored draws are exactly the offered indices 0, thin, 2 thin, ...
        for (int k = 0; k < store.Count; k++)
        {
            Assert.Equal(k * store.Thin, d[2 * k]);
            Assert.Equal(-k * store.Thin, d[2 * k + 1]);
        }
        Assert.True((long)store.Count * store.Thin >= offered - store.Thin, "the kept draws span the whole run");
    }

    [Fact]
    public void BurnInDropsTheFirstFractionAndSaveRestoreContinues()
    {
        var store = new DrawStore(1, 100);
        for (int i = 0; i < 40; i++) store.Add([i]);
        Assert.Equal(30, store.ToChainDraws(["x"], 0.25).Draws[0].Length);
        var (draws, count, offered, thin) = store.Save();
        var copy = DrawStore.Restore(1, 100, draws, count, offered, thin);
        for (int i = 40; i < 300; i++) { store.Add([i]); copy.Add([i]); }
        Assert.Equal(store.ToChainDraws(["x"]).Draws[0], copy.ToChainDraws(["x"]).Draws[0]);
    }
}

using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Mcmc;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Reference;

/// <summary>
/// One NUTS chain of a reference, persisted under ground_truth/chains/: chain-&lt;c&gt;.bin holds the
/// post-warm-up draws as rows of (parameters, statistics) doubles, chain-&lt;c&gt;.json the NUTS
/// checkpoint and how many rows of the .bin it covers. The .bin is flushed before the .json
/// is (atomically) replaced, so after a kill the .json never claims rows that are not on disk;
/// rows written after the last .json are cut off on resume and regenerated identically.
/// </summary>
public sealed class ReferenceChain : IDisposable
{
    /// <summary>Per-draw statistics stored after the parameters, in this order (Stan's names).</summary>
    public static readonly string[] StatNames = ["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"];

    public sealed record State(NutsCheckpoint Nuts, int Draws, long GradEvals, long Divergences, double RuntimeSec);

    private readonly string _jsonPath;
    private readonly FileStream _bin;
    private readonly NutsChain _chain;
    private readonly int _rowLength;
    private readonly double[] _row;
    private readonly byte[] _rowBytes;

    public int Index { get; }
    public int Draws { get; private set; }
    public long GradEvals { get; private set; }
    public long Divergences { get; private set; }
    public double RuntimeSec { get; private set; }
    public bool Resumed { get; }

    private ReferenceChain(int index, string jsonPath, FileStream bin, NutsChain chain, int parameters, State? state)
    {
        Index = index; _jsonPath = jsonPath; _bin = bin; _chain = chain;
        _rowLength = parameters + StatNames.Length;
        _row = new double[_rowLength];
        _rowBytes = new byte[_rowLength * sizeof(double)];
        if (state is not null)
        {
            (Draws, GradEvals, Divergences, RuntimeSec, Resumed) = (state.Draws, state.GradEvals, state.Divergences, state.RuntimeSec, true);
        }
        _bin.SetLength((long)Draws * _rowBytes.Length);
        _bin.Seek(0, SeekOrigin.End);
    }

    public static string JsonPath(string chainsDirectory, int index) => Path.Combine(chainsDirectory, $"chain-{index}.json");
    public static string BinPath(string chainsDirectory, int index) => Path.Combine(chainsDirectory, $"chain-{index}.bin");

    /// <summary>Resumes chain <paramref name="index"/> from its files, or starts it. The posterior must be this chain's own instance.</summary>
    public static ReferenceChain OpenOrStart(IPosterior posterior, string chainsDirectory, int index, ulong seed, NutsSettings settings)
    {
        Directory.CreateDirectory(chainsDirectory);
        var jsonPath = JsonPath(chainsDirectory, index);
        State? state = File.Exists(jsonPath) ? ArtifactJson.Read<State>(jsonPath) : null;
        if (state is not null && (state.Nuts.Seed != seed || state.Nuts.Position.Length != posterior.Dimension))
            state = null; // a checkpoint of other settings: start this chain afresh
        var chain = state is null ? NutsChain.Start(posterior, seed, index, settings) : NutsChain.Resume(posterior, state.Nuts);
        var bin = new FileStream(BinPath(chainsDirectory, index), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (state is not null && bin.Length < (long)state.Draws * (posterior.ParameterNames.Count + StatNames.Length) * sizeof(double))
        {
            bin.Dispose();
            throw new InvalidDataException($"{BinPath(chainsDirectory, index)} holds fewer draws than {jsonPath} records; delete the chains folder to restart the reference");
        }
        return new ReferenceChain(index, jsonPath, bin, chain, posterior.ParameterNames.Count, state);
    }

    /// <summary>
    /// Runs until <paramref name="targetDraws"/> post-warm-up draws exist or <paramref name="cancel"/> fires,
    /// checkpointing at least every <paramref name="checkpointEvery"/>. Always checkpoints before returning.
    /// </summary>
    public void RunUntil(int targetDraws, TimeSpan checkpointEvery, CancellationToken cancel)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lastCheckpoint = TimeSpan.Zero;
        double runtimeAtStart = RuntimeSec;
        while (Draws < targetDraws && !cancel.IsCancellationRequested)
        {
            int block = _chain.AdaptationFinished ? Math.Min(25, targetDraws - Draws) : 25;
            _chain.Run(block, cancel);
            foreach (var draw in _chain.TakeDraws())
            {
                GradEvals += draw.Info.GradientEvaluations;
                if (draw.Warmup) continue;
                Append(draw);
            }
            RuntimeSec = runtimeAtStart + clock.Elapsed.TotalSeconds;
            if (clock.Elapsed - lastCheckpoint >= checkpointEvery)
            {
                Checkpoint();
                lastCheckpoint = clock.Elapsed;
            }
        }
        RuntimeSec = runtimeAtStart + clock.Elapsed.TotalSeconds;
        Checkpoint();
    }

    private void Append(NutsDraw draw)
    {
        draw.Values.CopyTo(_row, 0);
        int p = draw.Values.Length;
        _row[p] = draw.LogDensity;
        _row[p + 1] = draw.Info.AcceptanceStatistic;
        _row[p + 2] = draw.Info.StepSize;
        _row[p + 3] = draw.Info.TreeDepth;
        _row[p + 4] = draw.Info.NumLeapfrog;
        _row[p + 5] = draw.Info.Diverged ? 1 : 0;
        _row[p + 6] = draw.Info.Energy;
        Buffer.BlockCopy(_row, 0, _rowBytes, 0, _rowBytes.Length);
        _bin.Write(_rowBytes);
        Draws++;
        if (draw.Info.Diverged) Divergences++;
    }

    private void Checkpoint()
    {
        _bin.Flush(flushToDisk: true);
        ArtifactJson.Write(_jsonPath, new State(_chain.Checkpoint(), Draws, GradEvals, Divergences, RuntimeSec));
    }

    /// <summary>The first <paramref name="draws"/> rows: parameters (row-major, draw x parameter) and each statistic.</summary>
    public static (double[] Parameters, double[][] Stats) ReadRows(string chainsDirectory, int index, int parameters, int draws)
    {
        int rowLength = parameters + StatNames.Length;
        var all = new double[(long)draws * rowLength];
        using (var f = new FileStream(BinPath(chainsDirectory, index), FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(all.AsSpan());
            f.ReadExactly(bytes);
        }
        var values = new double[(long)draws * parameters];
        var stats = StatNames.Select(_ => new double[draws]).ToArray();
        for (int i = 0; i < draws; i++)
        {
            Array.Copy(all, (long)i * rowLength, values, (long)i * parameters, parameters);
            for (int s = 0; s < stats.Length; s++) stats[s][i] = all[(long)i * rowLength + parameters + s];
        }
        return (values, stats);
    }

    public void Dispose() => _bin.Dispose();
}

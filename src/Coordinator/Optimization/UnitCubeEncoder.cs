using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// Maps internal coordinates to the GP's unit cube and back: numbers to [0,1] on their internal (log or linear)
/// scale, categoricals to one-hot blocks (decoded by the largest entry).
/// </summary>
internal sealed class UnitCubeEncoder
{
    private readonly SearchSpace _space;
    private readonly (double Low, double High, int Offset, int Choices)[] _dims;

    public int Width { get; }

    public UnitCubeEncoder(SearchSpace space)
    {
        _space = space;
        _dims = new (double, double, int, int)[space.Tunable.Count];
        int offset = 0;
        for (int j = 0; j < _dims.Length; j++)
        {
            _dims[j] = space.Tunable[j] switch
            {
                FloatParameter f => (f.InternalLow, f.InternalHigh, offset, 0),
                IntParameter i => (i.Log ? Math.Log(i.Low) : i.Low, i.Log ? Math.Log(i.High) : i.High, offset, 0),
                CategoricalParameter c => (0, 0, offset, c.Choices.Count),
                var p => throw new ArgumentException($"parameter {p.Name} is not searchable"),
            };
            offset += Math.Max(_dims[j].Choices, 1);
        }
        Width = offset;
    }

    public double[] Encode(double[] internalX)
    {
        var u = new double[Width];
        for (int j = 0; j < _dims.Length; j++)
        {
            var d = _dims[j];
            if (d.Choices > 0) u[d.Offset + (int)internalX[j]] = 1;
            else u[d.Offset] = (internalX[j] - d.Low) / (d.High - d.Low);
        }
        return u;
    }

    public double[] Decode(double[] u)
    {
        var x = new double[_dims.Length];
        for (int j = 0; j < _dims.Length; j++)
        {
            var d = _dims[j];
            if (d.Choices > 0)
            {
                int arg = 0;
                for (int c = 1; c < d.Choices; c++) if (u[d.Offset + c] > u[d.Offset + arg]) arg = c;
                x[j] = arg;
            }
            else x[j] = d.Low + Math.Clamp(u[d.Offset], 0, 1) * (d.High - d.Low);
        }
        return x;
    }

    /// <summary>Rounds a point to a representable configuration (integers, one-hot), so the GP scores what would be run.</summary>
    public double[] Snap(double[] u)
    {
        var x = Decode(u);
        for (int j = 0; j < x.Length; j++) x[j] = _space.Tunable[j].ToInternal(_space.Tunable[j].FromInternal(x[j]));
        return Encode(x);
    }

    public double[] Random(Rng rng)
    {
        var u = new double[Width];
        foreach (var d in _dims)
            if (d.Choices > 0) u[d.Offset + rng.NextInt(d.Choices)] = 1;
            else u[d.Offset] = rng.NextDouble();
        return u;
    }

    public double[] Perturb(double[] u, double scale, Rng rng)
    {
        var v = (double[])u.Clone();
        foreach (var d in _dims)
        {
            if (d.Choices > 0)
            {
                if (rng.NextDouble() < 0.2) { Array.Clear(v, d.Offset, d.Choices); v[d.Offset + rng.NextInt(d.Choices)] = 1; }
            }
            else v[d.Offset] = Math.Clamp(v[d.Offset] + scale * rng.NextNormal(), 0, 1);
        }
        return v;
    }
}

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// Integer-array access on a <see cref="DataFile"/> (built on its number accessor, so DataFile stays as is):
/// the errors name the file, the field and the offending entry.
/// </summary>
public static class DataFileIntegers
{
    /// <summary>A vector of exactly <paramref name="length"/> integers, each in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int[] IntVector(this DataFile file, string name, int length, int min, int max)
    {
        var values = file.Vector(name, length);
        var result = new int[length];
        for (int i = 0; i < length; i++)
        {
            double v = values[i];
            if (v != Math.Floor(v) || v < min || v > max)
                throw new SpecError($"{file.Source}: field '{name}' must hold integers in [{min}, {max}], entry {i + 1} is {v}");
            result[i] = (int)v;
        }
        return result;
    }

    /// <summary>A finite number (a scalar field).</summary>
    public static double Real(this DataFile file, string name) => file.Vector(name, 1)[0];
}

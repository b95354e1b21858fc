using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace SamplerTune.Samplers.Problems;

/// <summary>A problem on disk: experiments/problems/&lt;pid&gt;/spec.yaml (+ data.json for data families).</summary>
public sealed record StoredProblem(ProblemSpec Spec, string Directory)
{
    public string Pid => Spec.Pid;
    public string? DataPath => Spec.DataSha256 is null ? null : Path.Combine(Directory, ProblemSpec.DataFileName);
    public const string GroundTruthFolder = "ground_truth";
    public string GroundTruthDirectory => Path.Combine(Directory, GroundTruthFolder);
    public IPosterior Build() => Spec.Build(DataPath);
}

/// <summary>
/// Reads and writes problem specs under a problems folder. Writes are all-or-nothing: the
/// problem folder is assembled under a temporary name and renamed into place, so a bad spec
/// or a crash never leaves a half-written problem.
/// </summary>
public sealed class ProblemStore(string problemsDirectory)
{
    public const string SpecFileName = "spec.yaml";
    public string Root { get; } = problemsDirectory;

    /// <summary>Parses a spec.yaml (ours or hand-written). Data paths in it are relative to the file.</summary>
    public static (ProblemSpec Spec, string? DataPath) ReadSpecFile(string path)
    {
        if (!File.Exists(path)) throw new SpecError($"{path}: spec file not found");
        Dictionary<string, object?> raw;
        try
        {
            raw = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>(File.ReadAllText(path)) ?? [];
        }
        catch (YamlException e)
        {
            throw new SpecError($"{path}: not a valid YAML mapping of field: value ({e.Message.Split('\n')[0]})");
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in raw)
        {
            if (v is not string s) throw new SpecError($"{path}: field '{k}' must be a single value");
            fields[k] = s;
        }
        fields.Remove("family", out var family);
        fields.Remove("data_sha256", out _); // derived from the data file, never trusted from the file
        string? dataPath = null;
        if (fields.Remove("data", out var data))
        {
            dataPath = Path.IsPathRooted(data) ? data : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, data);
            if (!File.Exists(dataPath)) throw new SpecError($"{path}: field 'data': file {dataPath} not found");
        }
        string? sha = dataPath is null ? null : Common.ContentHash.FileSha256(dataPath);
        return (ProblemSpec.Create(family, fields, sha, path), dataPath);
    }

    /// <summary>
    /// Validates (including building the posterior, so a data file that does not fit the family
    /// is refused) and stores the spec. Returns the stored problem and whether it was new.
    /// </summary>
    public (StoredProblem Problem, bool Created) Add(ProblemSpec spec, string? dataPath)
    {
        spec.Build(dataPath); // throws SpecError before anything is written
        var dir = Path.Combine(Root, spec.Pid);
        if (File.Exists(Path.Combine(dir, SpecFileName))) return (new StoredProblem(spec, dir), false);

        System.IO.Directory.CreateDirectory(Root);
        var staging = Path.Combine(Root, $".staging-{spec.Pid}-{Environment.ProcessId}");
        if (System.IO.Directory.Exists(staging)) System.IO.Directory.Delete(staging, recursive: true);
        System.IO.Directory.CreateDirectory(staging);
        if (dataPath is not null) File.Copy(dataPath, Path.Combine(staging, ProblemSpec.DataFileName));
        File.WriteAllText(Path.Combine(staging, SpecFileName), ToYaml(spec));
        try
        {
            System.IO.Directory.Move(staging, dir);
        }
        catch (IOException) when (File.Exists(Path.Combine(dir, SpecFileName)))
        {
            System.IO.Directory.Delete(staging, recursive: true); // another process stored the same spec first
            return (new StoredProblem(spec, dir), false);
        }
        return (new StoredProblem(spec, dir), true);
    }

    /// <summary>A problem folder as found: its problem, or why it cannot be read (<see cref="Error"/>, naming the file).</summary>
    public sealed record Folder(string Pid, StoredProblem? Problem, string? Error);

    /// <summary>Every problem folder in pid order; one that cannot be read is listed with its error instead of stopping the scan.</summary>
    public IReadOnlyList<Folder> Scan()
    {
        if (!System.IO.Directory.Exists(Root)) return [];
        return System.IO.Directory.GetDirectories(Root)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && File.Exists(Path.Combine(d, SpecFileName)))
            .Order(StringComparer.Ordinal)
            .Select(d =>
            {
                try { return new Folder(Path.GetFileName(d), Load(d), null); }
                catch (Exception e) when (IsUnreadable(e)) { return new Folder(Path.GetFileName(d), null, e.Message); }
            })
            .ToList();
    }

    /// <summary>Where problem <paramref name="pid"/>'s reference lives (without reading its spec).</summary>
    public string GroundTruthDirectoryOf(string pid) => Path.Combine(Root, pid, StoredProblem.GroundTruthFolder);

    /// <summary>The errors of a stored file that is corrupt or cannot be read (not bugs).</summary>
    public static bool IsUnreadable(Exception e) => e is SpecError or InvalidDataException or IOException or UnauthorizedAccessException;

    public StoredProblem Get(string pid)
    {
        var dir = Path.Combine(Root, pid);
        if (!File.Exists(Path.Combine(dir, SpecFileName)))
            throw new SpecError($"problem '{pid}' not found under {Root} (see 'samplertune problems list')");
        return Load(dir);
    }

    private static StoredProblem Load(string dir)
    {
        var path = Path.Combine(dir, SpecFileName);
        var (spec, _) = ReadSpecFile(path);
        // A stored problem's folder is its pid: an edited spec.yaml would silently give other draws the old id.
        if (spec.Pid != Path.GetFileName(dir))
            throw new SpecError($"{path}: edited after it was stored (its content is problem {spec.Pid}, the folder says {Path.GetFileName(dir)}); restore it, or add the changed spec as a new problem with 'problems add --spec'");
        return new StoredProblem(spec, dir);
    }

    private static string ToYaml(ProblemSpec spec)
    {
        var map = new Dictionary<string, object> { ["family"] = spec.Family.Name };
        foreach (var (k, v) in spec.Parameters.Values)
            map[k] = v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : v;
        if (spec.DataSha256 is not null)
        {
            map["data"] = ProblemSpec.DataFileName;
            map["data_sha256"] = spec.DataSha256;
        }
        var yaml = new SerializerBuilder().Build().Serialize(map);
        return $"# SamplerTune problem {spec.Pid}: {spec.Family.Description}\n# pid = content hash of the normalized spec; edit nothing here, add a new problem instead.\n{yaml}";
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;

namespace SamplerTune.Coordinator.Cli;

/// <summary><c>samplertune problems make|add|list|families</c>: the benchmark posteriors under experiments/problems.</summary>
public static class ProblemsCommand
{
    public static Command Build()
    {
        var cmd = new Command("problems", "create and list benchmark posteriors (experiments/problems/<pid>/spec.yaml)");
        cmd.Subcommands.Add(Make());
        cmd.Subcommands.Add(Add());
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Families());
        return cmd;
    }

    private static ProblemStore Store(ParseResult p) => new(GlobalOptions.Layout(p).Problems);

    private static Command Make()
    {
        var k = new Option<int>("--k") { Description = $"number of problems, 1 to {ProblemSetMaker.MaxProblems}", Required = true };
        var families = new Option<string?>("--families") { Description = "comma-separated families (default: the seven generated benchmark, or 'teacher', families)" };
        var seed = new Option<int>("--seed") { Description = $"seed for generated data and size variations, 0 to {ProblemSetMaker.MaxSeed}", DefaultValueFactory = _ => 1 };
        var cmd = new Command("make", "create a diverse set of K problems, one per family first") { k, families, seed };
        cmd.SetAction(p =>
        {
            var names = p.GetValue(families)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var specs = ProblemSetMaker.Make(p.GetValue(k), names, p.GetValue(seed));
            var store = Store(p);
            foreach (var spec in specs)
            {
                var (problem, created) = store.Add(spec, null);
                Console.WriteLine($"{problem.Pid}  {spec.Family.Name,-26} {(created ? "created" : "exists")}  {FieldSummary(spec)}");
            }
            return 0;
        });
        return cmd;
    }

    private static Command Add()
    {
        var family = new Option<string?>("--family") { Description = "family name (see 'problems families')" };
        var data = new Option<string?>("--data") { Description = "data file (JSON) for data families" };
        var set = new Option<string[]>("--set") { Description = "field=value, repeatable", AllowMultipleArgumentsPerToken = false };
        var specFile = new Option<string?>("--spec") { Description = "read a hand-written spec.yaml instead of --family/--set" };
        var cmd = new Command("add", "add one problem from a family and field values, or from a spec.yaml") { family, data, set, specFile };
        cmd.SetAction(p =>
        {
            ProblemSpec spec;
            string? dataPath = p.GetValue(data);
            if (p.GetValue(specFile) is { } path)
            {
                if (p.GetValue(family) is not null || p.GetValue(set) is { Length: > 0 })
                    throw new UserInputError("--spec cannot be combined with --family or --set");
                (spec, var specData) = ProblemStore.ReadSpecFile(path);
                if (dataPath is not null) throw new UserInputError("--spec: give the data file in the spec's 'data' field, not with --data");
                dataPath = specData;
            }
            else
            {
                if (dataPath is not null && !File.Exists(dataPath)) throw new SpecError($"{dataPath}: data file not found");
                var sha = dataPath is null ? null : Samplers.Common.ContentHash.FileSha256(dataPath);
                spec = ProblemSpec.Create(p.GetValue(family), KeyValueOptions.Parse("--set", p.GetValue(set) ?? []), sha, "command line (--family/--set)");
            }
            var (problem, created) = Store(p).Add(spec, dataPath);
            Console.WriteLine($"{problem.Pid}  {spec.Family.Name}  {(created ? "created" : "exists")}  {problem.Directory}");
            return 0;
        });
        return cmd;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "print a JSON list" };
        var cmd = new Command("list", "list the stored problems; a problem that cannot be read is listed as broken with the reason, and the exit code is then 1") { json };
        cmd.SetAction(p =>
        {
            var store = Store(p);
            var folders = store.Scan();
            var rows = folders.Select(Row).ToList();
            int broken = rows.Count(r => r.ContainsKey("error"));
            if (p.GetValue(json))
                Console.WriteLine(new JsonArray(rows.Select(r => (JsonNode)r).ToArray()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else if (rows.Count == 0)
                Console.WriteLine($"no problems under {store.Root}; create some with 'samplertune problems make --k 7'");
            else
            {
                Console.WriteLine($"{"pid",-10}  {"family",-26} {"dim",5}  {"reference",-10} fields");
                foreach (var (r, f) in rows.Zip(folders))
                    Console.WriteLine(r.ContainsKey("error")
                        ? $"{f.Pid,-10}  BROKEN: {(string)r["error"]!}"
                        : $"{f.Pid,-10}  {(string)r["family"]!,-26} {(int)r["dimension"]!,5}  {(string)r["reference"]!,-10} {FieldSummary(f.Problem!.Spec)}");
            }
            if (broken == 0) return 0;
            Console.Error.WriteLine($"error: {broken} of {rows.Count} problems under {store.Root} cannot be read (listed as broken)");
            return 1;
        });
        return cmd;
    }

    /// <summary>One problem's row (pid, family, dimension, fields, reference state), or its pid and the reason it cannot be read.</summary>
    private static JsonObject Row(ProblemStore.Folder folder)
    {
        try
        {
            var pr = folder.Problem ?? throw new InvalidDataException(folder.Error);
            return new JsonObject
            {
                ["pid"] = pr.Pid,
                ["family"] = pr.Spec.Family.Name,
                ["dimension"] = pr.Build().Dimension,
                ["fields"] = pr.Spec.ToJson()["fields"]!.DeepClone(),
                ["reference"] = ReferenceSummary.TryRead(pr.GroundTruthDirectory) is null ? "none" : "done",
                ["directory"] = pr.Directory,
            };
        }
        catch (Exception e) when (ProblemStore.IsUnreadable(e))
        {
            return new JsonObject { ["pid"] = folder.Pid, ["error"] = e.Message.ReplaceLineEndings(" ") };
        }
    }

    private static Command Families()
    {
        var cmd = new Command("families", "list the posterior families and their spec fields");
        cmd.SetAction(_ =>
        {
            foreach (var f in ProblemFamilies.All)
            {
                string data = f.Data switch { DataRequirement.Required => " [needs --data]", DataRequirement.Optional => " [optional --data]", _ => "" };
                Console.WriteLine($"{f.Name}{data}: {f.Description}");
                foreach (var field in f.Fields)
                    Console.WriteLine($"    {field.Name,-14} {field.AllowedText,-32} default {Convert.ToString(field.Default, CultureInfo.InvariantCulture) ?? "(required)"}  {field.Description}");
            }
            return 0;
        });
        return cmd;
    }

    private static string FieldSummary(ProblemSpec spec) =>
        string.Join(" ", spec.Parameters.Values.Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}"))
        + (spec.DataSha256 is null ? "" : $" data={spec.DataSha256[..8]}");
}

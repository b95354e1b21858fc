using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// Reads a method's search space from HOCON: the defaults (hocon/search-spaces.conf, under
/// <c>samplertune.search-spaces.&lt;method&gt;</c>), then a study's overrides (experiments/study.conf, same path),
/// then command-line overrides <c>name=low..high</c>, <c>name=value</c>, <c>name=a|b|c</c>. An override may change one
/// field of a declaration (<c>eta0 { high = 1e-2 }</c>), pin a value (<c>eta0 = 0.001</c> or
/// <c>{ type = fixed, value = 0.001 }</c>) or replace it. Unknown methods, parameters and fields are refused.
/// </summary>
public static class SearchSpaceReader
{
    public const string RootPath = "samplertune.search-spaces";
    public const string CommandLine = "command line";

    private static readonly string[] Fields = ["type", "low", "high", "log", "choices", "value", "relative"];
    private static readonly string[] Types = ["float", "int", "categorical", "fixed"];

    /// <summary>Reads files: <paramref name="defaultsFile"/> (required), <paramref name="studyFile"/> (optional).</summary>
    public static SearchSpace ReadFiles(string method, string defaultsFile, string? studyFile, IEnumerable<string>? overrides = null)
    {
        if (!File.Exists(defaultsFile)) throw new ConfigError(defaultsFile, RootPath, "file not found");
        if (studyFile is not null && !File.Exists(studyFile)) throw new ConfigError(studyFile, RootPath, "file not found");
        return Read(method, File.ReadAllText(defaultsFile), defaultsFile,
            studyFile is null ? null : File.ReadAllText(studyFile), studyFile, overrides);
    }

    public static SearchSpace Read(string method, string defaultsText, string defaultsSource,
        string? studyText = null, string? studySource = null, IEnumerable<string>? overrides = null)
    {
        var defaults = MethodDeclarations(Parse(defaultsText, defaultsSource), defaultsSource);
        if (!defaults.TryGetValue(method, out var declared))
            throw new ConfigError(defaultsSource, $"{RootPath}.{method}", $"unknown method; declared methods: {string.Join(", ", defaults.Keys)}");
        var decls = declared.ToDictionary(kv => kv.Key, kv => new Dictionary<string, object>(kv.Value));

        if (studyText is not null)
        {
            string source = studySource ?? "study.conf";
            var study = MethodDeclarations(Parse(studyText, source), source);
            foreach (var m in study.Keys.Where(m => !defaults.ContainsKey(m)))
                throw new ConfigError(source, $"{RootPath}.{m}", $"unknown method; allowed: {string.Join(", ", defaults.Keys)}");
            if (study.TryGetValue(method, out var overriding))
                foreach (var (name, fields) in overriding) Overlay(decls, name, fields, source, method);
        }

        foreach (var o in overrides ?? [])
        {
            var (name, fields) = ParseOverride(o);
            Overlay(decls, name, fields, CommandLine, method);
        }

        string origin = studySource is null ? defaultsSource : $"{defaultsSource} + {studySource}";
        if (overrides?.Any() == true && !origin.EndsWith(CommandLine, StringComparison.Ordinal)) origin += " + " + CommandLine;
        return new SearchSpace(decls.Select(kv => Build(kv.Key, kv.Value, origin, method)), origin);
    }

    /// <summary>The method names declared in a defaults file.</summary>
    public static IReadOnlyList<string> Methods(string defaultsText, string source) => MethodDeclarations(Parse(defaultsText, source), source).Keys.ToArray();

    /// <summary>Parses <c>name=low..high</c>, <c>name=value</c> or <c>name=a|b|c</c> into declaration fields.</summary>
    public static (string Name, Dictionary<string, object> Fields) ParseOverride(string text)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0 || eq == text.Length - 1)
            throw new ConfigError(CommandLine, text, "expected name=low..high, name=value or name=a|b|c");
        string name = text[..eq].Trim(), rhs = text[(eq + 1)..].Trim();
        int dots = rhs.IndexOf("..", StringComparison.Ordinal);
        if (dots > 0 && Literal(rhs[..dots]) is not string && Literal(rhs[(dots + 2)..]) is not string)
            return (name, new() { ["low"] = rhs[..dots].Trim(), ["high"] = rhs[(dots + 2)..].Trim(), ["__range"] = "" });
        if (rhs.Contains('|'))
            return (name, new() { ["type"] = "categorical", ["choices"] = rhs.Split('|', StringSplitOptions.TrimEntries).ToList() });
        return (name, new() { ["type"] = "fixed", ["value"] = rhs });
    }

    private static void Overlay(Dictionary<string, Dictionary<string, object>> decls, string name, Dictionary<string, object> fields, string source, string method)
    {
        if (!decls.TryGetValue(name, out var current))
            throw new ConfigError(source, $"{method}.{name}", $"unknown hyperparameter; allowed: {string.Join(", ", decls.Keys)}");
        if (fields.Remove("__range"))
        {
            // A bare range keeps the declared kind and scale; a categorical or fixed default becomes a number range.
            string type = current.GetValueOrDefault("type") as string ?? "float";
            if (type is not ("float" or "int"))
                current["type"] = fields.Values.All(v => Literal((string)v) is int) ? "int" : "float";
        }
        foreach (var (k, v) in fields) current[k] = v;
    }

    private static Config Parse(string text, string source)
    {
        try { return Configuration.HoconFiles.Parse(text); }
        catch (Exception e) when (e is not ConfigError) { throw new ConfigError(source, "(syntax)", (e.GetBaseException().Message).ReplaceLineEndings(" ")); }
    }

    private static Dictionary<string, Dictionary<string, Dictionary<string, object>>> MethodDeclarations(Config config, string source)
    {
        var result = new Dictionary<string, Dictionary<string, Dictionary<string, object>>>(StringComparer.Ordinal);
        if (!config.HasPath(RootPath)) return result;
        var root = config.GetValue(RootPath);
        if (!root.IsObject()) throw new ConfigError(source, RootPath, "expected an object of methods");
        foreach (var (method, body) in root.GetObject().Items)
        {
            if (!body.IsObject()) throw new ConfigError(source, $"{RootPath}.{method}", "expected an object of hyperparameters");
            var parameters = new Dictionary<string, Dictionary<string, object>>(StringComparer.Ordinal);
            foreach (var (name, decl) in body.GetObject().Items)
                parameters[name] = Fields_(decl, source, $"{method}.{name}");
            result[method] = parameters;
        }
        return result;
    }

    // A declaration is an object of fields, or a bare scalar meaning "pin this value".
    private static Dictionary<string, object> Fields_(HoconValue decl, string source, string key)
    {
        if (decl.IsString()) return new() { ["type"] = "fixed", ["value"] = decl.GetString() };
        if (decl.IsArray()) return new() { ["type"] = "categorical", ["choices"] = decl.GetArray().Select(v => v.GetString()).ToList() };
        var fields = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (field, value) in decl.GetObject().Items)
        {
            if (!Fields.Contains(field)) throw new ConfigError(source, $"{key}.{field}", $"unknown field; allowed: {string.Join(", ", Fields)}");
            fields[field] = value.IsArray() ? value.GetArray().Select(v => v.GetString()).ToList() : value.GetString();
        }
        return fields;
    }

    private static Parameter Build(string name, Dictionary<string, object> f, string source, string method)
    {
        string key = $"{method}.{name}";
        string type = Str(f, "type", source, key) ?? throw new ConfigError(source, $"{key}.type", $"missing; allowed: {string.Join(", ", Types)}");
        switch (type)
        {
            case "float":
                return new FloatParameter(name, Number(f, "low", source, key), Number(f, "high", source, key), Bool(f, "log", source, key), Bool(f, "relative", source, key));
            case "int":
                return new IntParameter(name, Integer(f, "low", source, key), Integer(f, "high", source, key), Bool(f, "log", source, key));
            case "categorical":
                if (!f.TryGetValue("choices", out var c) || c is not List<string> list)
                    throw new ConfigError(source, $"{key}.choices", "expected a list, e.g. choices = [a, b]");
                return new CategoricalParameter(name, list.Select(Literal).ToArray());
            case "fixed":
                if (!f.TryGetValue("value", out var v) || v is not string s) throw new ConfigError(source, $"{key}.value", "expected a value");
                return new FixedParameter(name, Literal(s));
            default:
                throw new ConfigError(source, $"{key}.type", $"'{type}' is not a type; allowed: {string.Join(", ", Types)}");
        }
    }

    /// <summary>A scalar as it would be typed: int, then double, else string.</summary>
    internal static object Literal(string s)
    {
        s = s.Trim();
        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)) return i;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
        return s;
    }

    private static string? Str(Dictionary<string, object> f, string field, string source, string key) =>
        !f.TryGetValue(field, out var v) ? null : v as string ?? throw new ConfigError(source, $"{key}.{field}", "expected a single value, not a list");

    private static double Number(Dictionary<string, object> f, string field, string source, string key) =>
        Str(f, field, source, key) is { } s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
            : throw new ConfigError(source, $"{key}.{field}", $"expected a number, got '{Str(f, field, source, key) ?? "(missing)"}'");

    private static int Integer(Dictionary<string, object> f, string field, string source, string key) =>
        Str(f, field, source, key) is { } s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
            : throw new ConfigError(source, $"{key}.{field}", $"expected an integer, got '{Str(f, field, source, key) ?? "(missing)"}'");

    private static bool Bool(Dictionary<string, object> f, string field, string source, string key) => Str(f, field, source, key) switch
    {
        null or "false" or "off" or "no" => false,
        "true" or "on" or "yes" => true,
        var s => throw new ConfigError(source, $"{key}.{field}", $"expected true or false, got '{s}'"),
    };
}

using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Soar.Detection.Attempts;
using Soar.Events;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Soar.Detection.Rules;

/// <summary>
/// Reads rules from YAML (one rule per file, named after its id) and validates them completely,
/// so that a bad rule stops start-up with the file, the line and the key. The default rules are
/// embedded in the assembly; a rules directory replaces them.
/// </summary>
public static partial class RuleLoader
{
    private const string EmbeddedRulePrefix = "Soar.Rules.";
    private const string EmbeddedSamplePrefix = "Soar.RuleTests.";

    private static readonly HashSet<string> KnownKeys =
        ["id", "title", "description", "kind", "severity", "on", "group_by", "distinct", "then", "more_than", "at_least", "window"];

    /// <summary>The rules of <paramref name="directory"/> (its *.yaml files), or the embedded defaults when null.</summary>
    public static IReadOnlyList<RuleDefinition> Load(string? directory)
    {
        if (directory is null) return LoadDefaults();
        if (!Directory.Exists(directory))
            throw new RuleLoadException(directory, 0, null, "the rules directory does not exist");
        var files = Directory.EnumerateFiles(directory, "*.yaml").Concat(Directory.EnumerateFiles(directory, "*.yml"))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new RuleLoadException(directory, 0, null, "no rule files (*.yaml) in the rules directory");
        return Check(files.Select(f => Parse(f, File.ReadAllText(f))).ToList());
    }

    public static IReadOnlyList<RuleDefinition> LoadDefaults() => LoadEmbedded(typeof(RuleLoader).Assembly);

    /// <summary>The rules embedded in <paramref name="assembly"/>; none is an error (a build without rules/).</summary>
    internal static IReadOnlyList<RuleDefinition> LoadEmbedded(Assembly assembly)
    {
        var names = EmbeddedNames(assembly, EmbeddedRulePrefix).ToList();
        if (names.Count == 0)
            throw new RuleLoadException("rules", 0, null,
                "no built-in rules: this build of soar was made without the rules/ directory (give --rules DIR, or rebuild with it)");
        return Check(names.Select(n => Parse("rules/" + n[EmbeddedRulePrefix.Length..], ReadEmbedded(assembly, n))).ToList());
    }

    /// <summary>The annotated sample logs: those of <c>tests/</c> under the rules directory, or the embedded ones.</summary>
    public static IReadOnlyList<(string Name, string Text)> LoadSamples(string? directory)
    {
        if (directory is null)
            return EmbeddedNames(typeof(RuleLoader).Assembly, EmbeddedSamplePrefix)
                .Select(n => ("rules/tests/" + n[EmbeddedSamplePrefix.Length..], ReadEmbedded(typeof(RuleLoader).Assembly, n))).ToList();
        var tests = Path.Combine(directory, "tests");
        if (!Directory.Exists(tests)) return [];
        return Directory.EnumerateFiles(tests, "*.log").Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllText(f))).ToList();
    }

    /// <summary>Parses and validates one rule file.</summary>
    public static RuleDefinition Parse(string file, string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new RuleLoadException(file, (int)e.Start.Line, null, $"not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new RuleLoadException(file, 1, null, "a rule file holds one YAML mapping (key: value lines)");

        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var line = (int)keyNode.Start.Line;
            if (keyNode is not YamlScalarNode { Value: { } key })
                throw new RuleLoadException(file, line, null, "keys must be plain names");
            if (!KnownKeys.Contains(key))
                throw new RuleLoadException(file, line, key, $"unknown key; known keys: {string.Join(", ", KnownKeys)}");
            if (valueNode is not YamlScalarNode { Value: { } value })
                throw new RuleLoadException(file, line, key, "the value must be a single value, not a list or mapping");
            values[key] = (value, line);
        }
        return new Reader(file, values, (int)root.Start.Line).Rule();
    }

    private sealed class Reader(string file, Dictionary<string, (string Value, int Line)> values, int startLine)
    {
        public RuleDefinition Rule()
        {
            var id = Required("id");
            if (!RuleIdPattern().IsMatch(id)) throw Error("id", "use lower-case letters, digits and dashes, e.g. ssh-bruteforce");
            var fileName = Path.GetFileNameWithoutExtension(file);
            if (fileName != id) throw Error("id", $"the id must match the file name ('{fileName}')");
            var kind = Required("kind") switch
            {
                "threshold" => RuleKind.Threshold,
                "distinct" => RuleKind.Distinct,
                "sequence" => RuleKind.Sequence,
                _ => throw Error("kind", "must be threshold, distinct or sequence"),
            };
            if (!SeverityNames.TryParse(Required("severity"), out var severity))
                throw Error("severity", "must be low, medium, high or critical");
            if (!SignalKindNames.TryParse(Required("on"), out var on)) throw Error("on", "must be failure, success or probe");
            if (!KeyFieldNames.TryParse(Required("group_by"), out var groupBy)) throw Error("group_by", "must be src_ip or user");
            if (!Durations.TryParse(Required("window"), out var window))
                throw Error("window", "must be a positive duration such as 60s, 10m or 1h");

            KeyField? distinct = null;
            if (kind == RuleKind.Distinct)
            {
                if (!KeyFieldNames.TryParse(Required("distinct"), out var field)) throw Error("distinct", "must be src_ip or user");
                if (field == groupBy) throw Error("distinct", "must differ from group_by");
                distinct = field;
            }
            else if (values.ContainsKey("distinct")) throw Error("distinct", "only distinct rules have this key");

            SignalKind? then = null;
            if (kind == RuleKind.Sequence)
            {
                if (!SignalKindNames.TryParse(Required("then"), out var next)) throw Error("then", "must be failure, success or probe");
                then = next;
            }
            else if (values.ContainsKey("then")) throw Error("then", "only sequence rules have this key");

            return new RuleDefinition
            {
                Id = id,
                Title = Required("title"),
                Description = values.TryGetValue("description", out var d) ? d.Value.Trim() : "",
                Kind = kind,
                Severity = severity,
                On = on,
                GroupBy = groupBy,
                Distinct = distinct,
                Then = then,
                MinCount = MinCount(),
                AtLeast = values.ContainsKey("at_least"),
                Window = window,
                WindowText = Required("window"),
                Source = file,
            };
        }

        private int MinCount()
        {
            var hasMore = values.ContainsKey("more_than");
            var hasLeast = values.ContainsKey("at_least");
            if (hasMore == hasLeast)
                throw Error(hasMore ? "at_least" : "more_than", "give exactly one of more_than and at_least");
            var key = hasMore ? "more_than" : "at_least";
            if (!int.TryParse(values[key].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                || n > 10_000 || (!hasMore && n < 1))
                throw Error(key, hasMore ? "must be a whole number from 0 to 10000" : "must be a whole number from 1 to 10000");
            return hasMore ? n + 1 : n;
        }

        private string Required(string key)
        {
            if (!values.TryGetValue(key, out var entry) || string.IsNullOrWhiteSpace(entry.Value))
                throw new RuleLoadException(file, startLine, key, "missing (required)");
            return entry.Value.Trim();
        }

        private RuleLoadException Error(string key, string problem) =>
            new(file, values.TryGetValue(key, out var entry) ? entry.Line : startLine, key,
                $"{problem} (found '{(entry.Value ?? "").Trim()}')");
    }

    private static IReadOnlyList<RuleDefinition> Check(IReadOnlyList<RuleDefinition> rules)
    {
        var duplicate = rules.GroupBy(r => r.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new RuleLoadException(duplicate.Last().Source, 1, "id",
                $"'{duplicate.Key}' is also defined in {duplicate.First().Source}");
        if (rules.Count > 64) throw new RuleLoadException(rules[64].Source, 1, null, "at most 64 rules are supported");
        return rules;
    }

    private static IEnumerable<string> EmbeddedNames(Assembly assembly, string prefix) =>
        assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static string ReadEmbedded(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex RuleIdPattern();
}

using System.Text.RegularExpressions;

namespace Soar.Tests.Deploy;

/// <summary>
/// A Splunk .conf file read strictly: <c>[stanza]</c> lines, <c>key = value</c> lines, <c>#</c>
/// comments, blank lines, and values continued onto the next line by a trailing backslash.
/// Anything else, an empty stanza name, or a key given twice in one stanza is an error with its
/// line number. Keys before the first stanza belong to the default stanza "".
/// </summary>
public sealed partial class SplunkConf
{
    private SplunkConf(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> stanzas) => Stanzas = stanzas;

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Stanzas { get; }

    public IReadOnlyDictionary<string, string> this[string stanza] => Stanzas[stanza];

    public static SplunkConf Read(string path) => Parse(File.ReadAllText(path), path);

    public static SplunkConf Parse(string text, string name = "conf")
    {
        var stanzas = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal) { [""] = [] };
        var current = stanzas[""];
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line[0] == '[')
            {
                if (line[^1] != ']' || line.Length < 2)
                    throw new FormatException($"{name}:{number}: a stanza is one '[name]' on its own line: {line}");
                var stanza = line[1..^1];
                if (stanzas.ContainsKey(stanza) && stanza.Length > 0)
                    throw new FormatException($"{name}:{number}: stanza [{stanza}] appears twice");
                current = stanzas[stanza] = [];
                continue;
            }
            var match = KeyValue().Match(line);
            if (!match.Success) throw new FormatException($"{name}:{number}: expected 'key = value': {line}");
            var key = match.Groups["key"].Value;
            var value = match.Groups["value"].Value;
            while (value.EndsWith('\\'))
            {
                if (++i >= lines.Length) throw new FormatException($"{name}:{number}: a continuation at the end of the file");
                value = value[..^1] + "\n" + lines[i].Trim();
            }
            if (!current.TryAdd(key, value)) throw new FormatException($"{name}:{number}: key '{key}' set twice in one stanza");
        }
        return new SplunkConf(stanzas.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, string>)s.Value));
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z_][A-Za-z0-9_.:\-]*)\s*=\s*(?<value>.*)$")]
    private static partial Regex KeyValue();
}

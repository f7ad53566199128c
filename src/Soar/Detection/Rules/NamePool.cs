namespace Soar.Detection.Rules;

/// <summary>
/// Shares one string per name (user names repeat endlessly: root, admin, …) so that windows holding a
/// million of them hold a few dozen strings. Bounded: once full, names are kept as they come.
/// </summary>
internal sealed class NamePool(int capacity = 65_536)
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public string Intern(string name)
    {
        if (_names.TryGetValue(name, out var shared)) return shared;
        if (_names.Count < capacity) _names[name] = name;
        return name;
    }
}

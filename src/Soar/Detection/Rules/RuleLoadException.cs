namespace Soar.Detection.Rules;

/// <summary>A rule file that cannot be used: the message names the file, the line and the key.</summary>
public sealed class RuleLoadException(string file, int line, string? key, string problem)
    : Exception(key is null ? $"{file}:{line}: {problem}" : $"{file}:{line}: key '{key}': {problem}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string? Key { get; } = key;
}

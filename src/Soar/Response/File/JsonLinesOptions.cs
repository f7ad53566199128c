namespace Soar.Response.File;

/// <summary>Configuration section <c>Response:File</c>: one JSON object per notification, appended to a file.</summary>
public sealed class JsonLinesOptions
{
    /// <summary>The file to append to; the responder is off without it.</summary>
    public string? Path { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Path);

    public void Validate()
    {
        if (!Enabled) return;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path!));
        if (directory is null || !Directory.Exists(directory))
            throw new ArgumentException($"Response:File:Path: the directory of '{Path}' does not exist.");
    }
}

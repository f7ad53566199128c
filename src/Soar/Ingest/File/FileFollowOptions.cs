namespace Soar.Ingest.File;

public sealed class FileFollowOptions
{
    /// <summary>Files to follow like <c>tail -F</c>.</summary>
    public string[] Follow { get; set; } = [];

    /// <summary>Read files that exist at start-up from their start; by default only what is appended from now on.</summary>
    public bool FromStart { get; set; }

    /// <summary>How often a file at its end is checked for more lines and for rotation.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest line accepted; a longer one is counted and skipped.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    public void Validate(string section)
    {
        if (PollInterval <= TimeSpan.Zero)
            throw new ArgumentException($"{section}:PollInterval must be positive.");
        if (MaxMessageBytes < 1)
            throw new ArgumentException($"{section}:MaxMessageBytes must be at least 1, not {MaxMessageBytes}.");
        foreach (var path in Follow)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{section}:Follow has an empty path.");
            // A missing file is fine (tail -F waits for it); a missing folder is a typo.
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null && !Directory.Exists(folder))
                throw new ArgumentException($"{section}:Follow '{path}': folder {folder} does not exist.");
        }
    }
}

namespace Soar.Ingest.File;

public sealed class StdinOptions
{
    /// <summary>Read log lines from standard input (<c>journalctl -f -o short-iso -u ssh | soar run --stdin</c>).</summary>
    public bool Enabled { get; set; }

    /// <summary>Longest line accepted; a longer one is counted and skipped.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    public void Validate(string section)
    {
        if (MaxMessageBytes < 1)
            throw new ArgumentException($"{section}:MaxMessageBytes must be at least 1, not {MaxMessageBytes}.");
    }
}

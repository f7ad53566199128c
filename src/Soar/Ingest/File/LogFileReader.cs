using System.Text;

namespace Soar.Ingest.File;

/// <summary>
/// Reads a log file (or standard input for "-") line by line. Invalid UTF-8 becomes U+FFFD
/// rather than an error: logs are attacker-controlled text and must never stop a read.
/// </summary>
public static class LogFileReader
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

    /// <summary>Opens the file now, so that a missing or unreadable file fails before any output.</summary>
    public static TextReader Open(string path) => path == "-"
        ? new StreamReader(System.Console.OpenStandardInput(), Utf8, false, 1 << 16)
        : new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            1 << 16, FileOptions.SequentialScan), Utf8, false, 1 << 16);

    public static IEnumerable<string> Lines(TextReader reader)
    {
        while (reader.ReadLine() is { } line) yield return line;
    }

    /// <summary>Size of a file in bytes, or null for standard input.</summary>
    public static long? Length(string path) => path == "-" ? null : new FileInfo(path).Length;
}

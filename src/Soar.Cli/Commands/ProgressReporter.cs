using System.Globalization;

namespace Soar.Cli.Commands;

/// <summary>Progress on stderr for long work, at most once a second, and only on a terminal.</summary>
internal sealed class ProgressReporter(string verb, TextWriter stderr)
{
    private readonly bool _enabled = stderr == Console.Error && !Console.IsErrorRedirected;
    private TimeSpan _last;
    private bool _shown;

    public void Report(string file, long lines, TimeSpan elapsed)
    {
        if (!_enabled || elapsed - _last < TimeSpan.FromSeconds(1)) return;
        _last = elapsed;
        _shown = true;
        stderr.Write(string.Create(CultureInfo.InvariantCulture,
            $"\rsoar {verb}: {Path.GetFileName(file)}: {lines:N0} lines, {lines / elapsed.TotalSeconds:N0} lines/s   "));
    }

    public void Done()
    {
        if (_shown) stderr.Write("\r\u001b[K");
    }
}

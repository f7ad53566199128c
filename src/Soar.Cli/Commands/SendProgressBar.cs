using System.Globalization;

namespace Soar.Cli.Commands;

/// <summary>
/// "[######....]  62%  620,000/1,000,000 lines  512,000 lines/s" on stderr while sending, redrawn at
/// most four times a second, and only on a terminal (never into a redirected log).
/// </summary>
internal sealed class SendProgressBar(TextWriter stderr, long total)
{
    private const int Width = 30;
    private readonly bool _enabled = stderr == Console.Error && !Console.IsErrorRedirected;
    private TimeSpan _last = TimeSpan.MinValue;
    private bool _shown;

    public void Report(long done, TimeSpan elapsed)
    {
        if (!_enabled || elapsed - _last < TimeSpan.FromMilliseconds(250)) return;
        _last = elapsed;
        _shown = true;
        var fraction = total == 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)(fraction * Width);
        var rate = elapsed > TimeSpan.Zero ? done / elapsed.TotalSeconds : 0;
        stderr.Write(string.Create(CultureInfo.InvariantCulture,
            $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {fraction,4:P0}  {done:N0}/{total:N0} lines  {rate:N0} lines/s "));
    }

    public void Done()
    {
        if (_shown) stderr.Write("\r\u001b[K");
    }
}

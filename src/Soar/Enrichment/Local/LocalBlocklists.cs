using System.Net;
using Microsoft.Extensions.Logging;

namespace Soar.Enrichment.Local;

/// <summary>
/// The configured blocklist files, loaded at start and reloaded when one changes (checked every
/// <see cref="BlocklistOptions.CheckInterval"/> on the injected clock). A missing or unreadable
/// file is an empty list and a warning, never a failure; it is picked up when it appears.
/// </summary>
public sealed partial class LocalBlocklists : IDisposable
{
    private readonly ILogger<LocalBlocklists> _logger;
    private readonly Entry[] _entries;
    private readonly ITimer _timer;
    private readonly Lock _reloading = new();

    public LocalBlocklists(BlocklistOptions options, TimeProvider time, ILogger<LocalBlocklists> logger)
    {
        options.Validate();
        _logger = logger;
        _entries = options.Files.Select(path => new Entry(Path.GetFullPath(path))).ToArray();
        foreach (var entry in _entries) Load(entry, FileStamp.Of(entry.Path));
        _timer = time.CreateTimer(_ => ReloadChanged(), null, options.CheckInterval, options.CheckInterval);
    }

    /// <summary>The lists loaded now.</summary>
    public IReadOnlyList<Blocklist> Lists => _entries.Select(e => e.List).ToList();

    /// <summary>Names of the lists that contain <paramref name="address"/>, in configuration order.</summary>
    public IReadOnlyList<string> Match(IPAddress address)
    {
        var key = IpRange.Key(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
        List<string>? hits = null;
        foreach (var entry in _entries)
        {
            var list = entry.List; // one volatile read: a reload swaps the whole list
            if (list.Ranges.Contains(key)) (hits ??= []).Add(list.Name);
        }
        return hits ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Reloads every file whose modification time or size changed since it was read.</summary>
    public void ReloadChanged()
    {
        lock (_reloading)
        {
            foreach (var entry in _entries)
            {
                var stamp = FileStamp.Of(entry.Path);
                if (stamp != entry.Stamp) Load(entry, stamp);
            }
        }
    }

    private void Load(Entry entry, FileStamp stamp)
    {
        var name = Path.GetFileNameWithoutExtension(entry.Path);
        entry.Stamp = stamp;
        if (!stamp.Exists)
        {
            entry.List = Blocklist.Empty(name);
            LogMissing(entry.Path);
            return;
        }
        try
        {
            using var reader = new StreamReader(entry.Path);
            var list = Blocklist.Parse(name, reader);
            entry.List = list;
            LogLoaded(name, list.Entries, list.Ranges.Count);
            if (list.BadLines > 0) LogBadLines(entry.Path, list.BadLines, list.FirstBadLine);
        }
        catch (IOException e)
        {
            LogUnreadable(entry.Path, e);
        }
        catch (UnauthorizedAccessException e)
        {
            LogUnreadable(entry.Path, e);
        }
    }

    public void Dispose() => _timer.Dispose();

    private sealed class Entry(string path)
    {
        public string Path { get; } = path;
        public volatile Blocklist List = Blocklist.Empty(System.IO.Path.GetFileNameWithoutExtension(path));
        public FileStamp Stamp;
    }

    private readonly record struct FileStamp(bool Exists, DateTime Modified, long Length)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new(true, info.LastWriteTimeUtc, info.Length) : default;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Blocklist {Name} loaded: {Entries} entries in {Ranges} ranges")]
    private partial void LogLoaded(string name, int entries, int ranges);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blocklist file {Path}: {Count} lines are not an IP or CIDR (first at line {Line}); they were skipped")]
    private partial void LogBadLines(string path, int count, int line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blocklist file {Path} does not exist; the list is empty until it appears")]
    private partial void LogMissing(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blocklist file {Path} could not be read; keeping the previous list")]
    private partial void LogUnreadable(string path, Exception exception);
}

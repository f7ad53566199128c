using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Soar.Ingest.Framing;
using Soar.Pipeline;

namespace Soar.Ingest.File;

/// <summary>
/// Follows one log file like <c>tail -F</c>: new lines as they are appended, across rotation. A file renamed
/// away (logrotate's default) is read to its end and then the new file at the path from its start; a file
/// truncated in place (copytruncate) is read again from its start. A file that does not exist yet is waited for.
/// </summary>
/// <remarks>
/// The file at the path is recognised by its first bytes (as Vector's "checksum" fingerprint does), which
/// works on every platform: a new file at the path starts with other lines (syslog lines carry timestamps),
/// a truncated one is shorter than where we are.
/// </remarks>
public sealed partial class FileFollowSource(
    string path,
    FileFollowOptions options,
    PipelineMetrics metrics,
    TimeProvider clock,
    ILogger<FileFollowSource> logger) : IMessageSource
{
    private const int FingerprintBytes = 256;
    private readonly IngestLog _log = new(logger, metrics, clock);
    private readonly TaskCompletionSource _following = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "file:" + path;

    /// <summary>Completes once the file has been opened (and, by default, its end found).</summary>
    public Task Following => _following.Task;

    public async Task RunAsync(ChannelWriter<RawMessage> output, CancellationToken stoppingToken)
    {
        using var reader = new FramedStreamReader(options.MaxMessageBytes, SyslogFraming.Delimited, _log, clock) { Origin = path };
        FileStream? file = null;
        var fingerprint = Array.Empty<byte>();
        var startAtEnd = !options.FromStart;
        var waiting = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (file is null)
                {
                    file = TryOpen(path);
                    if (file is null)
                    {
                        // A file that appears later is new: it is read from its start.
                        startAtEnd = false;
                        if (!waiting) LogWaiting(path);
                        waiting = true;
                        await Task.Delay(options.PollInterval, clock, stoppingToken);
                        continue;
                    }
                    if (startAtEnd) file.Seek(0, SeekOrigin.End);
                    startAtEnd = false;
                    waiting = false;
                    fingerprint = Prefix(file, FingerprintBytes);
                    LogFollowing(path, file.Position);
                    _following.TrySetResult();
                }

                if (await reader.FillAsync(file, stoppingToken) > 0)
                {
                    await reader.DrainAsync(output);
                    continue;
                }
                if (fingerprint.Length < FingerprintBytes) fingerprint = Prefix(file, FingerprintBytes);
                if (Replaced(file, fingerprint))
                {
                    // Lines appended to the old file before it was replaced come first; then its last line.
                    while (await reader.FillAsync(file, stoppingToken) > 0) await reader.DrainAsync(output);
                    await reader.CompleteAsync(output);
                    await file.DisposeAsync();
                    file = null;
                    metrics.FileRotated();
                    LogRotated(path);
                    continue;
                }
                await Task.Delay(options.PollInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (file is not null) await file.DisposeAsync();
        }
    }

    /// <summary>Whether the path now names another file than the one open, or the open one was truncated.</summary>
    private bool Replaced(FileStream file, byte[] fingerprint)
    {
        // Renamed away and nothing at the path yet: keep reading the old file, the writer may not have moved on.
        using var current = TryOpen(path);
        if (current is null) return false;
        if (current.Length < file.Position) return true;
        if (fingerprint.Length > 0) return !Prefix(current, fingerprint.Length).AsSpan().SequenceEqual(fingerprint);
        // Nothing to compare while the open file is empty. If the path has bytes and the open file, looked at
        // after it, still has none, they are two files (had it been one, the open file would have them too).
        return Prefix(current, 1).Length > 0 && file.Length == 0;
    }

    private static byte[] Prefix(FileStream file, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = RandomAccess.Read(file.SafeFileHandle, buffer.AsSpan(read), read);
            if (n == 0) break;
            read += n;
        }
        return buffer[..read];
    }

    private FileStream? TryOpen(string file)
    {
        try
        {
            // No FileStream buffering: the framed reader has its own buffer. Sharing lets the writer rotate it.
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCannotOpen(file, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Following {Path} from byte {Position}")]
    private partial void LogFollowing(string path, long position);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for {Path} to appear")]
    private partial void LogWaiting(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Path} was rotated; reading the new file from its start")]
    private partial void LogRotated(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot open {Path}: {Reason}")]
    private partial void LogCannotOpen(string path, string reason);
}

using Soar.Ingest.File;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Ingest.File;

/// <summary>Real files in a temporary folder, rotated the way logrotate does it.</summary>
public sealed class FileFollowSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("soar-follow-").FullName;
    private readonly PipelineMetrics _metrics = new();

    private string LogPath => Path.Combine(_folder, "auth.log");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<SourceHarness> FollowAsync(bool fromStart = false, bool waitForFile = true)
    {
        var options = new FileFollowOptions { FromStart = fromStart, PollInterval = TimeSpan.FromMilliseconds(20) };
        var source = new FileFollowSource(LogPath, options, _metrics, TimeProvider.System, SourceHarness.Logger<FileFollowSource>());
        var harness = new SourceHarness(source);
        if (waitForFile) await source.Following.WaitAsync(TimeSpan.FromSeconds(10));
        return harness;
    }

    private static void Append(string path, string text) => System.IO.File.AppendAllText(path, text);

    [Fact]
    public async Task ByDefaultOnlyLinesAppendedAfterStartAreRead()
    {
        System.IO.File.WriteAllText(LogPath, "old 1\nold 2\n");
        await using var harness = await FollowAsync();
        Append(LogPath, "new 1\nnew ");
        Append(LogPath, "2\n");
        await harness.UntilReceived(2);
        Assert.Equal(["new 1", "new 2"], harness.Received);
    }

    [Fact]
    public async Task AFileThatStartsEmptyAndIsWrittenToIsNotMistakenForARotation()
    {
        System.IO.File.WriteAllText(LogPath, "");
        await using var harness = await FollowAsync();
        var expected = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            expected.Add($"line {i}");
            Append(LogPath, $"line {i}\n");
            if (i % 4 == 0) await Task.Delay(7); // land some writes while the follower looks at the path
        }
        await harness.UntilReceived(40);
        await Task.Delay(100);
        Assert.Equal(expected, harness.Received);
        Assert.Equal(0, _metrics.FilesRotated);
    }

    [Fact]
    public async Task FromStartReadsWhatIsAlreadyThereThenWhatIsAppended()
    {
        System.IO.File.WriteAllText(LogPath, "old 1\nold 2\n");
        await using var harness = await FollowAsync(fromStart: true);
        Append(LogPath, "new 1\n");
        await harness.UntilReceived(3);
        Assert.Equal(["old 1", "old 2", "new 1"], harness.Received);
    }

    [Fact]
    public async Task RotationByRenameReadsTheOldFileToItsEndThenTheNewOneFromItsStart()
    {
        System.IO.File.WriteAllText(LogPath, "");
        await using var harness = await FollowAsync();
        await using (var writer = new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)))
        {
            writer.AutoFlush = true;
            await writer.WriteAsync("before rotation\n");
            await harness.UntilReceived(1);
            System.IO.File.Move(LogPath, LogPath + ".1");
            // The writer has not reopened yet: this still goes to the renamed file.
            await writer.WriteAsync("late line in the old file\npartial last line");
        }
        await Task.Delay(100);
        System.IO.File.WriteAllText(LogPath, "first line of the new file\n");
        await harness.UntilReceived(4);
        Assert.Equal(["before rotation", "late line in the old file", "partial last line", "first line of the new file"],
            harness.Received);
        Assert.Equal(1, _metrics.FilesRotated);
    }

    [Fact]
    public async Task TruncationInPlaceIsNoticedAndTheFileIsReadAgainFromItsStart()
    {
        System.IO.File.WriteAllText(LogPath, "");
        await using var harness = await FollowAsync();
        Append(LogPath, "a fairly long line before truncation\n");
        await harness.UntilReceived(1);
        await using (var truncate = new FileStream(LogPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            truncate.SetLength(0);
        }
        Append(LogPath, "after\n");
        await harness.UntilReceived(2);
        Assert.Equal(["a fairly long line before truncation", "after"], harness.Received);
        Assert.Equal(1, _metrics.FilesRotated);
    }

    [Fact]
    public async Task AFileThatDoesNotExistYetIsWaitedForAndReadFromItsStart()
    {
        await using var harness = await FollowAsync(waitForFile: false);
        await Task.Delay(100);
        System.IO.File.WriteAllText(LogPath, "first\nsecond\n");
        await harness.UntilReceived(2);
        Assert.Equal(["first", "second"], harness.Received);
    }

    [Fact]
    public async Task AnOverlongLineIsCountedAndSkipped()
    {
        System.IO.File.WriteAllText(LogPath, "");
        var options = new FileFollowOptions { PollInterval = TimeSpan.FromMilliseconds(20), MaxMessageBytes = 50 };
        var source = new FileFollowSource(LogPath, options, _metrics, TimeProvider.System, SourceHarness.Logger<FileFollowSource>());
        await using var harness = new SourceHarness(source);
        await source.Following.WaitAsync(TimeSpan.FromSeconds(10));
        Append(LogPath, new string('x', 5000) + "\nshort\n");
        await harness.UntilReceived(1);
        Assert.Equal(["short"], harness.Received);
        Assert.Equal(1, _metrics.MessagesDropped);
    }
}

using System.Text;
using Soar.Ingest.File;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Ingest.File;

public sealed class StdinSourceTests
{
    /// <summary>Standard input as a console gives it: a read that never ends and ignores cancellation.</summary>
    private sealed class SilentConsoleStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(new TaskCompletionSource<int>().Task);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static StdinSource Source(Func<Stream> open) =>
        new(open, new StdinOptions { Enabled = true }, new PipelineMetrics(), TimeProvider.System, SourceHarness.Logger<StdinSource>());

    [Fact]
    public async Task LinesAreReadUntilStandardInputEndsAndTheLastLineNeedsNoNewline()
    {
        var input = "2026-11-26T10:00:00+0000 vm sshd[1]: one\r\n2026-11-26T10:00:01+0000 vm sshd[1]: two";
        await using var harness = new SourceHarness(Source(() => new MemoryStream(Encoding.UTF8.GetBytes(input))));
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));
        await harness.UntilReceived(2);
        Assert.Equal(["2026-11-26T10:00:00+0000 vm sshd[1]: one", "2026-11-26T10:00:01+0000 vm sshd[1]: two"], harness.Received);
    }

    [Fact]
    public async Task StoppingDoesNotWaitForAReadThatIgnoresCancellation()
    {
        var harness = new SourceHarness(Source(() => new SilentConsoleStream()));
        await Task.Delay(50);
        await harness.StopAsync();
        Assert.True(harness.Run.IsCompletedSuccessfully);
    }
}

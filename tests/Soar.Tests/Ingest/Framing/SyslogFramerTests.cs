using System.Text;
using Soar.Ingest.Framing;

namespace Soar.Tests.Ingest.Framing;

public class SyslogFramerTests
{
    /// <summary>Frames <paramref name="input"/> delivered in chunks of the given sizes (cycled), as a socket would.</summary>
    internal static (List<string> Messages, List<FrameStatus> Events, SyslogFramer Framer) Frame(
        byte[] input, int max = 64, SyslogFraming framing = SyslogFraming.Detect, int[]? chunks = null, bool complete = true)
    {
        var framer = new SyslogFramer(max, framing);
        var messages = new List<string>();
        var events = new List<FrameStatus>();
        var pending = new List<byte>();
        var offset = 0;
        var chunk = 0;
        chunks ??= [input.Length == 0 ? 1 : input.Length];
        while (offset < input.Length)
        {
            var size = Math.Min(chunks[chunk++ % chunks.Length], input.Length - offset);
            pending.AddRange(input.AsSpan(offset, size));
            offset += size;
            while (true)
            {
                var data = pending.ToArray();
                var status = framer.Read(data, out var consumed, out var range);
                Assert.InRange(consumed, 0, data.Length);
                if (status == FrameStatus.Message) messages.Add(Encoding.UTF8.GetString(data.AsSpan()[range]));
                if (status != FrameStatus.NeedMoreData) events.Add(status);
                pending.RemoveRange(0, consumed);
                if (status == FrameStatus.NeedMoreData) Assert.True(pending.Count <= framer.MaxPendingBytes, "the framer left more pending than it promised");
                if (status is FrameStatus.NeedMoreData or FrameStatus.FramingError) break;
            }
        }
        if (complete)
        {
            var rest = pending.ToArray();
            var last = framer.Complete(rest, out var range);
            if (last == FrameStatus.Message) messages.Add(Encoding.UTF8.GetString(rest.AsSpan()[range]));
            if (last != FrameStatus.NeedMoreData) events.Add(last);
        }
        return (messages, events, framer);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void LfCrlfAndNulAllEndAMessageAndEmptyLinesAreNotMessages()
    {
        var (messages, _, framer) = Frame(Bytes("<38>one\n<38>two\r\n\n<38>three\0\0<38>four\n"));
        Assert.Equal(["<38>one", "<38>two", "<38>three", "<38>four"], messages);
        Assert.Equal(SyslogFraming.Detect, framer.Framing); // Complete starts afresh
        Assert.Equal(4, framer.Counts.Messages);
    }

    [Fact]
    public void OctetCountingIsDetectedFromADigitRunAndASpace()
    {
        var (messages, _, _) = Frame(Bytes("11 <38>one two9 <38>three"));
        Assert.Equal(["<38>one two", "<38>three"], messages);
    }

    [Fact]
    public void AnRfc3339TimestampAtTheStartOfALineIsNotMistakenForAnOctetCount()
    {
        var (messages, _, _) = Frame(Bytes("2026-11-26T10:00:00Z vm sshd[1]: x\n12345678901 y\n"), max: 100);
        Assert.Equal(["2026-11-26T10:00:00Z vm sshd[1]: x", "12345678901 y"], messages);
    }

    [Fact]
    public void ANewlineThatAnOctetCountLeavesOutIsToleratedBetweenFrames()
    {
        var (messages, events, _) = Frame(Bytes("7 <38>one\n7 <38>two\r\n7 <38>six"), chunks: [2]);
        Assert.Equal(["<38>one", "<38>two", "<38>six"], messages);
        Assert.DoesNotContain(FrameStatus.FramingError, events);
    }

    [Fact]
    public void EveryMessageSurvivesBeingDeliveredOneByteAtATime()
    {
        var input = Bytes("11 <38>one two9 <38>three15 <38>four\nfive\r\n");
        var whole = Frame(input, chunks: [input.Length]);
        var bytewise = Frame(input, chunks: [1]);
        Assert.Equal(whole.Messages, bytewise.Messages);
        Assert.Equal(3, bytewise.Messages.Count);
    }

    [Fact]
    public void AnOversizeOctetCountedMessageIsSkippedExactlyAndTheNextOneIsRead()
    {
        var big = new string('x', 100);
        var (messages, events, framer) = Frame(Bytes($"5 <38>a{big.Length} {big}5 <38>b"), max: 50, chunks: [7]);
        Assert.Equal(["<38>a", "<38>b"], messages);
        Assert.Equal([FrameStatus.Message, FrameStatus.Oversize, FrameStatus.Message], events);
        Assert.Equal(100, framer.Counts.SkippedBytes);
    }

    [Fact]
    public void AnOversizeDelimitedMessageIsSkippedToItsDelimiterAndTheNextOneIsRead()
    {
        var big = new string('x', 1000);
        var (messages, events, framer) = Frame(Bytes($"<38>a\n{big}\n<38>b\n"), max: 50, chunks: [13]);
        Assert.Equal(["<38>a", "<38>b"], messages);
        Assert.Equal([FrameStatus.Message, FrameStatus.Oversize, FrameStatus.Message], events);
        Assert.Equal(1, framer.Counts.Oversize);
    }

    [Fact]
    public void ADelimitedMessageOfExactlyTheLimitWithCrlfIsAccepted()
    {
        var exact = new string('y', 50);
        var (messages, _, _) = Frame(Bytes($"{exact}\r\n{exact}y\n"), max: 50, chunks: [1]);
        Assert.Equal([exact], messages);
    }

    [Fact]
    public void AnOctetCountThatIsTooShortIsAFramingErrorAndTheRestIsDiscarded()
    {
        // "5" covers "<38>o" only: the next "header" is "ne5 …", not digits.
        var input = Bytes("5 <38>a5 <38>one5 <38>b");
        var (messages, events, framer) = Frame(input, chunks: [3]);
        Assert.Equal(["<38>a", "<38>o"], messages);
        Assert.Equal(FrameStatus.FramingError, events[^1]);
        Assert.Equal(1, framer.Counts.FramingErrors);
        Assert.Equal(input.Length, framer.Counts.TotalBytes);
    }

    [Fact]
    public void AnOctetCountThatIsTooLongSwallowsWhatFollowsAndAPeerStoppingMidFrameIsAFramingError()
    {
        var input = Bytes("5 <38>a40 <38>b5 <38>c");
        var (messages, events, framer) = Frame(input);
        Assert.Equal(["<38>a"], messages);
        Assert.Equal([FrameStatus.Message, FrameStatus.FramingError], events);
        Assert.Equal(input.Length, framer.Counts.TotalBytes);
    }

    [Fact]
    public void ADelimitedPeerThatStopsMidLineHasItsLastLineDelivered()
    {
        var (messages, _, _) = Frame(Bytes("<38>a\n<38>b without a newline"));
        Assert.Equal(["<38>a", "<38>b without a newline"], messages);
    }

    [Theory]
    [InlineData("0 x")]
    [InlineData("12345678901 x")]
    [InlineData("5x<38>a")]
    public void AForcedOctetCountingStreamRejectsHeadersThatAreNotCounts(string input)
    {
        var (messages, events, _) = Frame(Bytes(input), framing: SyslogFraming.OctetCounting);
        Assert.Empty(messages);
        Assert.Equal([FrameStatus.FramingError], events);
    }

    [Fact]
    public void TheFramingIsReportedOnceDetected()
    {
        var framer = new SyslogFramer(64);
        framer.Read(Bytes("12"), out _, out _);
        Assert.Equal(SyslogFraming.Detect, framer.Framing);
        framer.Read(Bytes("12 "), out _, out _);
        Assert.Equal(SyslogFraming.OctetCounting, framer.Framing);
    }
}

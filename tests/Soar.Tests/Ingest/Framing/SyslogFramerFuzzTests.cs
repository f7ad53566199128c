using System.Text;
using Soar.Ingest.Framing;

namespace Soar.Tests.Ingest.Framing;

/// <summary>
/// Random and mutated byte streams through the framer, each framed twice: all at once and in random chunks.
/// Nothing may throw, every byte must be accounted for, and the chunking must not change the messages.
/// </summary>
public class SyslogFramerFuzzTests
{
    private const int Inputs = 100_000;

    private sealed record Outcome(List<(int Start, int Length)> Messages, FramerCounts Counts);

    private static Outcome Frame(byte[] input, int max, SyslogFraming framing, Random? chunking)
    {
        var framer = new SyslogFramer(max, framing);
        var messages = new List<(int, int)>();
        var start = 0;
        var available = 0;
        while (available < input.Length)
        {
            available = chunking is null ? input.Length : Math.Min(input.Length, available + 1 + chunking.Next(40));
            while (true)
            {
                var status = framer.Read(input.AsSpan(start, available - start), out var consumed, out var range);
                Assert.InRange(consumed, 0, available - start);
                if (status == FrameStatus.Message)
                {
                    var (offset, length) = range.GetOffsetAndLength(available - start);
                    Assert.InRange(length, 1, max);
                    messages.Add((start + offset, length));
                }
                start += consumed;
                if (status == FrameStatus.NeedMoreData) Assert.True(available - start <= framer.MaxPendingBytes);
                if (status is FrameStatus.NeedMoreData or FrameStatus.FramingError) break;
            }
        }
        if (framer.Complete(input.AsSpan(start), out var last) == FrameStatus.Message)
        {
            var (offset, length) = last.GetOffsetAndLength(input.Length - start);
            messages.Add((start + offset, length));
        }
        return new Outcome(messages, framer.Counts);
    }

    private static byte[] ValidStream(Random random, out List<string> messages, out bool octet)
    {
        octet = random.Next(2) == 0;
        messages = [];
        var stream = new List<byte>();
        for (var i = random.Next(1, 6); i > 0; i--)
        {
            var text = "<38>" + new string((char)('a' + random.Next(26)), random.Next(0, 40));
            messages.Add(text);
            var bytes = Encoding.ASCII.GetBytes(text);
            if (octet) stream.AddRange(Encoding.ASCII.GetBytes($"{bytes.Length} "));
            stream.AddRange(bytes);
            if (!octet) stream.AddRange(random.Next(3) switch { 0 => "\n"u8.ToArray(), 1 => "\r\n"u8.ToArray(), _ => [0] });
        }
        return stream.ToArray();
    }

    private static byte[] Mutate(Random random, byte[] input)
    {
        var bytes = input.ToList();
        ReadOnlySpan<byte> tricky = "0123456789 \n\r\0<>"u8;
        for (var i = random.Next(1, 4); i > 0 && bytes.Count > 0; i--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.Insert(at, tricky[random.Next(tricky.Length)]); break;
                case 2: bytes.RemoveAt(at); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break; // a peer that stops mid-frame
                default: bytes.InsertRange(at, Encoding.ASCII.GetBytes(random.Next(0, 100_000) + " ")); break; // a lying count
            }
        }
        return bytes.ToArray();
    }

    [Fact]
    public void AHundredThousandRandomAndMutatedStreamsAreFramedWithoutThrowingAndEveryByteIsAccountedFor()
    {
        var random = new Random(20261126);
        var exact = 0;
        for (var n = 0; n < Inputs; n++)
        {
            byte[] input;
            List<string>? expected = null;
            var max = random.Next(1, 120);
            var framing = (SyslogFraming)random.Next(3);
            switch (n % 4)
            {
                case 0:
                    input = new byte[random.Next(0, 200)];
                    random.NextBytes(input);
                    break;
                case 1:
                    input = ValidStream(random, out expected, out var octet);
                    max = 64;
                    // Detected, or the framing the sender used.
                    if (framing != SyslogFraming.Detect)
                        framing = octet ? SyslogFraming.OctetCounting : SyslogFraming.Delimited;
                    break;
                default:
                    input = Mutate(random, ValidStream(random, out _, out _));
                    break;
            }
            if (n % 25_000 == 3)
            {
                input = Encoding.ASCII.GetBytes(new string('x', 1 << 20) + "\n<38>after\n"); // a 1 MiB line
                expected = null;
            }

            var whole = Frame(input, max, framing, chunking: null);
            var chunked = Frame(input, max, framing, new Random(n));

            Assert.Equal(input.Length, whole.Counts.TotalBytes);
            Assert.Equal(input.Length, chunked.Counts.TotalBytes);
            Assert.Equal(whole.Counts.Messages, whole.Messages.Count);
            Assert.Equal(whole.Messages, chunked.Messages);
            Assert.Equal(whole.Counts, chunked.Counts);
            if (expected is not null)
            {
                // An untouched stream: exactly the messages that were sent, nothing dropped.
                Assert.Equal(expected, whole.Messages.Select(m => Encoding.ASCII.GetString(input, m.Start, m.Length)));
                Assert.Equal(0, whole.Counts.SkippedBytes + whole.Counts.DiscardedBytes);
                exact++;
            }
        }
        Assert.True(exact > Inputs / 10, $"only {exact} untouched streams were checked message by message");
    }
}

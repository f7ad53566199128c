using System.Text;
using BenchmarkDotNet.Attributes;
using Soar.Ingest.Framing;
using Soar.Simulation;

namespace Soar.Bench.Ingest;

/// <summary>
/// RFC 6587 framing over a buffer already in memory (what one socket read hands the framer): the same
/// 10,000 simulated sshd messages framed by octet counting and by LF. Each figure is per message
/// (OperationsPerInvoke): messages/s = 1e9 / Mean (ns). No I/O, no decoding: the framer alone.
/// <c>dotnet run -c Release --project bench/Soar.Bench -- --filter '*FramingBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class FramingBenchmarks
{
    private const int Messages = 10_000;
    private byte[] _octetCounted = [];
    private byte[] _lineFeed = [];

    [GlobalSetup]
    public void Setup()
    {
        var octet = new MemoryStream();
        var lf = new MemoryStream();
        foreach (var message in SimulatedMessages(Messages))
        {
            octet.Write(Encoding.ASCII.GetBytes($"{message.Length} "));
            octet.Write(message);
            lf.Write(message);
            lf.WriteByte((byte)'\n');
        }
        _octetCounted = octet.ToArray();
        _lineFeed = lf.ToArray();
        if (Frame(_octetCounted, SyslogFraming.Detect) != Messages || Frame(_lineFeed, SyslogFraming.Detect) != Messages)
            throw new InvalidOperationException("the framer did not find every message");
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long OctetCounting() => Frame(_octetCounted, SyslogFraming.Detect);

    [Benchmark(OperationsPerInvoke = Messages, Baseline = true)]
    public long LineFeed() => Frame(_lineFeed, SyslogFraming.Detect);

    /// <summary>Messages found in <paramref name="data"/>, framing detected from its first bytes as on a connection.</summary>
    private static long Frame(byte[] data, SyslogFraming framing)
    {
        var framer = new SyslogFramer(64 * 1024, framing);
        var span = data.AsSpan();
        while (framer.Read(span, out var consumed, out _) == FrameStatus.Message) span = span[consumed..];
        return framer.Counts.Messages;
    }

    /// <summary>The bench profile's lines as they travel over TCP: RFC 3164 with a priority.</summary>
    internal static IEnumerable<byte[]> SimulatedMessages(int count)
    {
        var run = Simulator.Generate(new SimulationOptions
        {
            Seed = 1,
            Start = new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero),
            Ipv4Ranges = SimulationOptions.BenchmarkIpv4,
            Bench = new BenchProfile(Lines: count, Attackers: Math.Max(1, count / 200)),
        });
        var renderer = new SyslogRenderer(SyslogFormat.Rfc3164, "web-01", TimeZoneInfo.Utc, priority: true);
        var buffer = new byte[8192];
        foreach (var line in run.Lines) yield return buffer.AsSpan(0, renderer.Render(line, buffer)).ToArray();
    }
}

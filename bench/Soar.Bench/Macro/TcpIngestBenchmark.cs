using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Soar.Ingest;
using Soar.Ingest.Tcp;
using Soar.Pipeline;

namespace Soar.Bench.Macro;

/// <summary>
/// TCP syslog ingest over loopback: concurrent senders write realistic sshd lines as fast as they can into
/// the real listener, which frames them into the pipeline's bounded ingest channel; a reader drains the channel.
/// Prints messages/s overall and in the slowest second, and received against sent.
/// </summary>
public static class TcpIngestBenchmark
{
    public const string Description = "TCP syslog over loopback into the ingest channel [--messages N] [--senders N] [--framing lf|octet|mixed]";

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var messages = 4_000_000L;
        var senders = 4;
        var framing = "mixed";
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--messages": messages = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--senders": senders = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--framing": framing = args[i + 1]; break;
                default: output.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        var result = await MeasureAsync(messages, senders, framing);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tcp-ingest: {senders} senders, framing {framing}, {result.Sent:N0} messages ({result.Characters / 1e6:0.0} million characters) in {result.Elapsed.TotalSeconds:0.00} s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  messages/s        {result.Rate:N0}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  slowest second    {result.SlowestSecond:N0} messages/s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU               {result.Cpu.TotalSeconds:0.00} s in all, {result.Cpu.TotalMicroseconds * 1000 / result.Sent:0} ns per message (senders, listener and reader together)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  received / sent   {result.Received:N0} / {result.Sent:N0} (metrics: received {result.Counted:N0}, dropped {result.Dropped}, framing errors {result.FramingErrors})"));
        return result.Complete ? 0 : 1;
    }

    public sealed record Result(int Senders, long Sent, long Received, long Counted, long Dropped, long FramingErrors, long Characters,
        TimeSpan Elapsed, double SlowestSecond, TimeSpan Cpu)
    {
        public double Rate => Received / Elapsed.TotalSeconds;
        /// <summary>Every message sent was received, and the listener counted exactly those.</summary>
        public bool Complete => Received == Sent && Counted == Sent;
    }

    /// <param name="framing">lf, octet, or mixed (half the senders each).</param>
    public static async Task<Result> MeasureAsync(long messages, int senders, string framing)
    {
        var metrics = new PipelineMetrics();
        var source = new TcpSyslogSource(new TcpSyslogOptions { Listen = "127.0.0.1:0" }, metrics, TimeProvider.System,
            NullLogger<TcpSyslogSource>.Instance);
        var channel = Channel.CreateBounded<RawMessage>(new BoundedChannelOptions(new PipelineOptions().IngestCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = new CancellationTokenSource();
        var listening = source.RunAsync(channel.Writer, stop.Token);
        var endpoint = await source.Listening;

        const int batch = 1000;
        var perSender = messages / senders / batch * batch;
        var sent = perSender * senders;
        var payloads = Enumerable.Range(0, senders)
            .Select(s => Payload(s, batch, framing == "octet" || framing == "mixed" && s % 2 == 1)).ToArray();

        long received = 0, bytes = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var consumer = Task.Run(async () =>
        {
            var reader = channel.Reader;
            while (Volatile.Read(ref received) < sent && await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var message))
                {
                    bytes += message.Text.Length;
                    Volatile.Write(ref received, received + 1);
                }
            }
        });
        var slowest = double.MaxValue;
        var sampler = Task.Run(async () =>
        {
            var last = 0L;
            var lastAt = clock.Elapsed;
            while (!consumer.IsCompleted)
            {
                await Task.Delay(1000);
                var now = Volatile.Read(ref received);
                var at = clock.Elapsed;
                if (now < sent) slowest = Math.Min(slowest, (now - last) / (at - lastAt).TotalSeconds);
                (last, lastAt) = (now, at);
            }
        });
        await Task.WhenAll(payloads.Select((payload, s) => SendAsync(endpoint, payload, perSender / batch)));
        await consumer.WaitAsync(TimeSpan.FromMinutes(5));
        var elapsed = clock.Elapsed;
        // CPU time says what the work costs even on a machine shared with others (wall-clock rates then vary).
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        await sampler;
        await stop.CancelAsync();
        await listening;

        return new Result(senders, sent, received, metrics.MessagesReceived, metrics.MessagesDropped, metrics.FramingErrors, bytes,
            elapsed, slowest == double.MaxValue ? received / elapsed.TotalSeconds : slowest, cpu);
    }

    /// <summary>A block of realistic sshd lines, framed; each sender sends its block again and again.</summary>
    private static byte[] Payload(int sender, int count, bool octetCounting)
    {
        var random = new Random(sender);
        var users = new[] { "root", "admin", "oracle", "ubuntu", "test", "git", "postgres", "deploy" };
        var text = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            var ip = $"203.0.{random.Next(113, 115)}.{random.Next(1, 255)}";
            var user = users[random.Next(users.Length)];
            var line = (i % 3) switch
            {
                0 => $"<38>Nov 26 14:57:{i % 60:00} web-0{sender} sshd[{10000 + i}]: Failed password for invalid user {user} from {ip} port {random.Next(1024, 65535)} ssh2",
                1 => $"<38>Nov 26 14:57:{i % 60:00} web-0{sender} sshd[{10000 + i}]: Invalid user {user} from {ip} port {random.Next(1024, 65535)}",
                _ => $"<38>Nov 26 14:57:{i % 60:00} web-0{sender} sshd[{10000 + i}]: Connection closed by invalid user {user} {ip} port {random.Next(1024, 65535)} [preauth]",
            };
            var bytes = Encoding.UTF8.GetBytes(line);
            if (octetCounting) text.Write(Encoding.ASCII.GetBytes($"{bytes.Length} "));
            text.Write(bytes);
            if (!octetCounting) text.WriteByte((byte)'\n');
        }
        return text.ToArray();
    }

    private static async Task SendAsync(IPEndPoint endpoint, byte[] payload, long repeats)
    {
        using var client = new TcpClient();
        client.NoDelay = true;
        await client.ConnectAsync(endpoint);
        var stream = client.GetStream();
        for (var i = 0; i < repeats; i++) await stream.WriteAsync(payload);
    }
}

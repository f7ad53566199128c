using BenchmarkDotNet.Attributes;
using Soar.Simulation;

namespace Soar.Bench.Simulation;

/// <summary>
/// Cost of turning one simulated line into syslog bytes (the inner loop of <c>soar simulate</c>):
/// <c>dotnet run -c Release --project bench/Soar.Bench -- --filter '*RenderBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private SimulatedLine[] _lines = [];
    private readonly byte[] _buffer = new byte[8192];
    private SyslogRenderer _rfc3164 = null!, _rfc5424 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _lines = Simulator.Generate(new SimulationOptions
        {
            Seed = 1,
            Start = new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero),
            Ipv4Ranges = SimulationOptions.BenchmarkIpv4,
            Bench = new BenchProfile(Lines: 10_000, Attackers: 50),
        }).Lines;
        _rfc3164 = new SyslogRenderer(SyslogFormat.Rfc3164, "web-01", TimeZoneInfo.Utc, priority: true);
        _rfc5424 = new SyslogRenderer(SyslogFormat.Rfc5424, "web-01", TimeZoneInfo.Utc, priority: true);
    }

    [Benchmark(OperationsPerInvoke = 10_000)]
    public long Rfc3164()
    {
        long bytes = 0;
        foreach (var line in _lines) bytes += _rfc3164.Render(line, _buffer);
        return bytes;
    }

    [Benchmark(OperationsPerInvoke = 10_000)]
    public long Rfc5424()
    {
        long bytes = 0;
        foreach (var line in _lines) bytes += _rfc5424.Render(line, _buffer);
        return bytes;
    }
}

using System.Globalization;
using System.Runtime.InteropServices;

namespace Soar.Bench.Macro.Suite;

/// <summary>What the figures were measured on, from /proc (Linux); "?" where it cannot be read.</summary>
public static class MachineInfo
{
    public static string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{CpuModel()} ({Environment.ProcessorCount} cores), {MemoryGiB():0.0} GiB RAM, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}");

    /// <summary>The one-minute load average: how busy the machine was with other work.</summary>
    public static string LoadAverage() => Read("/proc/loadavg")?.Split(' ')[0] ?? "?";

    private static string CpuModel() =>
        Read("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':') + 1)..].Trim()
            : RuntimeInformation.ProcessArchitecture.ToString();

    private static double MemoryGiB()
    {
        var line = Read("/proc/meminfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1048576.0;
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

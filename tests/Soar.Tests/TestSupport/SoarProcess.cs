using System.Diagnostics;

namespace Soar.Tests.TestSupport;

/// <summary>
/// The real <c>soar</c> program (soar.dll beside the tests) as a child process: for what only a
/// process shows (its own stderr, its environment) and an in-process call cannot.
/// </summary>
public static class SoarProcess
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
            UseShellExecute = false,
            // An empty directory: no .env file of the developer's is read.
            WorkingDirectory = Directory.CreateTempSubdirectory("soar-process-").FullName,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "soar.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("SOAR_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(variable);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        try
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"soar {string.Join(' ', args)} did not exit within {timeout}: {await stderr}");
            }
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(start.WorkingDirectory, recursive: true);
        }
    }
}

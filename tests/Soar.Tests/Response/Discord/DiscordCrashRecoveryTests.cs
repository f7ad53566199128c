using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Response.Discord;

/// <summary>
/// The built <c>soar</c> executable as a child process with its own data directory: killed with
/// SIGKILL while a Discord POST is in flight, then started again. Nothing may be lost.
/// </summary>
public sealed class DiscordCrashRecoveryTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dataDir = Directory.CreateTempSubdirectory("soar-crash-");
    private readonly List<Process> _processes = [];
    private readonly StringBuilder _output = new();
    private FakeDiscord _discord = null!;

    public async Task InitializeAsync() => _discord = await FakeDiscord.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        await _discord.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _dataDir.Delete(recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Process StartSoar(int syslogPort)
    {
        var soar = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "soar.exe" : "soar");
        var start = new ProcessStartInfo(soar)
        {
            WorkingDirectory = _dataDir.FullName, // no stray .env
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Edits of a card wait 30 s by default: as long as the test waits for the last row, on a busy machine longer.
        var config = Path.Combine(_dataDir.FullName, "soar.json");
        System.IO.File.WriteAllText(config, """{ "Discord": { "EditInterval": "00:00:01" } }""");
        foreach (var arg in new[] { "run", "--syslog-tcp", $"127.0.0.1:{syslogPort}", "--data-dir", Path.Combine(_dataDir.FullName, "data"), "--config", config })
            start.ArgumentList.Add(arg);
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("SOAR_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(variable);
        start.Environment["SOAR_DISCORD_WEBHOOK_URL"] = _discord.WebhookUrl;
        start.Environment["SOAR_TIME_ZONE"] = "UTC";
        // Only the ports this test chose: no fixed UDP or HTTP port to collide with.
        start.Environment["SOAR_SYSLOG_UDP"] = "off";
        start.Environment["SOAR_HTTP"] = "127.0.0.1:0";
        var process = Process.Start(start)!;
        _processes.Add(process);
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task SendAsync(int port, string text)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text));
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100);
            }
        }
    }

    private long DiscordRows(string state)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDir.FullName, "data", "soar.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM outbox WHERE responder = 'discord' AND state = $state";
        command.Parameters.AddWithValue("$state", state);
        return (long)command.ExecuteScalar()!;
    }

    private async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (condition()) return;
            }
            catch (SqliteException)
            {
                // The database may not exist yet.
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                lock (_output) throw new TimeoutException($"Waited in vain for {what}. soar said:\n{_output}");
            }
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task KillingSoarWhileACardIsInFlightLosesNothingAfterARestart()
    {
        string[] attackers = ["203.0.113.21", "203.0.113.22", "203.0.113.23"];
        var port = FreePort();
        _discord.HoldPosts = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = StartSoar(port);

        var now = DateTimeOffset.UtcNow.AddSeconds(-30);
        var lines = new StringBuilder();
        // In time order, as one sshd writes them (detection ignores lines more than 5 s late).
        for (var i = 0; i < 12; i++)
            foreach (var ip in attackers) lines.Append("<38>").Append(Lines.FailedPassword(now.AddSeconds(i), ip)).Append('\n');
        await SendAsync(port, lines.ToString());

        // The first card is in flight (Discord holds it); the other two wait in the outbox.
        // (Pending rows: the other two cards, and perhaps an update of the first.)
        await WaitAsync(() => _discord.HeldPosts == 1 && DiscordRows("in_flight") == 1 && DiscordRows("pending") >= 2,
            "one card in flight and at least two pending");
        first.Kill(entireProcessTree: true); // SIGKILL: no shutdown code runs
        await first.WaitForExitAsync();
        Assert.Empty(_discord.Posts);

        // Discord may or may not have taken the held POST; here it did (the duplicate window).
        var held = _discord.HoldPosts;
        _discord.HoldPosts = null;
        held.SetResult();
        await _discord.WaitForAsync(d => d.Posts.Count == 1);

        var second = StartSoar(port);
        await _discord.WaitForAsync(d => attackers.All(ip => d.Posts.Any(p => Title(p).EndsWith(ip, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30));
        await WaitAsync(() => DiscordRows("delivered") >= 3 && DiscordRows("pending") + DiscordRows("in_flight") == 0,
            "every Discord row delivered");

        // At least once: every attacker has a card; only the one in flight at the kill may have two.
        Assert.All(attackers, ip => Assert.InRange(_discord.Posts.Count(p => Title(p).EndsWith(ip, StringComparison.Ordinal)), 1, 2));
        Assert.InRange(_discord.Posts.Count, 3, 4);
        Assert.Equal(0, DiscordRows("pending") + DiscordRows("in_flight") + DiscordRows("failed"));
        second.Kill(entireProcessTree: true);
    }

    private static string Title(FakeDiscord.Received post) => post.Body!["embeds"]![0]!["title"]!.GetValue<string>();
}

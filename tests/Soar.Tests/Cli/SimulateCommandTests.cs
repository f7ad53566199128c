using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Soar.Cli;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Cli;

public class SimulateCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> Soar(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await SoarCommandLine.InvokeAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string TempFile(string extension) => Path.Combine(Path.GetTempPath(), $"soar-sim-{Guid.NewGuid():N}{extension}");

    [Theory]
    [InlineData("--scenario", "bogus")]
    [InlineData("--scenario", "bruteforce:count=-1")]
    [InlineData("--target", "localhost")]
    [InlineData("--target", "::1:1514")]
    [InlineData("--rate", "0")]
    [InlineData("--speedup", "-2")]
    [InlineData("--format", "json")]
    [InlineData("--output", "carrier-pigeon")]
    [InlineData("--output", "file")]
    [InlineData("--output", "hec")]
    [InlineData("--ipv4", "10.0.0.0")]
    [InlineData("--lines", "5000")]
    [InlineData("--time-zone", "Mars/Olympus")]
    public async Task BadOptionsGetAClearMessageAndExitTwo(string option, string value)
    {
        var (exit, _, error) = await Soar("simulate", option, value);
        Assert.Equal(2, exit);
        // The message names what was wrong: the value given, or the option.
        Assert.True(error.Contains(value) || error.Contains(option), error);
        Assert.DoesNotContain("Unhandled", error);
    }

    [Fact]
    public async Task AnUnreachableTargetSaysSoAndHowToStartAReceiver()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exit, _, error) = await Soar("simulate", "--target", $"127.0.0.1:{port}", "--seed", "1");
        Assert.Equal(2, exit);
        Assert.Contains($"cannot reach 127.0.0.1:{port}", error);
        Assert.Contains("soar run", error);
    }

    [Fact]
    public async Task AHecRunWithoutATokenIsBadUsage()
    {
        var (exit, _, error) = await Soar("simulate", "--hec", "http://127.0.0.1:8088");
        Assert.Equal(2, exit);
        Assert.Contains("token", error);
    }

    [Fact]
    public async Task StdoutGetsTheLinesAndStderrTheSummaryWithTheSeed()
    {
        var (exit, output, error) = await Soar("simulate", "--output", "stdout", "--scenario", "scanner", "--seed", "5", "--time-zone", "UTC");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 8, 16);
        Assert.All(lines, l => Assert.Contains(" web-01 sshd[", l));
        Assert.Contains("seed 5", error);
    }

    private static DateTimeOffset[] Rfc5424Times(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => DateTimeOffset.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task WithoutAStartALongScenarioWrittenAtOnceEndsNowInsteadOfInTheFuture()
    {
        var before = DateTimeOffset.UtcNow;
        var (exit, output, error) = await Soar("simulate", "--output", "stdout", "--scenario", "slow", "--seed", "3",
            "--format", "rfc5424");
        var after = DateTimeOffset.UtcNow;
        Assert.True(exit == 0, error);

        var times = Rfc5424Times(output);
        // The slow scenario spans most of an hour: all of it is in the past, the last line about now.
        Assert.True(times[^1] - times[0] > TimeSpan.FromMinutes(40));
        Assert.All(times, t => Assert.True(t <= after, $"{t:O} is after {after:O}"));
        Assert.True(times[^1] >= before.AddSeconds(-1), $"the last line {times[^1]:O} should be about now ({before:O})");
    }

    [Fact]
    public async Task TheSameSeedAndStartGiveTheSameBytes()
    {
        string[] args = ["simulate", "--output", "stdout", "--scenario", "slow", "--scenario", "bruteforce", "--seed", "9",
            "--start", "2026-11-20T10:00:00Z", "--time-zone", "UTC"];
        var (exit, first, _) = await Soar(args);
        var (_, second, _) = await Soar(args);

        Assert.Equal(0, exit);
        Assert.Equal(first, second);
        Assert.Contains("Nov 20 10:0", first); // --start is kept as given, even when it is not now
    }

    [Fact]
    public async Task TheTruthNamesTheRulesThatReplayThenFindsInTheFile()
    {
        var log = TempFile(".log");
        var truthPath = TempFile(".json");
        try
        {
            var (exit, _, error) = await Soar("simulate", "--output", "file", "--file", log, "--truth", truthPath, "--seed", "21",
                "--time-zone", "UTC", "--start", Lines.Now.AddHours(-2).ToString("O"),
                "--scenario", "bruteforce:count=3", "--scenario", "spray", "--scenario", "benign");
            Assert.True(exit == 0, error);

            using var truth = JsonDocument.Parse(await File.ReadAllTextAsync(truthPath));
            var scenarios = truth.RootElement.GetProperty("scenarios").EnumerateArray().ToList();
            Assert.Equal(["bruteforce", "spray", "benign"], scenarios.Select(s => s.GetProperty("name").GetString()));
            Assert.Equal(File.ReadLines(log).Count(), truth.RootElement.GetProperty("lines").GetInt32());
            var expected = scenarios.SelectMany(s => s.GetProperty("findings").EnumerateArray())
                .Where(f => f.GetProperty("rule").GetString() == "ssh-bruteforce")
                .Select(f => f.GetProperty("key").GetProperty("src_ip").GetString()!)
                .Order().ToList();
            Assert.Equal(3, expected.Count);
            Assert.Empty(scenarios[2].GetProperty("rules_expected").EnumerateArray());

            // Detection (the brute-force rule that exists today) agrees with the truth.
            var (replayExit, incidents, _) = await Soar("replay", "--json", "--time-zone", "UTC", log);
            Assert.Equal(0, replayExit);
            var found = incidents.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => JsonDocument.Parse(l).RootElement)
                .Where(i => i.GetProperty("findings").EnumerateArray().Any(f => f.GetProperty("rule").GetString() == "ssh-bruteforce"))
                .Select(i => i.GetProperty("key").GetProperty("src_ip").GetString()!)
                .Order().ToList();
            Assert.Equal(expected, found);
        }
        finally
        {
            File.Delete(log);
            File.Delete(truthPath);
        }
    }

    [Fact]
    public async Task TcpToAListeningReceiverSendsEveryLineOctetCountedInRfc5424()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var reader = new StreamReader(client.GetStream());
            return await reader.ReadToEndAsync();
        });
        var (exit, _, error) = await Soar("simulate", "--target", $"127.0.0.1:{port}", "--format", "rfc5424", "--framing", "octet-counted",
            "--scenario", "compromise", "--seed", "2");
        var text = await received.WaitAsync(TimeSpan.FromSeconds(20));
        listener.Stop();

        Assert.True(exit == 0, error);
        Assert.Matches(@"^\d+ <\d+>1 \d{4}-\d\d-\d\dT", text);
        Assert.Contains("Accepted password for ", text);
        Assert.Contains("lines (compromise; seed 2) to tcp://127.0.0.1:", error);
    }
}

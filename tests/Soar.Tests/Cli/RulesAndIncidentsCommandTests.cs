using Soar.Cli;
using Soar.Events;
using Soar.Storage.Sqlite;

namespace Soar.Tests.Cli;

public sealed class RulesAndIncidentsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("soar-cli-").FullName;

    private static async Task<(int Exit, string Out, string Err)> Soar(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await SoarCommandLine.InvokeAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task RulesListShowsTheSixBuiltInRulesWithTheirConditions()
    {
        var (exit, output, _) = await Soar("rules", "list");
        Assert.Equal(0, exit);
        Assert.Contains("ssh-bruteforce", output);
        Assert.Contains("more than 10 failures by src_ip in 60s", output);
        Assert.Contains("6 rules", output);
    }

    [Fact]
    public async Task RulesTestRunsTheAnnotatedSamplesAndPasses()
    {
        var (exit, output, error) = await Soar("rules", "test");
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("FAIL", output);
        Assert.Contains("0 failed", error);
    }

    [Fact]
    public async Task ABadRuleInARulesDirectoryIsBadUsageNamingFileLineAndKey()
    {
        File.WriteAllText(Path.Combine(_dir, "x.yaml"), "id: x\ntitle: X\nkind: threshold\nseverity: huge\n");
        var (exit, _, error) = await Soar("rules", "list", "--rules", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("x.yaml:4: key 'severity'", error);
    }

    [Fact]
    public async Task RulesExportNeedsTheSplunkFormat()
    {
        Assert.Equal(2, (await Soar("rules", "export")).Exit);
        var (exit, output, _) = await Soar("rules", "export", "--format", "splunk");
        Assert.Equal(0, exit);
        Assert.Contains("[ssh-scanner]", output);
    }

    [Fact]
    public async Task IncidentsListAndShowReadTheStoreOfTheDataDirectory()
    {
        using (var store = new IncidentStore(new SoarDatabase(new SoarDatabaseOptions { DataDir = _dir }, IncidentStore.Migrations), [],
                   TimeProvider.System))
        {
            var incident = Storage.Sqlite.IncidentStoreTests.Sample(7, "203.0.113.9");
            store.Record(new IncidentChange(IncidentChangeKind.Opened, incident, "opened by ssh-bruteforce"));
        }
        var (exit, output, _) = await Soar("incidents", "list", "--data-dir", _dir);
        Assert.Equal(0, exit);
        Assert.Contains("203.0.113.9", output);
        (exit, output, _) = await Soar("incidents", "list", "--data-dir", _dir, "--severity", "low");
        Assert.Contains("No incidents", output);
        (exit, output, _) = await Soar("incidents", "show", "7", "--data-dir", _dir);
        Assert.Equal(0, exit);
        Assert.Contains("opened by ssh-bruteforce", output);
        (exit, _, var error) = await Soar("incidents", "show", "8", "--data-dir", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("no incident 8", error);
    }

    [Fact]
    public async Task IncidentsListAndShowSayWhenThreatIntelRaisedTheSeverity()
    {
        using (var store = new IncidentStore(new SoarDatabase(new SoarDatabaseOptions { DataDir = _dir }, IncidentStore.Migrations), [],
                   TimeProvider.System))
        {
            store.Record(new IncidentChange(IncidentChangeKind.Opened, Storage.Sqlite.IncidentStoreTests.Sample(3, "203.0.113.3")));
            store.RaiseSeverity(3, Severity.Critical, "critical: SSH brute force is high, raised one level: on blocklist drop");
        }

        var (_, list, _) = await Soar("incidents", "list", "--data-dir", _dir, "--severity", "critical");
        var (exit, show, _) = await Soar("incidents", "show", "3", "--data-dir", _dir);

        Assert.Contains("critical*", list);
        Assert.Contains("* raised by threat intel", list);
        Assert.Equal(0, exit);
        Assert.Contains("severity   critical (raised by threat intel from high: critical: SSH brute force is high, raised one level: on blocklist drop)", show);
        Assert.Contains("escalated", show);
    }

    [Fact]
    public async Task IncidentsListWithoutADatabaseSaysSo()
    {
        var (exit, output, _) = await Soar("incidents", "list", "--data-dir", Path.Combine(_dir, "none"));
        Assert.Equal(0, exit);
        Assert.Contains("No incidents (no database", output);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

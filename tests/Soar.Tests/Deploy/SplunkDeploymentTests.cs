using System.Text.RegularExpressions;
using Soar.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Soar.Tests.Deploy;

/// <summary>
/// deploy/splunk as Docker and Splunk would read it (neither runs here): the compose file, the
/// Splunk app's .conf files, and the Dockerfile the compose file builds.
/// </summary>
public class SplunkDeploymentTests
{
    private static readonly string Root = Path.GetDirectoryName(RepoFiles.Path("Soar.slnx"))!;
    private static readonly string Deploy = Path.GetDirectoryName(RepoFiles.Path("deploy/splunk/docker-compose.yml"))!;
    private static readonly string App = Path.Combine(Deploy, "apps", "soar");

    private static YamlMappingNode Compose()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Deploy, "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)((YamlMappingNode)Compose()["services"])[name];

    private static IEnumerable<string> Strings(YamlNode node) =>
        ((YamlSequenceNode)node).Children.Select(n => ((YamlScalarNode)n).Value!);

    private static string Scalar(YamlMappingNode map, string key) => ((YamlScalarNode)map[key]).Value!;

    private static SplunkConf Conf(string name) => SplunkConf.Read(Path.Combine(App, "default", name));

    /// <summary>Ports from "host:container[/protocol]" or "ip:host:container[/protocol]" entries.</summary>
    private static List<(string Host, int Container, string Protocol)> Ports(YamlMappingNode service) =>
        [.. Strings(service["ports"]).Select(p => p.Split('/')).Select(p => (Parts: p[0].Split(':'), Protocol: p.Length > 1 ? p[1] : "tcp"))
            .Select(p => (string.Join(':', p.Parts[..^1]), int.Parse(p.Parts[^1]), p.Protocol))];

    [Fact]
    public void TheComposeFileHasSplunkAndSoar()
    {
        var services = (YamlMappingNode)Compose()["services"];

        Assert.Equal(["splunk", "soar"], services.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
    }

    [Fact]
    public void SplunkIsPinnedAcceptsTheLicenceAndTakesItsPasswordFromTheEnvFile()
    {
        var splunk = Service("splunk");
        var image = Scalar(splunk, "image");
        Assert.StartsWith("splunk/splunk:", image);
        Assert.DoesNotContain("latest", image);

        var environment = (YamlMappingNode)splunk["environment"];
        Assert.Contains("--accept-license", Scalar(environment, "SPLUNK_START_ARGS"));
        Assert.Equal("--accept-sgt-current-at-splunk-com", Scalar(environment, "SPLUNK_GENERAL_TERMS"));
        Assert.Matches(@"^\$\{SPLUNK_PASSWORD(:\?[^}]*)?\}$", Scalar(environment, "SPLUNK_PASSWORD"));
    }

    [Fact]
    public void SplunkPublishesWebManagementTheTcpInputAndHec()
    {
        var ports = Ports(Service("splunk")).Select(p => p.Container).ToList();

        foreach (var port in new[] { 8000, 8089, 1514, 8088 }) Assert.Contains(port, ports);
    }

    [Fact]
    public void SplunkKeepsEtcAndVarInNamedVolumesAndMountsTheApp()
    {
        var mounts = Strings(Service("splunk")["volumes"]).Select(v => v.Split(':')).ToDictionary(v => v[1], v => v[0]);
        var declared = ((YamlMappingNode)Compose()["volumes"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();

        Assert.Contains(mounts["/opt/splunk/etc"], declared);
        Assert.Contains(mounts["/opt/splunk/var"], declared);
        Assert.Equal("./apps/soar", mounts["/opt/splunk/etc/apps/soar"]);
        Assert.True(File.Exists(Path.Combine(Deploy, "apps", "soar", "default", "app.conf")));
    }

    [Theory]
    [InlineData("splunk", "/sbin/checkstate.sh")]
    [InlineData("soar", "/healthz")]
    public void EveryServiceHasAHealthcheck(string name, string probe)
    {
        var healthcheck = (YamlMappingNode)Service(name)["healthcheck"];

        Assert.Contains(probe, string.Join(' ', Strings(healthcheck["test"])));
        Assert.Matches(@"^\d+[smh]$", Scalar(healthcheck, "interval"));
        Assert.True(int.Parse(Scalar(healthcheck, "retries")) > 0);
    }

    [Fact]
    public void SoarRunsFromTheRootDockerfileListeningOnEveryInterfaceWithATokenFromTheEnvFile()
    {
        var soar = Service("soar");
        var build = (YamlMappingNode)soar["build"];
        var context = Path.GetFullPath(Path.Combine(Deploy, Scalar(build, "context")));
        Assert.Equal(Root.TrimEnd('/'), context.TrimEnd('/'));
        Assert.True(File.Exists(Path.Combine(context, Scalar(build, "dockerfile"))));
        Assert.Equal(["run"], Strings(soar["command"]));

        var environment = (YamlMappingNode)soar["environment"];
        Assert.Equal("0.0.0.0:5000", Scalar(environment, "SOAR_HTTP"));
        Assert.Matches(@"^\$\{SOAR_WEBHOOK_TOKEN(:\?[^}]*)?\}$", Scalar(environment, "SOAR_WEBHOOK_TOKEN"));
        Assert.Contains(Ports(soar), p => p.Container == 5000);
    }

    [Fact]
    public void SoarPublishesItsPortsOnLoopbackOnlyAndItsHealthcheckProbesItsOwnPort()
    {
        var soar = Service("soar");
        var port = Scalar((YamlMappingNode)soar["environment"], "SOAR_HTTP").Split(':')[^1];

        Assert.All(Ports(soar), p => Assert.StartsWith("127.0.0.1:", p.Host));
        Assert.Contains($"/dev/tcp/127.0.0.1/{port} ", string.Join(' ', Strings(((YamlMappingNode)soar["healthcheck"])["test"])));
    }

    [Fact]
    public void NoTwoServicesPublishTheSameHostPort()
    {
        var hostPorts = Ports(Service("splunk")).Concat(Ports(Service("soar"))).Select(p => p.Host.Split(':')[^1] + "/" + p.Protocol).ToList();

        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());
    }

    [Fact]
    public void EveryVariableTheComposeFileUsesIsInEnvExample()
    {
        var compose = File.ReadAllText(Path.Combine(Deploy, "docker-compose.yml"));
        var example = File.ReadAllLines(Path.Combine(Deploy, ".env.example"))
            .Where(l => l.Contains('=') && !l.TrimStart().StartsWith('#')).Select(l => l.Split('=')[0].Trim()).ToHashSet();

        var used = Regex.Matches(compose, @"\$\{(?<name>[A-Z_][A-Z0-9_]*)").Select(m => m.Groups["name"].Value).Distinct().ToList();
        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(name, example));
    }

    public static TheoryData<string> ConfFiles() =>
        [.. Directory.EnumerateFiles(Deploy, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".conf", StringComparison.Ordinal) || f.EndsWith(".meta", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Deploy, f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ConfFiles))]
    public void EveryConfFileIsWellFormed(string file)
    {
        var conf = SplunkConf.Read(Path.Combine(Deploy, file));

        Assert.True(conf.Stanzas.Count(s => s.Value.Count > 0 || s.Key.Length > 0) > 0, $"{file} has no settings");
    }

    [Fact]
    public void TheAppHasTheFilesSplunkNeeds()
    {
        foreach (var file in new[] { "app.conf", "inputs.conf", "props.conf", "transforms.conf", "alert_actions.conf" })
            Assert.True(File.Exists(Path.Combine(App, "default", file)), file);
        Assert.True(File.Exists(Path.Combine(App, "metadata", "default.meta")));
        Assert.Equal("system", SplunkConf.Read(Path.Combine(App, "metadata", "default.meta"))[""]["export"]);
    }

    [Fact]
    public void TheTcpInputTakesLinuxSecureOnPort1514()
    {
        var input = Conf("inputs.conf")["tcp://1514"];

        Assert.Equal("linux_secure", input["sourcetype"]);
        Assert.NotEqual("true", input.GetValueOrDefault("disabled"));
    }

    [Fact]
    public void EveryTransformThePropsReportIsDefined()
    {
        var transforms = Conf("transforms.conf");
        var reports = Conf("props.conf")["linux_secure"].Where(kv => kv.Key.StartsWith("REPORT-", StringComparison.Ordinal))
            .SelectMany(kv => kv.Value.Split(',', StringSplitOptions.TrimEntries)).ToList();

        Assert.NotEmpty(reports);
        Assert.All(reports, name => Assert.True(transforms.Stanzas.ContainsKey(name), $"transform [{name}] is missing"));
    }

    [Fact]
    public void TheWebhookAllowListAdmitsSoarsIntakeAndNothingElse()
    {
        var webhook = Conf("alert_actions.conf")["webhook"];
        Assert.Equal("true", webhook["enable_allowlist"]);
        var patterns = webhook.Where(kv => kv.Key.StartsWith("allowlist.", StringComparison.Ordinal)).Select(kv => new Regex(kv.Value)).ToList();
        bool Allowed(string url) => patterns.Any(p => p.IsMatch(url));

        var port = Scalar((YamlMappingNode)Service("soar")["environment"], "SOAR_HTTP").Split(':')[^1];
        Assert.True(Allowed($"http://soar:{port}/webhooks/splunk/{SoarTestHost.Token}"));
        Assert.True(Allowed($"http://host.docker.internal:5000/webhooks/splunk/{SoarTestHost.Token}"));
        Assert.False(Allowed($"http://hostXdockerXinternal:5000/webhooks/splunk/{SoarTestHost.Token}"));
        Assert.False(Allowed($"http://attacker.example/webhooks/splunk/{SoarTestHost.Token}"));
        Assert.False(Allowed($"http://soar:{port}.attacker.example/webhooks/splunk/x"));
        Assert.False(Allowed($"http://soar:{port}/api/incidents"));
    }

    [Fact]
    public void EverySavedSearchWebhookPointsAtAnAllowedUrl()
    {
        var path = Path.Combine(App, "default", "savedsearches.conf");
        if (!File.Exists(path)) return; // generated by `soar rules export --format splunk` (issue #4)
        var webhook = Conf("alert_actions.conf")["webhook"];
        var patterns = webhook.Where(kv => kv.Key.StartsWith("allowlist.", StringComparison.Ordinal)).Select(kv => new Regex(kv.Value)).ToList();

        foreach (var (name, search) in SplunkConf.Read(path).Stanzas.Where(s => s.Value.GetValueOrDefault("action.webhook") == "1"))
        {
            var url = search["action.webhook.param.url"];
            Assert.True(patterns.Any(p => p.IsMatch(url)), $"[{name}] posts to {url}, which the allow list refuses");
        }
    }

    [Fact]
    public void EverySavedSearchPostsToTheComposeServiceSoarOnItsHttpPortWithThePlaceholderSoarRefuses()
    {
        var port = Scalar((YamlMappingNode)Service("soar")["environment"], "SOAR_HTTP").Split(':')[^1];
        var placeholder = File.ReadAllLines(Path.Combine(Deploy, ".env.example"))
            .Single(l => l.StartsWith("SOAR_WEBHOOK_TOKEN=", StringComparison.Ordinal))["SOAR_WEBHOOK_TOKEN=".Length..];
        var searches = SplunkConf.Read(Path.Combine(App, "default", "savedsearches.conf")).Stanzas
            .Where(s => s.Value.GetValueOrDefault("action.webhook") == "1").ToList();

        Assert.NotEmpty(searches);
        Assert.All(searches, s => Assert.Equal($"http://soar:{port}/webhooks/splunk/{placeholder}", s.Value["action.webhook.param.url"]));
        // Long enough to pass the length check: refused for being the placeholder, by name.
        Assert.True(placeholder.Length >= 16);
        var e = Assert.Throws<ArgumentException>(() => new Soar.Api.Splunk.SplunkWebhookOptions { WebhookToken = placeholder }.Validate());
        Assert.Contains("placeholder", e.Message);
    }

    [Fact]
    public void TheDockerfileBuildsInOneStageAndRunsSoarInAnother()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(Root, "Dockerfile"));
        var stages = dockerfile.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, stages.Count);
        Assert.Contains("dotnet/sdk:10.0", stages[0]);
        Assert.Contains("dotnet/aspnet:10.0", stages[1]);
        Assert.Contains(dockerfile, l => l.StartsWith("RUN dotnet publish src/Soar.Cli/Soar.Cli.csproj", StringComparison.Ordinal));
        Assert.Contains(dockerfile, l => l.Contains("SOAR_HTTP=0.0.0.0:5000"));
        Assert.Contains("ENTRYPOINT [\"./soar\"]", dockerfile);
        Assert.Contains(File.ReadAllLines(Path.Combine(Root, ".dockerignore")), l => l == "**/.env");
    }

    [Fact]
    public void TheDockerfileCopiesTheRulesTheEngineEmbedsBeforeItPublishes()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(Root, "Dockerfile")).ToList();
        var publish = dockerfile.FindIndex(l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal));
        var copyRules = dockerfile.FindIndex(l => l.Trim() == "COPY rules/ rules/");

        // src/Soar/Soar.csproj embeds ../../rules/*.yaml: without them the image would run with no rules.
        Assert.Contains(@"..\..\rules\*.yaml", File.ReadAllText(Path.Combine(Root, "src", "Soar", "Soar.csproj")));
        Assert.InRange(copyRules, 0, publish - 1);
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(Root, ".dockerignore")), l => l.TrimEnd('/') is "rules" or "**/rules");
    }
}

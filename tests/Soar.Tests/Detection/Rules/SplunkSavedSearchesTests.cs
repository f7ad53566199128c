using Soar.Detection.Rules;

namespace Soar.Tests.Detection.Rules;

public class SplunkSavedSearchesTests
{
    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(relative);
    }

    [Fact]
    public void TheCommittedSavedSearchesAreWhatTheExportProducesNow()
    {
        var committed = File.ReadAllText(RepoFile("deploy/splunk/apps/soar/default/savedsearches.conf"));
        Assert.Equal(SplunkSavedSearches.Export(RuleLoader.LoadDefaults()), committed);
    }

    [Fact]
    public void EachRuleIsOneStanzaAlertingPerKeyWithoutDigestAndSuppressedPerKey()
    {
        var conf = SplunkSavedSearches.Export(RuleLoader.LoadDefaults(), "http://soar.test:5000/webhooks/splunk/t0ken");
        var stanzas = conf.Split("\n[").Skip(1).ToDictionary(s => s[..s.IndexOf(']')], s => s);
        Assert.Equal(6, stanzas.Count);
        foreach (var rule in RuleLoader.LoadDefaults())
        {
            var stanza = stanzas[rule.Id];
            Assert.Contains("\nalert.digest_mode = 0\n", stanza);
            Assert.Contains("\nalert.suppress = 1\n", stanza);
            Assert.Contains($"\nalert.suppress.fields = {(rule.GroupBy == KeyField.SourceIp ? "src_ip" : "user")}\n", stanza);
            Assert.Contains("\naction.webhook.param.url = http://soar.test:5000/webhooks/splunk/t0ken\n", stanza);
            Assert.Contains($"eval rule=\"{rule.Id}\"", stanza);
            Assert.Contains($"time_window={(long)rule.Window.TotalSeconds}s", stanza);
            Assert.Contains($"matched >= {rule.MinCount}", stanza);
        }
        Assert.Contains("streamstats time_window=600s dc(src_ip) AS matched BY user", stanzas["ssh-distributed-bruteforce"]);
        Assert.Contains("where signal=\"success\" AND matched >= 5", stanzas["ssh-compromise"]);
        Assert.Contains("dedup host pid", stanzas["ssh-scanner"]);
    }
}

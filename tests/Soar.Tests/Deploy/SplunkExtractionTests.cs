using System.Text.RegularExpressions;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Deploy;

/// <summary>
/// The app's search-time extractions (props.conf REPORT → transforms.conf REGEX), run as .NET
/// regexes (the patterns keep to the syntax PCRE and .NET share) over real sshd lines.
/// </summary>
public class SplunkExtractionTests
{
    private static readonly IReadOnlyList<Regex> Transforms = Load();

    private static List<Regex> Load()
    {
        var app = Path.GetDirectoryName(RepoFiles.Path("deploy/splunk/apps/soar/default/props.conf"))!;
        var transforms = SplunkConf.Read(Path.Combine(app, "transforms.conf"));
        return [.. SplunkConf.Read(Path.Combine(app, "props.conf"))["linux_secure"]
            .Where(kv => kv.Key.StartsWith("REPORT-", StringComparison.Ordinal))
            .SelectMany(kv => kv.Value.Split(',', StringSplitOptions.TrimEntries))
            .Select(name => new Regex(transforms[name]["REGEX"], RegexOptions.CultureInvariant))];
    }

    /// <summary>Every value each field gets from the line, over all transforms (Splunk would make them multivalue).</summary>
    private static Dictionary<string, List<string>> Extract(string line)
    {
        var fields = new Dictionary<string, List<string>>();
        foreach (var regex in Transforms)
        {
            var match = regex.Match(line);
            if (!match.Success) continue;
            foreach (var name in regex.GetGroupNames().Where(n => !int.TryParse(n, out _)))
            {
                var group = match.Groups[name];
                if (!group.Success) continue;
                if (!fields.TryGetValue(name, out var values)) fields[name] = values = [];
                values.Add(group.Value);
            }
        }
        return fields;
    }

    [Theory]
    [InlineData("auth.log")]
    [InlineData("auth-iso.log")]
    [InlineData("auth-rfc5424.log")]
    public void EveryCorpusLineSoarParsesGetsTheSameUserAndSourceAddressOnce(string file)
    {
        var parser = Lines.Parser();
        var checkedLines = 0;
        foreach (var line in File.ReadLines(CorpusFiles.Path(file)))
        {
            if (parser.Parse(line, out var authEvent) != Soar.Parsing.LineResult.Recognised || authEvent!.SourceIp is null) continue;
            var fields = Extract(line);
            Assert.True(fields.TryGetValue("src_ip", out var ips), $"no src_ip from: {line}");
            Assert.Equal([authEvent.SourceIp], ips);
            if (authEvent.User is { } user) Assert.Equal([user], fields["user"]);
            checkedLines++;
        }
        Assert.True(checkedLines > 150, $"only {checkedLines} lines checked");
    }

    [Theory]
    [InlineData("Nov 26 14:57:47 vm sshd[20015]: Connection closed by authenticating user labuser 127.0.0.11 port 53661 [preauth]", "labuser", "127.0.0.11")]
    [InlineData("Nov 26 14:57:47 vm sshd[20041]: Connection closed by invalid user admin 127.0.0.12 port 45721 [preauth]", "admin", "127.0.0.12")]
    [InlineData("Nov 26 14:58:58 vm sshd[21349]: Disconnecting authenticating user root 127.0.0.1 port 35848: Too many authentication failures [preauth]", "root", "127.0.0.1")]
    [InlineData("Nov 26 14:57:44 vm sshd[20015]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127.0.0.11  user=labuser", "labuser", "127.0.0.11")]
    [InlineData("Nov 26 14:57:44 vm sshd[20041]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127.0.0.12 ", null, "127.0.0.12")]
    [InlineData("Nov 26 14:58:32 vm sshd[20968]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=::1 ", null, "::1")]
    [InlineData("Nov 26 14:57:44 vm sshd[20074]: Received disconnect from 127.0.0.15 port 36853:11: disconnected by user", null, "127.0.0.15")]
    [InlineData("Nov 26 14:59:10 vm sshd[22001]: Connection closed by 127.0.0.17 port 51234 [preauth]", null, "127.0.0.17")]
    [InlineData("Nov 26 14:58:44 vm sshd[21298]: error: PAM: Authentication failure for illegal user oracle from 127.0.0.21", "oracle", "127.0.0.21")]
    [InlineData("Nov 26 14:58:58 vm sshd[21349]: error: maximum authentication attempts exceeded for root from 127.0.0.1 port 35848 ssh2 [preauth]", "root", "127.0.0.1")]
    [InlineData("Nov 26 14:59:33 vm sshd[22178]: PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127.0.0.1  user=root", "root", "127.0.0.1")]
    [InlineData("<38>1 2026-11-26T14:57:44.443367+00:00 vm sshd 20041 - -  Invalid user admin from 127.0.0.12 port 45721", "admin", "127.0.0.12")]
    [InlineData("<38>1 2026-11-26T14:58:52.588277+00:00 vm sshd 21849 - -  Unable to negotiate with 127.0.0.20 port 53769: no matching key exchange method found. [preauth]", null, "127.0.0.20")]
    [InlineData("Nov 26 14:59:10 vm sshd[22002]: User bob from 203.0.113.4 not allowed because not listed in AllowUsers", "bob", "203.0.113.4")]
    [InlineData("Nov 26 14:59:10 vm sshd[22003]: Failed password for invalid user foo bar from 2001:db8::5 port 4711 ssh2", "foo bar", "2001:db8::5")]
    // The user name is the attacker's: a fake " from <ip> port <n>" inside it must not win.
    [InlineData("Nov 26 14:59:10 vm sshd[22004]: Failed password for invalid user x from 198.51.100.1 port 1 from 203.0.113.5 port 22 ssh2", "x from 198.51.100.1 port 1", "203.0.113.5")]
    [InlineData("Nov 26 14:59:10 vm sshd[22005]: Invalid user y from 198.51.100.1 port 1 from 203.0.113.6 port 22", "y from 198.51.100.1 port 1", "203.0.113.6")]
    public void OtherSshdFormsYieldTheirUserAndAddress(string line, string? user, string ip)
    {
        var fields = Extract(line);

        Assert.Equal([ip], fields["src_ip"]);
        if (user is null) Assert.False(fields.ContainsKey("user"));
        else Assert.Equal([user], fields["user"]);
    }

    [Theory]
    [InlineData("Nov 26 14:57:44 vm sshd[20014]: pam_unix(sshd:session): session opened for user deploy(uid=1002) by (uid=0)")]
    [InlineData("Nov 26 14:57:42 vm sshd[19965]: Server listening on ::1 port 2222.")]
    [InlineData("Nov 26 14:57:44 vm CRON[20014]: Failed password for root from 203.0.113.5 port 22 ssh2")]
    public void LinesWithoutAnAttackerExtractNothing(string line)
    {
        Assert.False(Extract(line).ContainsKey("src_ip"));
    }
}

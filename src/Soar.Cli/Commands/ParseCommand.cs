using System.CommandLine;
using System.Diagnostics;
using Soar.Events;
using Soar.Ingest.File;
using Soar.Parsing;
using Soar.Parsing.Sshd;

namespace Soar.Cli.Commands;

internal static class ParseCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var files = CommonOptions.Files();
        var zone = CommonOptions.TimeZone();
        var command = new Command("parse",
            "Print the authentication events recognised in log files, one JSON object per line; a summary on stderr.")
        {
            files, zone,
        };
        command.SetAction(parsed =>
        {
            if (!CommonOptions.TryZone("parse", parsed.GetValue(zone), stderr, out var syslog))
                return SoarCommandLine.BadUsage;
            var inputs = CommonOptions.OpenAll("parse", parsed.GetValue(files)!, stderr);
            if (inputs is null) return SoarCommandLine.BadUsage;

            var parser = new AuthLogParser(syslog, new SshdParser());
            var clock = Stopwatch.StartNew();
            // Events usually go to a file (soar parse big.log > events.json): progress shows on the terminal's stderr.
            var progress = new ProgressReporter("parse", stderr);
            using (var output = new JsonLinesWriter(stdout))
            {
                foreach (var (path, reader) in inputs)
                {
                    using (reader)
                    {
                        foreach (var line in LogFileReader.Lines(reader))
                        {
                            if (parser.Parse(line, out var authEvent) == LineResult.Recognised)
                                output.Write(authEvent!, JsonOutput.WriteEvent);
                            if ((parser.Lines & 0xFFFF) == 0) progress.Report(path, parser.Lines, clock.Elapsed);
                        }
                    }
                }
            }
            progress.Done();

            var kinds = string.Join(", ", parser.ByKind.OrderByDescending(k => k.Value).Select(k => $"{k.Key.Name()} {k.Value}"));
            stderr.WriteLine($"soar parse: {parser.Lines} lines, {parser.Recognised} events, " +
                             $"{parser.NotAuthentication} not authentication, {parser.Malformed} malformed " +
                             $"in {clock.Elapsed.TotalSeconds:0.00} s");
            if (kinds.Length > 0) stderr.WriteLine($"  by kind: {kinds}");
            return SoarCommandLine.Success;
        });
        return command;
    }
}

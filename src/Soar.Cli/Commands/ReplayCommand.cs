using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Soar.Detection;
using Soar.Events;
using Soar.Ingest.File;
using Soar.Parsing;
using Soar.Parsing.Sshd;

namespace Soar.Cli.Commands;

internal static class ReplayCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var files = CommonOptions.Files();
        var zone = CommonOptions.TimeZone();
        var json = new Option<bool>("--json") { Description = "Print incidents as JSON lines instead of a table." };
        var rules = CommonOptions.RulesDirectory();
        var command = new Command("replay",
            "Run detection over log files on their own timestamps and print the incidents; a summary on stderr.")
        {
            files, zone, json, rules,
        };
        command.SetAction(parsed =>
        {
            if (!CommonOptions.TryZone("replay", parsed.GetValue(zone), stderr, out var syslog))
                return SoarCommandLine.BadUsage;
            if (!CommonOptions.TryDetector("replay", parsed.GetValue(rules), stderr, out var detector))
                return SoarCommandLine.BadUsage;
            var inputs = CommonOptions.OpenAll("replay", parsed.GetValue(files)!, stderr);
            if (inputs is null) return SoarCommandLine.BadUsage;

            var parser = new AuthLogParser(syslog, new SshdParser());
            var clock = Stopwatch.StartNew();
            var progress = new ProgressReporter("replay", stderr);
            foreach (var (path, reader) in inputs)
            {
                using (reader)
                {
                    foreach (var line in LogFileReader.Lines(reader))
                    {
                        // Only the incidents are printed: no change of each, no snapshot per attempt.
                        if (parser.Parse(line, out var authEvent) == LineResult.Recognised) detector.Observe(authEvent!, null);
                        if ((parser.Lines & 0xFFFF) == 0) progress.Report(path, parser.Lines, clock.Elapsed);
                    }
                }
            }
            progress.Done();

            var incidents = detector.Incidents.ToList();
            if (parsed.GetValue(json))
            {
                using var output = new JsonLinesWriter(stdout);
                foreach (var incident in incidents) output.Write(incident, JsonOutput.WriteIncident);
            }
            else
            {
                IncidentTable.Write(stdout, incidents);
            }

            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"soar replay: {parser.Lines} lines, {parser.Recognised} events, {detector.Signals} attempts and probes, " +
                $"{incidents.Count} incidents in {seconds:0.00} s ({parser.Lines / seconds:N0} lines/s)"));
            if (detector.LateEvents > 0)
                stderr.WriteLine($"soar replay: {detector.LateEvents} events arrived out of order beyond the tolerance and were not counted " +
                                 "(give files oldest first)");
            return SoarCommandLine.Success;
        });
        return command;
    }
}

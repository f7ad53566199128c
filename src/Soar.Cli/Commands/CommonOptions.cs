using System.CommandLine;
using Soar.Cli.Hosting;
using Soar.Detection;
using Soar.Ingest.File;
using Soar.Ingest.Syslog;

namespace Soar.Cli.Commands;

/// <summary>Options and helpers that several verbs share.</summary>
internal static class CommonOptions
{
    public static Option<string?> TimeZone() => new("--time-zone")
    {
        Description = "Zone of RFC 3164 timestamps, which carry none: an IANA id such as UTC (env SOAR_TIME_ZONE; default: local).",
    };

    public static Argument<string[]> Files()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Log files to read ('-' for standard input).",
            Arity = ArgumentArity.OneOrMore,
        };
        // The argument would take a mistyped option as a file name; a file named so is ./-x.
        files.Validators.Add(result =>
        {
            if (result.Tokens.FirstOrDefault(t => t.Value.Length > 1 && t.Value[0] == '-') is { } option)
                result.AddError($"Unrecognized option '{option.Value}'.");
        });
        return files;
    }

    public static Option<string?> RulesDirectory() => new("--rules")
    {
        Description = "A directory of rule files (*.yaml) to use instead of the built-in rules (env SOAR_RULES_DIR).",
    };

    /// <summary>The detector on the given (or built-in) rules; a bad rule is reported with its file, line and key.</summary>
    public static bool TryDetector(string verb, string? rulesDirectory, TextWriter stderr, out Detector detector)
    {
        try
        {
            // Offline verbs print every incident, however many have resolved along the way.
            detector = Detector.CreateDefault(new DetectionOptions
            {
                RulesDirectory = rulesDirectory ?? Environment.GetEnvironmentVariable("SOAR_RULES_DIR"),
            }, resolvedKept: int.MaxValue);
            return true;
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"soar {verb}: {e.Message}");
            detector = null!;
            return false;
        }
    }

    public static SyslogLineParser SyslogParser(string? timeZone)
    {
        var options = new SyslogOptions
        {
            TimeZone = timeZone ?? Environment.GetEnvironmentVariable("SOAR_TIME_ZONE"),
        };
        return new SyslogLineParser(TimeProvider.System, options.ResolveTimeZone());
    }

    /// <summary>Opens every file up front; on the first that cannot be read, says why and returns null.</summary>
    public static List<(string Path, TextReader Reader)>? OpenAll(string verb, string[] paths, TextWriter stderr)
    {
        var opened = new List<(string, TextReader)>();
        foreach (var path in paths)
        {
            try
            {
                opened.Add((path, LogFileReader.Open(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"soar {verb}: cannot read {path}: {e.Message}");
                foreach (var (_, reader) in opened) reader.Dispose();
                return null;
            }
        }
        return opened;
    }

    public static bool TryZone(string verb, string? zone, TextWriter stderr, out SyslogLineParser parser)
    {
        try
        {
            parser = SyslogParser(zone);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            stderr.WriteLine($"soar {verb}: unknown time zone '{zone}'.");
            parser = null!;
            return false;
        }
    }
}

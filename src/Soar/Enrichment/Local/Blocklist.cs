namespace Soar.Enrichment.Local;

/// <summary>
/// One blocklist: a named set of address ranges. The format is the one FireHOL's <c>.netset</c>
/// files and Spamhaus DROP share: one IP or CIDR per line, <c>#</c> comments, and text after
/// <c>;</c> (Spamhaus' SBL reference) ignored. Unreadable lines are counted, never fatal.
/// </summary>
public sealed class Blocklist
{
    private Blocklist(string name, IpRangeSet ranges, int entries, int badLines, int firstBadLine)
    {
        Name = name;
        Ranges = ranges;
        Entries = entries;
        BadLines = badLines;
        FirstBadLine = firstBadLine;
    }

    public string Name { get; }
    public IpRangeSet Ranges { get; }
    /// <summary>Addresses and CIDRs read.</summary>
    public int Entries { get; }
    /// <summary>Lines that were neither blank, a comment, nor an address or CIDR.</summary>
    public int BadLines { get; }
    /// <summary>Line number of the first bad line, 0 when there is none.</summary>
    public int FirstBadLine { get; }

    public static Blocklist Empty(string name) => new(name, IpRangeSet.Empty, 0, 0, 0);

    public static Blocklist Parse(string name, TextReader reader)
    {
        var ranges = new List<IpRange>();
        int badLines = 0, firstBad = 0, number = 0;
        while (reader.ReadLine() is { } raw)
        {
            number++;
            var line = raw.AsSpan();
            var comment = line.IndexOfAny('#', ';');
            if (comment >= 0) line = line[..comment];
            line = line.Trim();
            if (line.IsEmpty) continue;
            if (IpRange.TryParse(line, out var range))
            {
                ranges.Add(range.Value);
            }
            else
            {
                badLines++;
                if (firstBad == 0) firstBad = number;
            }
        }
        return new Blocklist(name, new IpRangeSet(ranges), ranges.Count, badLines, firstBad);
    }
}

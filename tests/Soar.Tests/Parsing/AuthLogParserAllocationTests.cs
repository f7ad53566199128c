using Soar.Parsing;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Parsing;

public class AuthLogParserAllocationTests
{
    /// <summary>A line allocates if it does so on every one of three passes (the runtime may allocate once).</summary>
    [Fact]
    public void CorpusLinesThatAreNotEventsAllocateNothing()
    {
        var parser = Lines.Parser();
        var lines = File.ReadLines(CorpusFiles.Path("auth.log"))
            .Concat(File.ReadLines(CorpusFiles.Path("auth-rfc5424.log")))
            .Concat(File.ReadLines(CorpusFiles.Path("auth-iso.log")))
            .Where(l => Lines.Parser().Parse(l, out _) != LineResult.Recognised)
            .ToList();
        Assert.True(lines.Count > 150);
        // Warm up past tiered compilation, which allocates on the calling thread when a method tiers up.
        for (var i = 0; i < 100; i++) foreach (var line in lines) parser.Parse(line, out _);
        var allocating = new HashSet<string>(lines);
        for (var pass = 0; pass < 3; pass++)
        {
            foreach (var line in lines)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                parser.Parse(line, out _);
                if (GC.GetAllocatedBytesForCurrentThread() == before) allocating.Remove(line);
            }
        }
        Assert.True(allocating.Count == 0, "allocated for: " + string.Join(" | ", allocating.Take(5)));
    }
}

using System.Globalization;
using Soar.Events;

namespace Soar.Cli.Commands;

/// <summary>A plain table of incidents for a terminal; attacker text is made safe first.</summary>
internal static class IncidentTable
{
    public static void Write(TextWriter output, IReadOnlyCollection<Incident> incidents)
    {
        if (incidents.Count == 0)
        {
            output.WriteLine("No incidents.");
            return;
        }
        output.WriteLine($"{"ID",4}  {"SEVERITY",-9}  {"KEY",-40}  {"ATTEMPTS",8}  {"USERS",5}  {"FIRST SEEN (UTC)",-19}  {"LAST SEEN (UTC)",-19}  RULES");
        foreach (var i in incidents)
        {
            var key = (i.Key.Field == "src_ip" ? "" : "user ") + UntrustedText.ForDisplay(i.Key.Value, 34);
            var severity = i.Severity.Name() + (i.RaisedByIntel ? "*" : "");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{i.Id,4}  {severity,-9}  {key,-40}  {i.Attempts,8}  {i.Users.Count,5}  {Time(i.FirstSeen),-19}  {Time(i.LastSeen),-19}  {string.Join(",", i.Findings.Select(f => f.Rule))}"));
        }
        if (incidents.Any(i => i.RaisedByIntel)) output.WriteLine("* raised by threat intel (soar incidents show ID says why)");
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}

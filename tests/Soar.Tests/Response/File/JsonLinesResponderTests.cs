using System.Text.Json;
using Soar.Events;
using Soar.Response.Outbox;

namespace Soar.Tests.Response.File;

public sealed class JsonLinesResponderTests
{
    [Fact]
    public async Task EachNotificationIsOneJsonLineWithTheIncidentAndAStableId()
    {
        var path = Path.Combine(Path.GetTempPath(), $"soar-file-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var harness = ResponseHarness.Create(new() { ["Response:File:Path"] = path }))
            {
                harness.Start();
                var incident = TestIncidents.Make(users: ["line\nbreak", "\"quoted\""]);
                await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, incident));
                await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: 2, ip: "2001:db8::7")));
                await harness.WaitForStateAsync(rows => rows.All(r => r.State == OutboxState.Delivered));
            }

            var lines = await System.IO.File.ReadAllLinesAsync(path);
            Assert.Equal(2, lines.Length);
            var first = JsonDocument.Parse(lines[0]).RootElement;
            Assert.StartsWith("soar-", first.GetProperty("notification_id").GetString());
            Assert.Equal("opened", first.GetProperty("change").GetString());
            Assert.Equal("high", first.GetProperty("severity").GetString());
            Assert.Equal("203.0.113.9", first.GetProperty("incident").GetProperty("key").GetProperty("src_ip").GetString());
            Assert.Equal(["line\nbreak", "\"quoted\""], first.GetProperty("incident").GetProperty("users").EnumerateArray().Select(u => u.GetString()));
            Assert.Equal("notconfigured", first.GetProperty("intel").GetProperty("status").GetString());
            Assert.Equal("2001:db8::7", JsonDocument.Parse(lines[1]).RootElement.GetProperty("incident").GetProperty("key").GetProperty("src_ip").GetString());
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void AFileInAMissingDirectoryIsRefusedAtStartUp()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ResponseHarness.Create(new() { ["Response:File:Path"] = "/nonexistent/dir/soar.jsonl" }));
        Assert.Contains("Response:File:Path", error.Message);
    }
}

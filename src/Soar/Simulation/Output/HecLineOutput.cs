using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Soar.Simulation.Output;

/// <summary>
/// Lines to Splunk's HTTP Event Collector (api-contracts.md §D): events concatenated back to back
/// in one POST to /services/collector/event with <c>Authorization: Splunk &lt;token&gt;</c>, each
/// <c>{"time", "host", "source", "sourcetype": "linux_secure", "event": "&lt;the syslog line&gt;"}</c>.
/// A busy or failing collector (429, 5xx, no connection) is retried with back-off; a rejected token
/// or request (other 4xx) is not, and stops the run. The token never appears in errors.
/// </summary>
public sealed class HecLineOutput : LineOutput
{
    public const string Path = "/services/collector/event";

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _token;
    private readonly string _host;
    private readonly int _batchLines;
    private readonly TimeProvider _clock;
    private readonly ArrayBufferWriter<byte> _body = new(1 << 20);
    private readonly Utf8JsonWriter _json;
    private int _lines;

    /// <param name="url">The collector's base URL (https://splunk:8088) or the full endpoint URL.</param>
    public HecLineOutput(HttpClient http, Uri url, string token, string host, int batchLines, TimeProvider clock)
    {
        _http = http;
        _endpoint = url.AbsolutePath.EndsWith(Path, StringComparison.Ordinal) ? url : new Uri(url, Path);
        _token = token;
        _host = host;
        _batchLines = batchLines;
        _clock = clock;
        _json = new Utf8JsonWriter(_body, new JsonWriterOptions { SkipValidation = true });
    }

    public Uri Endpoint => _endpoint;

    public override bool TryAppend(in SimulatedLine line, ReadOnlySpan<byte> rendered)
    {
        if (_lines >= _batchLines) return false;
        _json.Reset(_body);
        _json.WriteStartObject();
        // Whole seconds: fractional HEC times are not documented as accepted.
        _json.WriteNumber("time", line.Time.ToUnixTimeSeconds());
        _json.WriteString("host", _host);
        _json.WriteString("source", "soar:simulate");
        _json.WriteString("sourcetype", "linux_secure");
        _json.WriteString("event", rendered);
        _json.WriteEndObject();
        _json.Flush();
        _lines++;
        return true;
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_lines == 0) return;
        var lines = _lines;
        var body = _body.WrittenMemory;
        var delay = TimeSpan.FromMilliseconds(200);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var retry = false;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
                    {
                        Content = new ReadOnlyMemoryContent(body),
                    };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Splunk", _token);
                    using var response = await _http.SendAsync(request, cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        Sent += lines;
                        return;
                    }
                    var text = await ReadErrorAsync(response, cancellationToken);
                    LastError = $"HEC answered {(int)response.StatusCode} {response.ReasonPhrase}{text}";
                    retry = response.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;
                    if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) Broken = true;
                }
                catch (HttpRequestException e)
                {
                    LastError = $"HEC at {_endpoint.GetLeftPart(UriPartial.Authority)}: {e.Message}";
                    retry = true;
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    LastError = $"HEC at {_endpoint.GetLeftPart(UriPartial.Authority)}: timed out";
                    retry = true;
                }
                if (!retry || attempt == 5)
                {
                    Unsent += lines;
                    return;
                }
                await Task.Delay(delay, _clock, cancellationToken);
                delay *= 2;
            }
        }
        finally
        {
            _body.Clear();
            _lines = 0;
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        text = new string(text.Where(c => !char.IsControl(c)).Take(200).ToArray());
        return text.Length == 0 ? "" : ": " + text;
    }

    public override async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await base.DisposeAsync();
    }
}

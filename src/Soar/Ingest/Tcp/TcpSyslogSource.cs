using Microsoft.Extensions.Logging;
using Soar.Pipeline;

namespace Soar.Ingest.Tcp;

/// <summary>
/// Syslog over plain TCP (RFC 6587): octet counting ("123 &lt;34&gt;1 …") or LF / CRLF / NUL delimiters,
/// detected per connection from its first bytes.
/// </summary>
public sealed class TcpSyslogSource(
    TcpSyslogOptions options,
    PipelineMetrics metrics,
    TimeProvider clock,
    ILogger<TcpSyslogSource> logger)
    : SyslogStreamListener(options, "Ingest:Tcp", new IngestLog(logger, metrics, clock), clock)
{
    public override string Name => "tcp";
}

using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Soar.Ingest.Tcp;
using Soar.Pipeline;

namespace Soar.Ingest.Tls;

/// <summary>
/// Syslog over TLS (RFC 5425, port 6514). RFC 5425 frames by octet counting; rsyslog and syslog-ng also send
/// LF-delimited lines over TLS when so configured, so the framing is detected per connection as on plain TCP.
/// The handshake must finish within the idle timeout.
/// </summary>
public sealed class TlsSyslogSource(
    TlsSyslogOptions options,
    X509Certificate2 certificate,
    PipelineMetrics metrics,
    TimeProvider clock,
    ILogger<TlsSyslogSource> logger)
    : SyslogStreamListener(options, "Ingest:Tls", new IngestLog(logger, metrics, clock), clock)
{
    public override string Name => "tls";

    protected override async ValueTask<Stream?> OpenAsync(NetworkStream connection, string peer, CancellationToken cancellationToken)
    {
        var tls = new SslStream(connection, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                ClientCertificateRequired = false,
            }, cancellationToken);
            return tls;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            Log.HandshakeFailed(peer, e.Message);
            await tls.DisposeAsync();
            return null;
        }
    }
}

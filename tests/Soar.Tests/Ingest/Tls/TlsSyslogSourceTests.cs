using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Soar.Ingest.Tls;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Ingest.Tls;

/// <summary>The TLS listener with a self-signed certificate made here, written as PEM and as PKCS#12 files.</summary>
public sealed class TlsSyslogSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("soar-tls-").FullName;
    private readonly PipelineMetrics _metrics = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private TlsSyslogOptions WritePem(X509Certificate2 certificate)
    {
        var cert = Path.Combine(_folder, "syslog.crt");
        var key = Path.Combine(_folder, "syslog.key");
        System.IO.File.WriteAllText(cert, certificate.ExportCertificatePem());
        System.IO.File.WriteAllText(key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return new TlsSyslogOptions { Listen = "127.0.0.1:0", CertificateFile = cert, KeyFile = key };
    }

    private async Task<(SourceHarness Harness, IPEndPoint Endpoint)> StartAsync(TlsSyslogOptions options)
    {
        var source = new TlsSyslogSource(options, options.LoadCertificate(), _metrics, TimeProvider.System,
            SourceHarness.Logger<TlsSyslogSource>());
        var harness = new SourceHarness(source);
        return (harness, await source.Listening.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<SslStream> ConnectAsync(IPEndPoint endpoint, X509Certificate2 trusted)
    {
        var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false,
            (_, presented, _, _) => presented is not null && presented.GetCertHashString() == trusted.GetCertHashString());
        await tls.AuthenticateAsClientAsync("localhost");
        return tls;
    }

    [Fact]
    public async Task OctetCountedMessagesArriveOverTlsWithAPemCertificate()
    {
        using var certificate = SelfSigned();
        var (harness, endpoint) = await StartAsync(WritePem(certificate));
        await using var _ = harness;
        await using (var tls = await ConnectAsync(endpoint, certificate))
        {
            await tls.WriteAsync("9 <38>first10 <38>second"u8.ToArray());
            await tls.FlushAsync();
            await harness.UntilReceived(2);
        }
        Assert.Equal(["<38>first", "<38>second"], harness.Received);
    }

    [Fact]
    public async Task LineFramedMessagesAsRsyslogSendsThemByDefaultArriveOverTlsToo()
    {
        using var certificate = SelfSigned();
        var (harness, endpoint) = await StartAsync(WritePem(certificate));
        await using var _ = harness;
        await using var tls = await ConnectAsync(endpoint, certificate);
        await tls.WriteAsync("<38>first\n<38>second\n"u8.ToArray());
        await harness.UntilReceived(2);
        Assert.Equal(["<38>first", "<38>second"], harness.Received);
    }

    [Fact]
    public async Task APkcs12CertificateWorksToo()
    {
        using var certificate = SelfSigned();
        var pfx = Path.Combine(_folder, "syslog.pfx");
        System.IO.File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, "secret"));
        var (harness, endpoint) = await StartAsync(new TlsSyslogOptions
        {
            Listen = "127.0.0.1:0", CertificateFile = pfx, CertificatePassword = "secret",
        });
        await using var _ = harness;
        await using var tls = await ConnectAsync(endpoint, certificate);
        await tls.WriteAsync("9 <38>first"u8.ToArray());
        await harness.UntilReceived(1);
        Assert.Equal(["<38>first"], harness.Received);
    }

    [Fact]
    public async Task APlainTextPeerFailsTheHandshakeIsCountedAndTheListenerCarriesOn()
    {
        using var certificate = SelfSigned();
        var (harness, endpoint) = await StartAsync(WritePem(certificate));
        await using var _ = harness;
        using (var plain = new TcpClient())
        {
            await plain.ConnectAsync(endpoint);
            await plain.GetStream().WriteAsync("<38>not tls at all\n"u8.ToArray());
            await SourceHarness.Until(() => _metrics.TlsHandshakesFailed == 1, "the failed handshake to be counted");
        }
        await using var tls = await ConnectAsync(endpoint, certificate);
        await tls.WriteAsync("9 <38>after"u8.ToArray());
        await harness.UntilReceived(1);
        Assert.Equal(["<38>after"], harness.Received);
    }

    [Fact]
    public void AMissingCertificateFileIsAConfigurationErrorThatNamesTheKey()
    {
        var options = new TlsSyslogOptions { CertificateFile = Path.Combine(_folder, "missing.pem") };
        var error = Assert.Throws<ArgumentException>(() => options.LoadCertificate());
        Assert.Contains("Ingest:Tls:CertificateFile", error.Message);
    }
}

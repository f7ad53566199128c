using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Soar.Ingest.Tcp;

namespace Soar.Ingest.Tls;

/// <summary>
/// Syslog over TLS (RFC 5425). Off unless a certificate is configured: a PEM certificate with its key
/// (in the same file or in <see cref="KeyFile"/>), or a PKCS#12 (.pfx/.p12) file with its password.
/// </summary>
public sealed class TlsSyslogOptions : TcpSyslogOptions
{
    public TlsSyslogOptions() => Listen = "127.0.0.1:6514";

    /// <summary>The server certificate: a PEM file, or a .pfx/.p12 file.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key, when it is not in <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The password of a PKCS#12 file or an encrypted PEM key. A secret: never logged.</summary>
    public string? CertificatePassword { get; set; }

    public override bool Enabled => !string.IsNullOrWhiteSpace(CertificateFile) && base.Enabled;

    public override void Validate(string section)
    {
        if (string.IsNullOrWhiteSpace(CertificateFile)) return;
        base.Validate(section);
    }

    /// <summary>Loads the certificate and its key; a bad file fails at start-up, naming the key.</summary>
    public X509Certificate2 LoadCertificate(string section = "Ingest:Tls")
    {
        var path = CertificateFile ?? throw new ArgumentException($"{section}:CertificateFile is not set.");
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
                return X509CertificateLoader.LoadPkcs12FromFile(path, CertificatePassword);
            using var pem = string.IsNullOrEmpty(CertificatePassword)
                ? X509Certificate2.CreateFromPemFile(path, KeyFile)
                : X509Certificate2.CreateFromEncryptedPemFile(path, CertificatePassword, KeyFile);
            if (!pem.HasPrivateKey) throw new CryptographicException("the file has no private key");
            // A PEM key is ephemeral; TLS on some platforms wants one it can persist, so round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"{section}:CertificateFile '{path}' cannot be loaded: {e.Message}", e);
        }
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Soar.Ingest.File;
using Soar.Ingest.Tcp;
using Soar.Ingest.Tls;
using Soar.Ingest.Udp;
using Soar.Pipeline;

namespace Soar.Ingest;

/// <summary>The sources' part of the composition root (called from <see cref="SoarServiceCollectionExtensions"/>).</summary>
public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="IMessageSource"/> per configured source: <c>Ingest:Tcp</c>, <c>Ingest:Udp</c>,
    /// <c>Ingest:Tls</c> (only with a certificate), <c>Ingest:Files:Follow</c> (one per file), <c>Ingest:Stdin</c>.
    /// Every option is checked (and the certificate loaded) now, so bad configuration fails at start-up.
    /// </summary>
    public static IServiceCollection AddSoarIngest(this IServiceCollection services, IConfiguration configuration)
    {
        var tcp = configuration.BindSection<TcpSyslogOptions>("Ingest:Tcp");
        tcp.Validate("Ingest:Tcp");
        services.AddSingleton(tcp);
        services.AddSingleton<TcpSyslogSource>();
        if (tcp.Enabled) services.AddSingleton<IMessageSource>(sp => sp.GetRequiredService<TcpSyslogSource>());

        var udp = configuration.BindSection<UdpSyslogOptions>("Ingest:Udp");
        udp.Validate("Ingest:Udp");
        services.AddSingleton(udp);
        services.AddSingleton<UdpSyslogSource>();
        if (udp.Enabled) services.AddSingleton<IMessageSource>(sp => sp.GetRequiredService<UdpSyslogSource>());

        var tls = configuration.BindSection<TlsSyslogOptions>("Ingest:Tls");
        if (string.IsNullOrWhiteSpace(tls.CertificateFile) && !string.IsNullOrWhiteSpace(configuration["Ingest:Tls:Listen"])
            && !TcpSyslogOptions.IsOff(tls.Listen))
            throw new ArgumentException("Ingest:Tls:Listen is set but Ingest:Tls:CertificateFile is not (--tls-cert, SOAR_TLS_CERT): TLS needs a certificate.");
        tls.Validate("Ingest:Tls");
        if (tls.Enabled)
        {
            var certificate = tls.LoadCertificate();
            services.AddSingleton(sp => new TlsSyslogSource(tls, certificate, sp.GetRequiredService<PipelineMetrics>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TlsSyslogSource>>()));
            services.AddSingleton<IMessageSource>(sp => sp.GetRequiredService<TlsSyslogSource>());
        }

        var files = configuration.BindSection<FileFollowOptions>("Ingest:Files");
        files.Validate("Ingest:Files");
        foreach (var path in files.Follow.Distinct())
        {
            services.AddSingleton<IMessageSource>(sp => new FileFollowSource(path, files, sp.GetRequiredService<PipelineMetrics>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FileFollowSource>>()));
        }

        var stdin = configuration.BindSection<StdinOptions>("Ingest:Stdin");
        stdin.Validate("Ingest:Stdin");
        if (stdin.Enabled)
        {
            services.AddSingleton<IMessageSource>(sp => new StdinSource(System.Console.OpenStandardInput, stdin,
                sp.GetRequiredService<PipelineMetrics>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<StdinSource>>()));
        }
        return services;
    }
}

using Microsoft.Extensions.Configuration;

namespace Soar.Cli.Hosting;

/// <summary>
/// Builds the configuration, later sources winning: a JSON config file, then the <c>.env</c>
/// file, then the environment, then command-line options. The documented <c>SOAR_*</c>
/// variables map onto configuration keys here.
/// </summary>
public static class SoarConfiguration
{
    public static readonly IReadOnlyDictionary<string, string> EnvironmentKeys = new Dictionary<string, string>
    {
        ["SOAR_SYSLOG_TCP"] = "Ingest:Tcp:Listen",
        ["SOAR_SYSLOG_UDP"] = "Ingest:Udp:Listen",
        ["SOAR_SYSLOG_TLS"] = "Ingest:Tls:Listen",
        ["SOAR_TLS_CERT"] = "Ingest:Tls:CertificateFile",
        ["SOAR_TLS_KEY"] = "Ingest:Tls:KeyFile",
        ["SOAR_TLS_CERT_PASSWORD"] = "Ingest:Tls:CertificatePassword",
        ["SOAR_HTTP"] = "Http:Listen",
        ["SOAR_DATA_DIR"] = "DataDir",
        ["SOAR_TIME_ZONE"] = "Syslog:TimeZone",
        ["SOAR_RULES_DIR"] = "Detection:RulesDirectory",
        ["SOAR_VIRUSTOTAL_API_KEY"] = "VirusTotal:ApiKey",
        ["SOAR_VIRUSTOTAL_BASE_URL"] = "VirusTotal:BaseUrl",
        ["SOAR_DISCORD_WEBHOOK_URL"] = "Discord:WebhookUrl",
        ["SOAR_WEBHOOK_TOKEN"] = "Splunk:WebhookToken",
    };

    public static IConfiguration Build(string? configFile, IEnumerable<KeyValuePair<string, string?>> overrides,
        string dotEnvPath = ".env")
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new FileNotFoundException($"Config file not found: {configFile}");
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }

        var fromEnvironment = new Dictionary<string, string?>();
        var dotEnv = DotEnvFile.Read(dotEnvPath);
        foreach (var (variable, key) in EnvironmentKeys)
        {
            var value = Environment.GetEnvironmentVariable(variable) ?? dotEnv.GetValueOrDefault(variable);
            if (!string.IsNullOrEmpty(value)) fromEnvironment[key] = value;
        }
        builder.AddInMemoryCollection(fromEnvironment);
        builder.AddInMemoryCollection(overrides.Where(o => o.Value is not null));
        return builder.Build();
    }
}

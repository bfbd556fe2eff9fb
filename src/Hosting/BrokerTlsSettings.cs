using Telemetry.Mqtt;

namespace Telemetry.Hosting;

/// <summary>
/// TLS to the broker: the CA that signed the broker's certificate (only that CA is trusted; without one the operating
/// system's store is), an optional client certificate and key for brokers that require one, and the name the broker's
/// certificate must carry when it differs from the host connected to.
/// </summary>
public sealed class BrokerTlsSettings
{
    /// <summary>TLS without a CA file: the broker's certificate is checked against the operating system's trust store.</summary>
    public bool Enabled { get; set; }

    /// <summary>PEM or DER file of the CA certificate(s) to trust; turns TLS on.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate (with <see cref="KeyFile"/> unless the key is in the same file).</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key of <see cref="CertFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The host name checked in the broker's certificate; the host connected to by default.</summary>
    public string? ServerName { get; set; }

    public bool IsOn => Enabled || CaFile is not null;

    public IEnumerable<string> Validate(string section)
    {
        if (!IsOn && (CertFile is not null || KeyFile is not null || ServerName is not null))
        {
            yield return $"{section}: CertFile, KeyFile and ServerName need TLS on ({section}:CaFile or {section}:Enabled)";
        }

        if (CaFile is not null && CredentialFile.Problem(CaFile, $"{section}:CaFile", secret: false) is { } ca)
        {
            yield return ca;
        }

        if (KeyFile is not null && CertFile is null)
        {
            yield return $"{section}:KeyFile needs {section}:CertFile";
        }

        if (CertFile is not null && CredentialFile.Problem(CertFile, $"{section}:CertFile", secret: false) is { } cert)
        {
            yield return cert;
        }

        if (KeyFile is not null && CredentialFile.Problem(KeyFile, $"{section}:KeyFile") is { } key)
        {
            yield return key;
        }

        if (ServerName is { } name && (name.Length is 0 or > 253 || name.Any(char.IsWhiteSpace)))
        {
            yield return $"{section}:ServerName '{name}' is not a host name";
        }
    }

    /// <summary>The client library's TLS options; null when TLS is off.</summary>
    public MqttTlsOptions? ToOptions() => IsOn
        ? new MqttTlsOptions { CaCertificatePath = CaFile, ClientCertificatePath = CertFile, ClientKeyPath = KeyFile, TargetHost = ServerName }
        : null;
}

using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Telemetry.Mqtt.Transport;

/// <summary>Opens the byte stream to the server: TCP, optionally wrapped in TLS.</summary>
internal static class MqttTransport
{
    public static async Task<Stream> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(options.Host, options.Port), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (options.Tls is not { } tls)
        {
            return stream;
        }

        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(CreateAuthenticationOptions(options.Host, tls), cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal static SslClientAuthenticationOptions CreateAuthenticationOptions(string host, MqttTlsOptions tls)
    {
        var trustedRoots = LoadTrustedRoots(tls);
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = tls.TargetHost ?? host,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            EnabledSslProtocols = SslProtocols.None, // the operating system's secure defaults (TLS 1.2 / 1.3)
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                ValidateServerCertificate(certificate, chain, errors, trustedRoots, tls.AllowUntrustedCertificates),
        };
        var clientCertificate = LoadClientCertificate(tls);
        if (clientCertificate is not null)
        {
            authentication.ClientCertificates = [clientCertificate];
        }

        return authentication;
    }

    private static X509Certificate2Collection? LoadTrustedRoots(MqttTlsOptions tls)
    {
        if (tls.CaCertificate is { } certificate)
        {
            return [certificate];
        }

        if (tls.CaCertificatePath is not { } path)
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        var text = File.ReadAllText(path);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            roots.ImportFromPem(text);
        }
        else
        {
            roots.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }

        if (roots.Count == 0)
        {
            throw new InvalidOperationException($"No certificate found in the CA file '{path}'.");
        }

        return roots;
    }

    private static X509Certificate2? LoadClientCertificate(MqttTlsOptions tls)
    {
        if (tls.ClientCertificate is { } certificate)
        {
            return certificate;
        }

        if (tls.ClientCertificatePath is not { } path)
        {
            return null;
        }

        return tls.ClientKeyPath is { } keyPath
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509Certificate2.CreateFromPemFile(path);
    }

    /// <summary>
    /// With a custom CA the chain is rebuilt trusting only that CA (the system store is ignored); the host name must
    /// still match. Without one, the operating system's validation stands.
    /// </summary>
    private static bool ValidateServerCertificate(
        X509Certificate? certificate,
        X509Chain? chain,
        SslPolicyErrors errors,
        X509Certificate2Collection? trustedRoots,
        bool allowUntrusted)
    {
        if (allowUntrusted)
        {
            return true;
        }

        if (trustedRoots is null)
        {
            return errors == SslPolicyErrors.None;
        }

        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var customChain = new X509Chain();
        customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        customChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        customChain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                customChain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return customChain.Build(leaf);
    }
}

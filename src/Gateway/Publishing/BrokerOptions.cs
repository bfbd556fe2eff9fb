using System.Reflection;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Gateway.Configuration;
using Telemetry.Hosting;
using Telemetry.Mqtt;

namespace Telemetry.Gateway.Publishing;

/// <summary>The MQTT session of a gateway: the site file's broker with the configured overrides, a fixed client id, and the offline will.</summary>
public static class BrokerOptions
{
    public static string Version { get; } =
        typeof(BrokerOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static MqttClientOptions For(GatewayPlant plant, GatewaySettings settings, Topics topics, TimeProvider clock)
    {
        var endpoint = plant.Gateway.Mqtt;
        var overrides = settings.Mqtt;
        var tls = endpoint.Tls is not null || overrides.CaFile is not null
            ? new MqttTlsOptions
            {
                CaCertificatePath = overrides.CaFile ?? endpoint.Tls?.CaFile,
                ClientCertificatePath = overrides.CertFile ?? endpoint.Tls?.CertFile,
                ClientKeyPath = overrides.KeyFile ?? endpoint.Tls?.KeyFile,
                TargetHost = overrides.ServerName,
            }
            : null;
        return new MqttClientOptions
        {
            Host = overrides.Host ?? endpoint.Host,
            Port = overrides.Port ?? endpoint.Port,
            Username = overrides.Username ?? endpoint.Username,
            Password = overrides.PasswordFile is { } passwordFile ? CredentialFile.Read(passwordFile) : overrides.Password ?? endpoint.ResolvePassword(),
            ClientId = overrides.ClientId ?? $"gateway-{plant.SiteId}-{plant.GatewayId}",
            CleanStart = false,

            // Publishes in flight when the connection drops are sent again on the resumed session.
            SessionExpiryInterval = TimeSpan.FromDays(1),
            KeepAlive = overrides.KeepAlive,
            Tls = tls,
            Will = new MqttWillOptions { Message = StateMessage(plant, topics, GatewayStatus.Offline, clock.GetUtcNow()) },
            Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(5) },
            ConnectTimeout = TimeSpan.FromSeconds(5),

            // Only commands are received; the command service takes each at once into its own bounded inbox, so
            // this queue stays short and its bound only caps memory should the service fall behind.
            MessageQueueCapacity = 1024,
            MessageQueueBytes = settings.Commands.MaxQueuedBytes,
        };
    }

    /// <summary>The retained state message (QoS 1).</summary>
    public static MqttApplicationMessage StateMessage(GatewayPlant plant, Topics topics, GatewayStatus status, DateTimeOffset now) => new()
    {
        Topic = topics.State(plant.SiteId, plant.GatewayId),
        Payload = JsonSerializer.SerializeToUtf8Bytes(new GatewayState { State = status, Ts = now, Version = Version }, ContractsJson.Default.GatewayState),
        QualityOfService = MqttQualityOfService.AtLeastOnce,
        Retain = true,
        ContentType = "application/json",
        PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
    };
}

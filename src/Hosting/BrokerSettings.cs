using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Mqtt;

namespace Telemetry.Hosting;

/// <summary>
/// The <c>Mqtt</c> section of a central service that consumes the gateways' stream: where the broker is,
/// the persistent session it keeps there, and the shared-subscription group its instances split the stream in.
/// </summary>
public sealed class BrokerSettings
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// A file holding the password (its first line), readable by this service alone: how the credentials the stack
    /// generates at install reach the service without being written into configuration. Not with <see cref="Password"/>.
    /// </summary>
    public string? PasswordFile { get; set; }

    /// <summary>The <c>Mqtt:Tls</c> section: TLS to the broker, on when <c>Enabled</c> or a CA file is given.</summary>
    public BrokerTlsSettings Tls { get; set; } = new();

    /// <summary>The persistent session's identity: unacknowledged messages wait for it while it is away.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Instances in the same group split the stream (MQTT 5 shared subscription).</summary>
    public string SharedGroup { get; set; } = "";

    public string Root { get; set; } = Topics.DefaultRoot;

    /// <summary>How long the broker keeps the session (and queues for it) while the service is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Messages the broker may send before any is acknowledged.</summary>
    public int ReceiveMaximum { get; set; } = 1_000;

    /// <summary>
    /// Payload bytes received and not yet taken by the service; beyond them the client stops reading and the broker
    /// keeps the rest. With <see cref="ReceiveMaximum"/> it bounds memory in bytes whatever the message size: many small
    /// messages in flight for batching, a few large ones no more than this. 0: no limit but the message count.
    /// </summary>
    public long MessageQueueBytes { get; set; } = 16 << 20;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return "Mqtt:Host must be set";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"Mqtt:Port {Port} is not a TCP port (1-65535)";
        }

        if (!Identifiers.IsValid(SharedGroup))
        {
            yield return $"Mqtt:SharedGroup '{SharedGroup}' is invalid: {Identifiers.Rule}";
        }

        if (!Identifiers.IsValid(Root))
        {
            yield return $"Mqtt:Root '{Root}' is invalid: {Identifiers.Rule}";
        }

        if (string.IsNullOrWhiteSpace(ClientId) || ClientId.Length > 128)
        {
            yield return "Mqtt:ClientId must be 1 to 128 characters";
        }

        if (ReceiveMaximum is < 1 or > 65535)
        {
            yield return $"Mqtt:ReceiveMaximum {ReceiveMaximum} must be 1-65535";
        }

        if (MessageQueueBytes is < 0 or > 1L << 30)
        {
            yield return $"Mqtt:MessageQueueBytes {MessageQueueBytes} must be 0 (no limit) to 1 GiB";
        }

        if (Password is not null && PasswordFile is not null)
        {
            yield return "Mqtt:Password and Mqtt:PasswordFile are both set: give the password one way";
        }

        if ((Password is not null || PasswordFile is not null) && string.IsNullOrEmpty(Username))
        {
            yield return "Mqtt:Username must be set with a password";
        }

        if (PasswordFile is not null && CredentialFile.PasswordProblem(PasswordFile, "Mqtt:PasswordFile") is { } passwordProblem)
        {
            yield return passwordProblem;
        }

        foreach (var problem in Tls.Validate("Mqtt:Tls"))
        {
            yield return problem;
        }

        if (SessionExpiry < TimeSpan.Zero || SessionExpiry.TotalSeconds > uint.MaxValue)
        {
            yield return $"Mqtt:SessionExpiry {SessionExpiry} must be between 0 and {uint.MaxValue} s";
        }
    }

    /// <summary>
    /// The broker's address, this service's credentials and TLS, for any client of the service; each client adds its
    /// own id and session. The password file is read here, so a rotated password takes effect when the service restarts.
    /// </summary>
    public MqttClientOptions ClientOptions(string clientId) => new()
    {
        Host = Host,
        Port = Port,
        ClientId = clientId,
        Username = Username,
        Password = PasswordFile is { } file ? CredentialFile.Read(file) : Password,
        Tls = Tls.ToOptions(),
    };

    /// <summary>
    /// A client that keeps its session across restarts and acknowledges by hand, so that a message is
    /// PUBACKed only once what it carries is safe.
    /// </summary>
    public MqttClient CreateConsumer(int maximumPacketSize, ILogger<MqttClient> logger, TimeProvider clock) => new(
        ClientOptions(ClientId) with
        {
            CleanStart = false,
            SessionExpiryInterval = SessionExpiry,
            ManualAcknowledgement = true,
            ReceiveMaximum = (ushort)ReceiveMaximum,
            MessageQueueCapacity = ReceiveMaximum,
            MessageQueueBytes = MessageQueueBytes,
            MaximumPacketSize = maximumPacketSize,

            // Back soon after a broker restart: until the service subscribes again, gateways' messages find no subscriber.
            Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(5) },
        },
        logger,
        clock);
}

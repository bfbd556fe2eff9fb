using System.Security.Cryptography.X509Certificates;
using Telemetry.Mqtt.Formatter;

namespace Telemetry.Mqtt;

/// <summary>Settings of an <see cref="MqttClient"/>. Validated when the client is constructed.</summary>
public sealed record MqttClientOptions
{
    /// <summary>The smallest accepted <see cref="MaximumPacketSize"/>.</summary>
    public const int MinimumPacketSizeLimit = 128;

    /// <summary>The largest MQTT packet: a 268,435,455 byte body plus a 5 byte fixed header.</summary>
    public const int ProtocolMaximumPacketSize = 268_435_460;

    /// <summary>The server host name or IP address.</summary>
    public required string Host { get; init; }

    /// <summary>The server TCP port; 1883 by default (8883 is the usual TLS port).</summary>
    public int Port { get; init; } = 1883;

    /// <summary>
    /// The client identifier. Empty asks the server to assign one (the assigned identifier is then reused on
    /// reconnects). A fixed identifier is required to resume a persistent session after a process restart.
    /// </summary>
    public string ClientId { get; init; } = "";

    /// <summary>
    /// Whether the first connection discards any existing session. Automatic reconnects never discard the session,
    /// so in-flight messages and subscriptions survive a connection loss when <see cref="SessionExpiryInterval"/> is not zero.
    /// For a durable consumer use a fixed <see cref="ClientId"/>, <see langword="false"/> here and a non-zero
    /// <see cref="SessionExpiryInterval"/>: Mosquitto writes to its persistence file only sessions whose CONNECT had
    /// Clean Start 0, so a session begun with <see langword="true"/> does not survive a broker restart until the
    /// client has reconnected once.
    /// </summary>
    public bool CleanStart { get; init; } = true;

    /// <summary>
    /// How long the server keeps the session after the network connection closes (whole seconds on the wire, at most
    /// <see cref="uint.MaxValue"/> seconds, which means never). Zero ends the session with the connection.
    /// </summary>
    public TimeSpan SessionExpiryInterval { get; init; }

    /// <summary>
    /// The keep alive: a PINGREQ is sent when nothing was sent for this long, and the connection is considered dead
    /// when nothing at all arrives within this long after a PINGREQ. Whole seconds, at most 65535; zero disables.
    /// A Server Keep Alive in the CONNACK takes precedence.
    /// </summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The user name, or <see langword="null"/>.</summary>
    public string? Username { get; init; }

    /// <summary>The password (sent as UTF-8 binary data), or <see langword="null"/>.</summary>
    public string? Password { get; init; }

    /// <summary>The will message the server publishes when the connection is lost without a normal DISCONNECT.</summary>
    public MqttWillOptions? Will { get; init; }

    /// <summary>TLS settings; <see langword="null"/> for plain TCP.</summary>
    public MqttTlsOptions? Tls { get; init; }

    /// <summary>
    /// The Receive Maximum we announce: how many QoS 1 messages the server may send us before we acknowledge them.
    /// This bounds the number of outstanding manual acknowledgements. 1 to 65535; 1024 by default.
    /// </summary>
    public ushort ReceiveMaximum { get; init; } = 1024;

    /// <summary>
    /// The Maximum Packet Size we accept, fixed header included. A larger incoming packet ends the connection with
    /// DISCONNECT 0x95 without allocating memory for it. The server drops messages that would exceed it.
    /// 1 MiB by default; between <see cref="MinimumPacketSizeLimit"/> and <see cref="ProtocolMaximumPacketSize"/>.
    /// </summary>
    public int MaximumPacketSize { get; init; } = 1024 * 1024;

    /// <summary>
    /// <see langword="false"/> (default): a received QoS 1 message is acknowledged as soon as it is queued to
    /// <see cref="IMqttClient.Messages"/>. <see langword="true"/>: the application acknowledges with
    /// <see cref="IMqttClient.AcknowledgeAsync"/> after it has processed the message; unacknowledged messages are
    /// redelivered by the server after a reconnect to a persistent session.
    /// </summary>
    public bool ManualAcknowledgement { get; init; }

    /// <summary>
    /// How many received messages may wait in <see cref="IMqttClient.Messages"/>. When it is full the client stops
    /// reading from the network (back-pressure to the server) instead of dropping anything. 1024 by default.
    /// </summary>
    public int MessageQueueCapacity { get; init; } = 1024;

    /// <summary>
    /// How many payload bytes may wait in <see cref="IMqttClient.Messages"/>, so that memory is bounded in bytes as well
    /// as in messages: a message that would go over waits, and the client stops reading from the network, until the
    /// application has taken enough (a message is always let into an empty queue, however large). 0 (default): no
    /// limit but <see cref="MessageQueueCapacity"/>.
    /// </summary>
    public long MessageQueueBytes { get; init; }

    /// <summary>Automatic reconnection after an unexpected connection loss.</summary>
    public MqttReconnectOptions Reconnect { get; init; } = new();

    /// <summary>The time allowed for TCP connect, TLS handshake and CONNACK together. 10 seconds by default.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>User properties sent in the CONNECT packet.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("Host is required.", nameof(Host));
        }

        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException($"Port must be between 1 and 65535 but is {Port}.", nameof(Port));
        }

        CheckString(ClientId, nameof(ClientId));
        if (SessionExpiryInterval < TimeSpan.Zero || SessionExpiryInterval.TotalSeconds > uint.MaxValue)
        {
            throw new ArgumentException($"SessionExpiryInterval must be between 0 and {uint.MaxValue} seconds.", nameof(SessionExpiryInterval));
        }

        if (KeepAlive < TimeSpan.Zero || KeepAlive.TotalSeconds > ushort.MaxValue || KeepAlive.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException("KeepAlive must be whole seconds between 0 and 65535.", nameof(KeepAlive));
        }

        if (Username is not null)
        {
            CheckString(Username, nameof(Username));
        }

        if (Password is not null && MqttEncoding.StrictUtf8.GetByteCount(Password) > ushort.MaxValue)
        {
            throw new ArgumentException("Password must be at most 65535 UTF-8 bytes.", nameof(Password));
        }

        if (Will is { } will)
        {
            if (will.Message is null)
            {
                throw new ArgumentException("Will.Message is required.", nameof(Will));
            }

            MqttMessageValidator.Validate(will.Message, nameof(Will));
            if (will.Message.Payload.Length > ushort.MaxValue)
            {
                throw new ArgumentException("Will payload must be at most 65535 bytes.", nameof(Will));
            }

            if (will.Delay < TimeSpan.Zero || will.Delay.TotalSeconds > uint.MaxValue)
            {
                throw new ArgumentException($"Will.Delay must be between 0 and {uint.MaxValue} seconds.", nameof(Will));
            }
        }

        if (Tls is { } tls)
        {
            if (tls.CaCertificatePath is not null && tls.CaCertificate is not null)
            {
                throw new ArgumentException("Set either Tls.CaCertificatePath or Tls.CaCertificate, not both.", nameof(Tls));
            }

            if (tls.CaCertificatePath is { } path && !File.Exists(path))
            {
                throw new ArgumentException($"Tls.CaCertificatePath '{path}' does not exist.", nameof(Tls));
            }

            if (tls.ClientCertificatePath is not null && tls.ClientCertificate is not null)
            {
                throw new ArgumentException("Set either Tls.ClientCertificatePath or Tls.ClientCertificate, not both.", nameof(Tls));
            }

            if (tls.ClientKeyPath is not null && tls.ClientCertificatePath is null)
            {
                throw new ArgumentException("Tls.ClientKeyPath needs Tls.ClientCertificatePath.", nameof(Tls));
            }
        }

        if (ReceiveMaximum == 0)
        {
            throw new ArgumentException("ReceiveMaximum must be between 1 and 65535.", nameof(ReceiveMaximum));
        }

        if (MaximumPacketSize is < MinimumPacketSizeLimit or > ProtocolMaximumPacketSize)
        {
            throw new ArgumentException($"MaximumPacketSize must be between {MinimumPacketSizeLimit} and {ProtocolMaximumPacketSize} but is {MaximumPacketSize}.", nameof(MaximumPacketSize));
        }

        if (MessageQueueCapacity < 1)
        {
            throw new ArgumentException("MessageQueueCapacity must be at least 1.", nameof(MessageQueueCapacity));
        }

        if (MessageQueueBytes < 0)
        {
            throw new ArgumentException("MessageQueueBytes must be 0 (no limit) or more.", nameof(MessageQueueBytes));
        }

        if (Reconnect is null)
        {
            throw new ArgumentException("Reconnect is required.", nameof(Reconnect));
        }

        if (Reconnect.InitialDelay <= TimeSpan.Zero || Reconnect.MaxDelay < Reconnect.InitialDelay)
        {
            throw new ArgumentException("Reconnect.InitialDelay must be positive and Reconnect.MaxDelay at least as long.", nameof(Reconnect));
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ConnectTimeout must be positive.", nameof(ConnectTimeout));
        }

        if (UserProperties is null)
        {
            throw new ArgumentException("UserProperties must not be null.", nameof(UserProperties));
        }

        foreach (var property in UserProperties)
        {
            CheckString(property.Name, nameof(UserProperties));
            CheckString(property.Value, nameof(UserProperties));
        }
    }

    private static void CheckString(string? value, string option)
    {
        if (value is null || !MqttEncoding.IsValidString(value))
        {
            throw new ArgumentException($"{option} must be a valid MQTT string (UTF-8, no U+0000, at most 65535 bytes).", option);
        }
    }
}

/// <summary>The will message and when the server publishes it.</summary>
public sealed record MqttWillOptions
{
    /// <summary>The message the server publishes when the connection is lost without a normal DISCONNECT.</summary>
    public required MqttApplicationMessage Message { get; init; }

    /// <summary>The Will Delay Interval: how long the server waits before publishing (a reconnect within it cancels the will).</summary>
    public TimeSpan Delay { get; init; }
}

/// <summary>TLS settings. Without a CA the operating system's trust store validates the server.</summary>
public sealed record MqttTlsOptions
{
    /// <summary>The host name expected in the server certificate; defaults to <see cref="MqttClientOptions.Host"/>.</summary>
    public string? TargetHost { get; init; }

    /// <summary>A PEM or DER file with the CA certificate(s) to trust as the only roots.</summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>A CA certificate to trust as the only root.</summary>
    public X509Certificate2? CaCertificate { get; init; }

    /// <summary>A PEM client certificate file for mutual TLS (with <see cref="ClientKeyPath"/> unless the key is in the same file).</summary>
    public string? ClientCertificatePath { get; init; }

    /// <summary>The PEM private key file of <see cref="ClientCertificatePath"/>.</summary>
    public string? ClientKeyPath { get; init; }

    /// <summary>A client certificate with private key for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Accept any server certificate. For tests only: this disables authentication of the server.</summary>
    public bool AllowUntrustedCertificates { get; init; }
}

/// <summary>Automatic reconnection with jittered exponential backoff.</summary>
public sealed record MqttReconnectOptions
{
    /// <summary>Whether the client reconnects after an unexpected loss (never after <see cref="IMqttClient.DisconnectAsync"/>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The delay before the first attempt; it doubles with each failed attempt.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
}

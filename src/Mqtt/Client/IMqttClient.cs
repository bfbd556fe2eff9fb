using System.Threading.Channels;

namespace Telemetry.Mqtt;

/// <summary>An MQTT 5 client with automatic reconnect, pipelined QoS 1 publishing and a persistent message queue.</summary>
public interface IMqttClient : IAsyncDisposable
{
    /// <summary>The current connection state.</summary>
    MqttConnectionState State { get; }

    /// <summary>
    /// Raised after every state change, in order, on a background thread (never on the caller's thread, never
    /// concurrently). Handlers should be quick; exceptions they throw are logged and ignored.
    /// </summary>
    event EventHandler<MqttConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <summary>
    /// Makes the first connection. After it succeeds the client reconnects by itself after a loss (unless
    /// disabled) until <see cref="DisconnectAsync"/>.
    /// </summary>
    /// <exception cref="MqttConnectException">The server refused (typed <see cref="MqttConnectException.ReasonCode"/>) or could not be reached.</exception>
    /// <exception cref="InvalidOperationException">The client is not <see cref="MqttConnectionState.Disconnected"/>.</exception>
    Task<MqttConnectResult> ConnectAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Publishes a message. QoS 0 completes once the packet is written to the network. QoS 1 completes when the
    /// PUBACK arrives: the result carries its reason code and reason string. While reconnecting, or while the
    /// server's Receive Maximum is reached, the publish waits. A QoS 1 publish that was sent survives reconnects and
    /// is retransmitted until acknowledged; cancelling <paramref name="cancellationToken"/> after it was sent stops
    /// the wait but not the delivery.
    /// </summary>
    /// <exception cref="NotSupportedException">QoS 2, or a QoS or retain the server does not support.</exception>
    /// <exception cref="ArgumentException">Invalid topic or properties, or the packet exceeds the server's Maximum Packet Size.</exception>
    /// <exception cref="MqttClientDisconnectedException">The client is not connected and will not reconnect.</exception>
    Task<MqttPublishResult> PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Subscribes and returns the per-filter granted QoS or refusal. Successful subscriptions are remembered and
    /// made again after a reconnect that did not resume the session.
    /// </summary>
    Task<MqttSubscribeResult> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken);

    /// <summary>Unsubscribes and returns the per-filter results.</summary>
    Task<MqttUnsubscribeResult> UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken);

    /// <summary>
    /// Received PUBLISH packets in arrival order, across reconnects. Completes when the client is disposed.
    /// </summary>
    ChannelReader<MqttReceivedMessage> Messages { get; }

    /// <summary>
    /// Acknowledges a received QoS 1 message (sends its PUBACK) when <see cref="MqttClientOptions.ManualAcknowledgement"/>
    /// is set; acknowledgements may be given in any order. A no-op for QoS 0, for a message already acknowledged, and
    /// for a message received on an earlier connection (the server redelivers it on the current one).
    /// </summary>
    ValueTask AcknowledgeAsync(MqttReceivedMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Disconnects gracefully: waits for in-flight QoS 1 publishes to be acknowledged (until
    /// <paramref name="cancellationToken"/> is cancelled), sends DISCONNECT with reason Normal (the will is not
    /// published) and stops reconnecting. Cancellation shortens the wait; the disconnect still happens and publishes
    /// still unacknowledged fail with <see cref="MqttClientDisconnectedException"/>.
    /// </summary>
    Task DisconnectAsync(CancellationToken cancellationToken);
}

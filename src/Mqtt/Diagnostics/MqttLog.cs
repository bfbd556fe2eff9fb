using Microsoft.Extensions.Logging;

namespace Telemetry.Mqtt.Diagnostics;

/// <summary>Structured log messages of the MQTT client.</summary>
internal static partial class MqttLog
{
    [LoggerMessage(1, LogLevel.Information, "MQTT connected to {Host}:{Port} as {ClientId} (session present {SessionPresent}, connection {Generation}, server receive maximum {ReceiveMaximum}, keep alive {KeepAliveSeconds}s)")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, bool sessionPresent, long generation, int receiveMaximum, int keepAliveSeconds);

    [LoggerMessage(2, LogLevel.Warning, "MQTT connection {Generation} to {Host}:{Port} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, long generation, string host, int port, string reason, Exception? exception);

    [LoggerMessage(3, LogLevel.Warning, "MQTT reconnect attempt {Attempt} to {Host}:{Port} failed (CONNACK reason {ReasonCode}); next attempt in {DelayMilliseconds} ms")]
    public static partial void ReconnectFailed(ILogger logger, int attempt, string host, int port, MqttConnectReasonCode? reasonCode, long delayMilliseconds, Exception exception);

    [LoggerMessage(4, LogLevel.Error, "MQTT protocol violation by the server on connection {Generation}: {Detail}; disconnecting with reason {ReasonCode}")]
    public static partial void ProtocolViolation(ILogger logger, long generation, MqttDisconnectReasonCode reasonCode, string detail);

    [LoggerMessage(5, LogLevel.Warning, "MQTT server sent DISCONNECT with reason {ReasonCode} ({ReasonString}) on connection {Generation}")]
    public static partial void ServerDisconnected(ILogger logger, long generation, MqttDisconnectReasonCode reasonCode, string? reasonString);

    [LoggerMessage(6, LogLevel.Warning, "MQTT {PacketType} for unknown packet identifier {PacketIdentifier} ignored")]
    public static partial void UnknownPacketIdentifier(ILogger logger, string packetType, int packetIdentifier);

    [LoggerMessage(7, LogLevel.Debug, "MQTT acknowledgement of packet {PacketIdentifier} from connection {MessageGeneration} dropped (current connection {CurrentGeneration}); the server redelivers it")]
    public static partial void AcknowledgementDropped(ILogger logger, int packetIdentifier, long messageGeneration, long currentGeneration);

    [LoggerMessage(8, LogLevel.Error, "MQTT re-subscribe to {TopicFilter} after reconnect was refused with {ReasonCode}")]
    public static partial void ResubscribeRefused(ILogger logger, string topicFilter, MqttSubscribeReasonCode reasonCode);

    [LoggerMessage(9, LogLevel.Error, "MQTT ConnectionStateChanged handler threw")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "MQTT keep alive: no answer within {TimeoutSeconds}s to PINGREQ on connection {Generation}; closing it")]
    public static partial void KeepAliveTimeout(ILogger logger, long generation, double timeoutSeconds);

    [LoggerMessage(11, LogLevel.Information, "MQTT reconnecting to {Host}:{Port}, attempt {Attempt} in {DelayMilliseconds} ms")]
    public static partial void Reconnecting(ILogger logger, string host, int port, int attempt, long delayMilliseconds);

    [LoggerMessage(12, LogLevel.Information, "MQTT disconnected from {Host}:{Port} ({InFlight} publishes still unacknowledged)")]
    public static partial void Disconnected(ILogger logger, string host, int port, int inFlight);

    [LoggerMessage(13, LogLevel.Error, "MQTT publish to {Topic} of {Size} bytes dropped from the session: it exceeds the server's Maximum Packet Size {MaximumPacketSize}")]
    public static partial void PublishTooLarge(ILogger logger, string topic, int size, long maximumPacketSize);

    [LoggerMessage(14, LogLevel.Critical, "MQTT client background loop failed unexpectedly")]
    public static partial void BackgroundLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(16, LogLevel.Warning, "MQTT server exceeded our Receive Maximum of {ReceiveMaximum} unacknowledged QoS 1 messages on connection {Generation}; accepting them (known Mosquitto 2.0 behaviour)")]
    public static partial void ReceiveMaximumExceeded(ILogger logger, long generation, int receiveMaximum);

    [LoggerMessage(15, LogLevel.Debug, "MQTT writer failed on connection {Generation}")]
    public static partial void WriteFailed(ILogger logger, long generation, Exception exception);
}

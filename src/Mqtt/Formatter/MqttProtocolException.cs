namespace Telemetry.Mqtt;

/// <summary>
/// A packet violated the MQTT 5 protocol: it could not be decoded (malformed), arrived out of order, or broke a
/// negotiated limit. <see cref="ReasonCode"/> is what the client sends in its DISCONNECT.
/// </summary>
public sealed class MqttProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reasonCode">The DISCONNECT reason code that describes the violation.</param>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public MqttProtocolException(MqttDisconnectReasonCode reasonCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ReasonCode = reasonCode;
    }

    /// <summary>The DISCONNECT reason code: typically MalformedPacket (0x81), ProtocolError (0x82) or PacketTooLarge (0x95).</summary>
    public MqttDisconnectReasonCode ReasonCode { get; }

    internal static MqttProtocolException Malformed(string message, Exception? inner = null) =>
        new(MqttDisconnectReasonCode.MalformedPacket, message, inner);

    internal static MqttProtocolException ProtocolError(string message) =>
        new(MqttDisconnectReasonCode.ProtocolError, message);
}

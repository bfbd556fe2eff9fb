namespace Telemetry.Mqtt;

/// <summary>
/// A connect failed. <see cref="ReasonCode"/> is the server's CONNACK refusal (for example
/// <see cref="MqttConnectReasonCode.BadUserNameOrPassword"/>), or <see langword="null"/> when no CONNACK was
/// received (network failure, TLS failure, timeout); then <see cref="Exception.InnerException"/> tells why.
/// </summary>
public sealed class MqttConnectException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reasonCode">The CONNACK reason code, or <see langword="null"/> when the server did not answer.</param>
    /// <param name="message">The description.</param>
    /// <param name="innerException">The underlying error.</param>
    /// <param name="reasonString">The CONNACK reason string.</param>
    /// <param name="serverReference">The CONNACK server reference.</param>
    public MqttConnectException(MqttConnectReasonCode? reasonCode, string message, Exception? innerException = null, string? reasonString = null, string? serverReference = null)
        : base(message, innerException)
    {
        ReasonCode = reasonCode;
        ReasonString = reasonString;
        ServerReference = serverReference;
    }

    /// <summary>The CONNACK reason code, or <see langword="null"/> if the server never answered.</summary>
    public MqttConnectReasonCode? ReasonCode { get; }

    /// <summary>The CONNACK Reason String, if any.</summary>
    public string? ReasonString { get; }

    /// <summary>The CONNACK Server Reference (another server to use), if any.</summary>
    public string? ServerReference { get; }

    /// <summary>
    /// Whether the server refused the credentials or the client: 0x86 Bad User Name or Password, 0x87 Not authorized
    /// (what Mosquitto 2.0 sends for a wrong password), 0x8A Banned or 0x8C Bad authentication method. Retrying
    /// without changing the configuration will not help.
    /// </summary>
    public bool IsAuthenticationFailure => ReasonCode is MqttConnectReasonCode.BadUserNameOrPassword
        or MqttConnectReasonCode.NotAuthorized
        or MqttConnectReasonCode.Banned
        or MqttConnectReasonCode.BadAuthenticationMethod;
}

/// <summary>
/// An operation could not complete because the client is not connected and will not reconnect: it was never
/// connected, <see cref="IMqttClient.DisconnectAsync"/> was called, or reconnection is disabled. For a QoS 1 publish
/// the outcome is unknown: the server may or may not have received the message.
/// </summary>
public sealed class MqttClientDisconnectedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The description.</param>
    /// <param name="innerException">The cause, if any.</param>
    public MqttClientDisconnectedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

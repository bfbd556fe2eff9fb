namespace Telemetry.Mqtt;

/// <summary>The delivery guarantee of an application message (MQTT 5.0 section 4.3).</summary>
public enum MqttQualityOfService : byte
{
    /// <summary>QoS 0: delivered at most once, no acknowledgement.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: delivered at least once, acknowledged with PUBACK.</summary>
    AtLeastOnce = 1,

    /// <summary>QoS 2: exactly once. Understood on the wire but not supported by <see cref="MqttClient"/>.</summary>
    ExactlyOnce = 2,
}

/// <summary>The Payload Format Indicator property (MQTT 5.0 section 3.3.2.3.2).</summary>
public enum MqttPayloadFormatIndicator : byte
{
    /// <summary>The payload is unspecified bytes (the property is omitted on the wire).</summary>
    Unspecified = 0,

    /// <summary>The payload is UTF-8 encoded character data.</summary>
    Utf8 = 1,
}

/// <summary>The Retain Handling subscription option (MQTT 5.0 section 3.8.3.1).</summary>
public enum MqttRetainHandling : byte
{
    /// <summary>Send retained messages at the time of the subscribe.</summary>
    SendAtSubscribe = 0,

    /// <summary>Send retained messages at subscribe only if the subscription does not currently exist.</summary>
    SendAtSubscribeIfNew = 1,

    /// <summary>Do not send retained messages at the time of the subscribe.</summary>
    DoNotSend = 2,
}

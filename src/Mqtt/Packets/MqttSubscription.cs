namespace Telemetry.Mqtt;

/// <summary>One topic filter of a SUBSCRIBE request with its subscription options (MQTT 5.0 section 3.8.3.1).</summary>
public sealed record MqttSubscription
{
    /// <summary>
    /// The topic filter, possibly with <c>+</c> and <c>#</c> wildcards, or a shared subscription
    /// <c>$share/{group}/{filter}</c>.
    /// </summary>
    public required string TopicFilter { get; init; }

    /// <summary>The maximum QoS the server may use when delivering to this subscription.</summary>
    public MqttQualityOfService MaximumQoS { get; init; } = MqttQualityOfService.AtLeastOnce;

    /// <summary>Do not deliver messages published by this same client (not allowed on shared subscriptions).</summary>
    public bool NoLocal { get; init; }

    /// <summary>Keep the RETAIN flag as published when forwarding.</summary>
    public bool RetainAsPublished { get; init; }

    /// <summary>Whether retained messages are sent when the subscription is made.</summary>
    public MqttRetainHandling RetainHandling { get; init; }
}

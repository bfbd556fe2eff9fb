namespace Telemetry.Mqtt;

/// <summary>An application message: what is published, received, or left as a will.</summary>
/// <remarks>
/// Collections and memory are referenced, not copied: do not mutate them after handing the message to the client.
/// Equality of <see cref="Payload"/>, <see cref="CorrelationData"/> and <see cref="UserProperties"/> is by reference.
/// </remarks>
public sealed record MqttApplicationMessage
{
    /// <summary>The topic name: non-empty, no wildcard characters, at most 65535 UTF-8 bytes.</summary>
    public required string Topic { get; init; }

    /// <summary>The application payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The quality of service. Use <see cref="MqttQualityOfService.AtLeastOnce"/> for anything that must not be lost.</summary>
    public MqttQualityOfService QualityOfService { get; init; }

    /// <summary>Whether the server keeps the message as the retained message of the topic.</summary>
    public bool Retain { get; init; }

    /// <summary>The Payload Format Indicator property.</summary>
    public MqttPayloadFormatIndicator PayloadFormatIndicator { get; init; }

    /// <summary>The Message Expiry Interval property (whole seconds on the wire), or <see langword="null"/> for no expiry.</summary>
    public TimeSpan? MessageExpiryInterval { get; init; }

    /// <summary>The Content Type property (for example a MIME type), or <see langword="null"/>.</summary>
    public string? ContentType { get; init; }

    /// <summary>The Response Topic property (a topic name), or <see langword="null"/>.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>The Correlation Data property, or <see langword="null"/>.</summary>
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    /// <summary>The User Properties, in order.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}

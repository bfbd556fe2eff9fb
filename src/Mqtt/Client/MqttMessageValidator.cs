using Telemetry.Mqtt.Formatter;

namespace Telemetry.Mqtt;

/// <summary>Checks an application message before it is queued, so the encoder never fails on it later.</summary>
internal static class MqttMessageValidator
{
    public static void Validate(MqttApplicationMessage message, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(message, parameterName);
        if (!MqttTopicName.IsValid(message.Topic))
        {
            throw new ArgumentException($"Invalid topic name '{message.Topic}': it must be non-empty, contain no '+' or '#', and be a valid MQTT string.", parameterName);
        }

        if (message.QualityOfService == MqttQualityOfService.ExactlyOnce)
        {
            throw new NotSupportedException("QoS 2 (exactly once) is not supported; use QoS 1 and idempotent processing.");
        }

        if (message.QualityOfService > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentException($"Unknown QoS {(int)message.QualityOfService}.", parameterName);
        }

        if (message.PayloadFormatIndicator > MqttPayloadFormatIndicator.Utf8)
        {
            throw new ArgumentException($"Unknown payload format indicator {(int)message.PayloadFormatIndicator}.", parameterName);
        }

        if (message.MessageExpiryInterval is { } expiry && (expiry < TimeSpan.Zero || expiry.TotalSeconds > uint.MaxValue))
        {
            throw new ArgumentException($"MessageExpiryInterval must be between 0 and {uint.MaxValue} seconds.", parameterName);
        }

        if (message.ContentType is { } contentType && !MqttEncoding.IsValidString(contentType))
        {
            throw new ArgumentException("ContentType is not a valid MQTT string.", parameterName);
        }

        if (message.ResponseTopic is { } responseTopic && !MqttTopicName.IsValid(responseTopic))
        {
            throw new ArgumentException($"ResponseTopic '{responseTopic}' is not a valid topic name.", parameterName);
        }

        if (message.CorrelationData is { Length: > ushort.MaxValue })
        {
            throw new ArgumentException("CorrelationData must be at most 65535 bytes.", parameterName);
        }

        if (message.UserProperties is null)
        {
            throw new ArgumentException("UserProperties must not be null.", parameterName);
        }

        foreach (var property in message.UserProperties)
        {
            if (property.Name is null || property.Value is null || !MqttEncoding.IsValidString(property.Name) || !MqttEncoding.IsValidString(property.Value))
            {
                throw new ArgumentException("A user property name or value is not a valid MQTT string.", parameterName);
            }
        }
    }
}

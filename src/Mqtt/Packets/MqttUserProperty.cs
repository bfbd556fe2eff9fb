namespace Telemetry.Mqtt;

/// <summary>An MQTT 5 User Property: a UTF-8 name/value pair. Names may repeat and order is preserved.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Value">The property value.</param>
public readonly record struct MqttUserProperty(string Name, string Value);

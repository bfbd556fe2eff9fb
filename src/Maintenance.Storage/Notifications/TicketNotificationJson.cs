using System.Text.Json;
using System.Text.Json.Serialization;
using Telemetry.Contracts;

namespace Telemetry.Maintenance.Notifications;

/// <summary>
/// The JSON document of a <see cref="TicketNotificationPayload"/>: what the outbox stores and what a crew receives on
/// <c>lighting/alerts/{crew}</c> and the webhooks, byte for byte. Snake case, times in UTC to the millisecond.
/// </summary>
public static class TicketNotificationJson
{
    /// <summary>The document the outbox stores and sends.</summary>
    public static string ToJson(this TicketNotificationPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return JsonSerializer.Serialize(payload, NotificationJson.Default.TicketNotificationPayload);
    }

    /// <summary>Reads a document <see cref="ToJson"/> wrote (a <see cref="PendingNotification.Payload"/>).</summary>
    public static TicketNotificationPayload Parse(string json) =>
        JsonSerializer.Deserialize(json, NotificationJson.Default.TicketNotificationPayload)
        ?? throw new JsonException("a notification payload is an object, not null");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(UtcMillisecondsJsonConverter)])]
[JsonSerializable(typeof(TicketNotificationPayload))]
internal sealed partial class NotificationJson : JsonSerializerContext;

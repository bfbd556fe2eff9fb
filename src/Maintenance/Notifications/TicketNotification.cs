using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Notifications;

/// <summary>Why a crew is told about a ticket.</summary>
public enum NotificationKind
{
    Opened,
    Escalated,
    Reassigned,
    Reopened,
}

/// <summary>Names of <see cref="NotificationKind"/>.</summary>
public static class NotificationKinds
{
    /// <summary><c>opened</c>, <c>escalated</c>, <c>reassigned</c> or <c>reopened</c>.</summary>
    public static string ToName(this NotificationKind kind) => kind switch
    {
        NotificationKind.Opened => "opened",
        NotificationKind.Escalated => "escalated",
        NotificationKind.Reassigned => "reassigned",
        NotificationKind.Reopened => "reopened",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown notification kind"),
    };

    /// <summary>Parses <see cref="ToName"/>'s spelling.</summary>
    public static bool TryParse(string? name, out NotificationKind kind)
    {
        foreach (var candidate in Enum.GetValues<NotificationKind>())
        {
            if (candidate.ToName() == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}

/// <summary>
/// A crew notification a ticket change raised, stored with the change. <see cref="Id"/> is the same however often the
/// change is retried (<c>YW2611-0007/opened</c>, <c>YW2611-0007/escalated/response</c>, <c>YW2611-0007/reassigned/3</c>),
/// so the outbox keeps one per id and channel.
/// </summary>
/// <param name="Id">Unique per ticket and event.</param>
/// <param name="Kind">Why.</param>
/// <param name="TicketNumber">The ticket.</param>
/// <param name="Channels">The crew alert channels it goes to (<c>lighting/alerts/{channel}</c>).</param>
/// <param name="Payload">What the crew is told; the outbox stores it as the JSON document it sends.</param>
/// <param name="CreatedAt">When the event happened.</param>
public sealed record TicketNotification(
    string Id,
    NotificationKind Kind,
    TicketNumber TicketNumber,
    IReadOnlyList<string> Channels,
    TicketNotificationPayload Payload,
    DateTimeOffset CreatedAt);

/// <summary>One notification waiting for delivery to one channel at one destination.</summary>
/// <param name="Id">The notification's <see cref="TicketNotification.Id"/>.</param>
/// <param name="Kind">Why.</param>
/// <param name="Crew">The alert channel: a crew, or the supervisor.</param>
/// <param name="TicketNumber">The ticket.</param>
/// <param name="Payload">The JSON document to send, as the outbox stored it.</param>
/// <param name="Attempts">Failed deliveries to this destination so far.</param>
/// <param name="CreatedAt">When the event happened.</param>
public sealed record PendingNotification(
    string Id,
    NotificationKind Kind,
    string Crew,
    TicketNumber TicketNumber,
    string Payload,
    int Attempts,
    DateTimeOffset CreatedAt);

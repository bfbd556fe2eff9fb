using Telemetry.InfluxDb;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.Maintenance.Notifications;

namespace Telemetry.Rules.Alerts;

/// <summary>
/// Writes ticket events (opened, escalated, reassigned) to InfluxDB's <c>events</c> measurement, beside the
/// gateways' events, so that a ticket can be drawn on the same time axis as the readings that opened it. It is
/// one more destination of the notification outbox: a write that fails is retried like any delivery, and one
/// written twice overwrites itself (same series, same time).
/// </summary>
public sealed class TicketTimeline(InfluxClient influx, string database)
{
    public const string Measurement = "events";

    private int _databaseReady;

    public async Task WriteAsync(PendingNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (Volatile.Read(ref _databaseReady) == 0)
        {
            await influx.CreateDatabaseAsync(database, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _databaseReady, 1);
        }

        await influx.WriteAsync([ToPoint(notification)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The point of a notification: tagged like the gateways' events, kind <c>ticket_{kind}</c>.</summary>
    public static Point ToPoint(PendingNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var ticket = TicketNotificationJson.Parse(notification.Payload);
        var point = new Point(Measurement)
            .Tag("site", ticket.Site)
            .Tag("gateway", ticket.Gateway)
            .Tag("device", ticket.Device)
            .Tag("circuit", ticket.Circuit)
            .Tag("kind", "ticket_" + ticket.Kind)
            .Field("ticket", ticket.TicketNumber)
            .Field("fault", ticket.Fault)
            .Field("grade", (long)ticket.Grade)
            .Field("summary", ticket.Summary)
            .Field("status", ticket.Status)
            .Field("crew", ticket.Crew ?? "")
            .Field("occurrences", (long)ticket.Occurrences)
            .Field("repeat_repair", ticket.RepeatRepair);
        if (ticket.Escalation is { } deadline)
        {
            point.Field("deadline", deadline);
        }

        return point.Timestamp(notification.CreatedAt);
    }
}

using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Notifications;

/// <summary>
/// What a crew is told about a ticket on <c>lighting/alerts/{crew}</c> and the webhooks: the ticket's facts at the moment
/// of the notification. A value: the outbox renders it as JSON when it stores it (Maintenance.Storage).
/// </summary>
public sealed record TicketNotificationPayload(
    string Id,
    string Kind,
    string TicketNumber,
    string AssetKey,
    string Site,
    string Gateway,
    string? Device,
    string? Circuit,
    string Fault,
    int Grade,
    string Summary,
    string Status,
    string? Crew,
    string Zone,
    DateTimeOffset OpenedAt,
    NotificationDeadlines Deadlines,
    int Occurrences,
    bool RepeatRepair,
    string? RepeatOf,
    string? Escalation)
{
    internal static TicketNotificationPayload For(Ticket ticket, string id, NotificationKind kind, DeadlineKind? escalation) => new(
        id,
        kind.ToName(),
        ticket.Number.ToString(),
        ticket.Asset.Key,
        ticket.Asset.Site,
        ticket.Asset.Gateway,
        ticket.Asset.Device,
        ticket.Asset.Circuit,
        ticket.Fault.ToName(),
        (int)ticket.Grade,
        ticket.Summary,
        ticket.Status.ToName(),
        ticket.Crew,
        ticket.Zone.ToJsonName(),
        ticket.OpenedAt,
        new NotificationDeadlines(ticket.Deadlines.RespondBy, ticket.Deadlines.OnSiteBy, ticket.Deadlines.FixBy),
        ticket.Occurrences,
        ticket.RepeatRepair,
        ticket.RepeatOf?.ToString(),
        escalation?.ToName());
}

/// <summary>The ticket's deadlines in a notification; null where the grade sets none.</summary>
public sealed record NotificationDeadlines(DateTimeOffset? RespondBy, DateTimeOffset? OnSiteBy, DateTimeOffset? FixBy);

using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Tickets;

/// <summary>A ticket as the API shows it: names in snake case, times in UTC, deadlines with their breach state now.</summary>
public sealed record TicketView(
    string Number,
    string Status,
    int Grade,
    string Fault,
    string Asset,
    string Site,
    string Gateway,
    string? Device,
    string? Circuit,
    string Summary,
    string? Crew,
    string CrewZone,
    string Origin,
    DateTimeOffset OpenedAt,
    DateTimeOffset FirstOccurrence,
    DateTimeOffset LastOccurrence,
    int Occurrences,
    IReadOnlyDictionary<string, double> Evidence,
    bool RepeatRepair,
    string? RepeatOf,
    bool ConditionActive,
    DateTimeOffset? ConditionClearedAt,
    string? ConditionClearedSummary,
    IReadOnlyList<DeadlineView> Deadlines,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? OnSiteAt,
    string? OnSiteBy,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    ResolutionView? Resolution,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    string? ClosingNote,
    IReadOnlyList<EscalationView> Escalations,
    IReadOnlyList<RelatedView> Related,
    IReadOnlyList<StepView> History,
    IReadOnlyList<FollowUpView> FollowUps,
    long Version)
{
    public static TicketView From(Ticket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return new TicketView(
            ticket.Number.ToString(),
            ticket.Status.ToName(),
            (int)ticket.Grade,
            ticket.Fault.ToName(),
            ticket.Asset.Key,
            ticket.Asset.Site,
            ticket.Asset.Gateway,
            ticket.Asset.Device,
            ticket.Asset.Circuit,
            ticket.Summary,
            ticket.Crew,
            ticket.Zone.ToJsonName(),
            ticket.Origin.Kind == TicketOriginKind.Rule ? "rule" : $"operator:{ticket.Origin.Actor}",
            ticket.OpenedAt,
            ticket.FirstOccurrence,
            ticket.LastOccurrence,
            ticket.Occurrences,
            ticket.Evidence,
            ticket.RepeatRepair,
            ticket.RepeatOf?.ToString(),
            ticket.ConditionActive,
            ticket.ConditionClearedAt,
            ticket.ConditionClearedSummary,
            [.. Enum.GetValues<DeadlineKind>()
                .Where(k => ticket.Deadlines.For(k) is not null)
                .Select(k => new DeadlineView(DeadlineName(k), ticket.Deadlines.For(k)!.Value, ticket.DoneAt(k), ticket.IsBreached(k, now), ticket.IsEscalated(k)))],
            ticket.AcknowledgedAt,
            ticket.AcknowledgedBy,
            ticket.OnSiteAt,
            ticket.OnSiteBy,
            ticket.ResolvedAt,
            ticket.ResolvedBy,
            ticket.Resolution is { } r ? new ResolutionView(r.Cause, r.Action, r.PartsReplaced, r.Kind == RepairKind.Hardware ? "hardware" : "software", r.Note) : null,
            ticket.ClosedAt,
            ticket.ClosedBy,
            ticket.ClosingNote,
            [.. ticket.Escalations.Select(e => new EscalationView(DeadlineName(e.Deadline), e.Due, e.At))],
            [.. ticket.Related.Select(r => new RelatedView(r.Fault.ToName(), (int)r.Grade, r.Summary, r.FirstOccurrence, r.LastOccurrence, r.Occurrences, r.Active, r.ClearedAt, r.Evidence))],
            [.. ticket.History.Select(s => new StepView(StepName(s.What), s.Actor, s.At, s.Detail, s.Client))],
            [.. ticket.FollowUps.Select(f => FollowUpView.From(f, now))],
            ticket.Version);
    }

    private static string DeadlineName(DeadlineKind kind) => kind switch
    {
        DeadlineKind.Response => "response",
        DeadlineKind.Arrival => "arrival",
        _ => "fix",
    };

    private static string StepName(TicketStepKind kind) => kind switch
    {
        TicketStepKind.Opened => "opened",
        TicketStepKind.Occurred => "occurred",
        TicketStepKind.ConditionCleared => "condition_cleared",
        TicketStepKind.Acknowledged => "acknowledged",
        TicketStepKind.ArrivedOnSite => "arrived_on_site",
        TicketStepKind.Resolved => "resolved",
        TicketStepKind.Closed => "closed",
        TicketStepKind.Reassigned => "reassigned",
        TicketStepKind.Escalated => "escalated",
        TicketStepKind.Reopened => "reopened",
        TicketStepKind.Related => "related",
        TicketStepKind.Rediagnosed => "rediagnosed",
        TicketStepKind.Commented => "commented",
        TicketStepKind.FollowedUp => "followed_up",
        _ => "regraded",
    };
}

/// <summary>
/// A follow-up task after the repair (<c>verification</c>, <c>survey</c>, <c>return_visit</c>): its deadline, whether it is
/// open, overdue now, cancelled (the ticket was sent back), or done when, by whom, with what outcome and satisfaction.
/// </summary>
public sealed record FollowUpView(string Kind, DateTimeOffset Due, bool Open, bool Overdue, bool Cancelled, DateTimeOffset? DoneAt, string? DoneBy, string? Outcome, int? Satisfaction)
{
    public static FollowUpView From(FollowUp followUp, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        return new(KindName(followUp.Kind), followUp.Due, followUp.IsOpen, followUp.IsOverdue(now), followUp.Cancelled, followUp.DoneAt, followUp.DoneBy, followUp.Outcome, followUp.Satisfaction);
    }

    public static string KindName(FollowUpKind kind) => kind switch
    {
        FollowUpKind.Verification => "verification",
        FollowUpKind.Survey => "survey",
        _ => "return_visit",
    };
}

/// <summary>One service deadline: when it falls due, when its step was done, and whether it is breached now.</summary>
public sealed record DeadlineView(string Kind, DateTimeOffset Due, DateTimeOffset? DoneAt, bool Breached, bool Escalated);

public sealed record ResolutionView(string Cause, string Action, IReadOnlyList<string> PartsReplaced, string Kind, string? Note);

public sealed record EscalationView(string Deadline, DateTimeOffset Due, DateTimeOffset At);

/// <summary>A condition the same event raised on the asset, attached to the ticket instead of a second dispatch.</summary>
public sealed record RelatedView(
    string Fault,
    int Grade,
    string Summary,
    DateTimeOffset FirstOccurrence,
    DateTimeOffset LastOccurrence,
    int Occurrences,
    bool Active,
    DateTimeOffset? ClearedAt,
    IReadOnlyDictionary<string, double> Evidence);

/// <summary>One step of a ticket's history; <c>client</c> is what a person took it from (a token's client, or <c>web</c>).</summary>
public sealed record StepView(string What, string Actor, DateTimeOffset At, string? Detail, string? Client);

/// <summary>A page of tickets, newest first.</summary>
public sealed record TicketPage(IReadOnlyList<TicketView> Tickets, int Limit, int Offset);

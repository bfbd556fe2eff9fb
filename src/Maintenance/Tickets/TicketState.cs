using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.ServiceLevels;

namespace Telemetry.Maintenance.Tickets;

/// <summary>
/// Everything a <see cref="Ticket"/> knows, immutable; the ticket replaces it on every step, and the store saves it as
/// is. Times are UTC.
/// </summary>
internal sealed record TicketState
{
    public required string Number { get; init; }

    public required string AssetKey { get; init; }

    public required FaultType Fault { get; init; }

    public required FaultGrade Grade { get; init; }

    public required TicketStatus Status { get; init; }

    public required string Summary { get; init; }

    public string? Crew { get; init; }

    public required CrewZone Zone { get; init; }

    public required TicketOrigin Origin { get; init; }

    public required DateTimeOffset OpenedAt { get; init; }

    public required DateTimeOffset FirstOccurrence { get; init; }

    public required DateTimeOffset LastOccurrence { get; init; }

    public required int Occurrences { get; init; }

    public required IReadOnlyDictionary<string, double> Evidence { get; init; }

    public string? RepeatOf { get; init; }

    public required bool ConditionActive { get; init; }

    public DateTimeOffset? ConditionClearedAt { get; init; }

    public string? ConditionClearedSummary { get; init; }

    public required ServiceDeadlines Deadlines { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? OnSiteAt { get; init; }

    public string? OnSiteBy { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public string? ResolvedBy { get; init; }

    public Resolution? Resolution { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public string? ClosedBy { get; init; }

    public string? ClosingNote { get; init; }

    // A ticket stored before a list existed has no such field; the serialiser then sets null, which reads as empty.
    public IReadOnlyList<Escalation> Escalations { get; init => field = value ?? []; } = [];

    public IReadOnlyList<RelatedCondition> Related { get; init => field = value ?? []; } = [];

    public IReadOnlyList<TicketStep> History { get; init => field = value ?? []; } = [];

    public IReadOnlyList<FollowUp> FollowUps { get; init => field = value ?? []; } = [];

    public long Version { get; init; }
}

using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;

namespace Telemetry.Maintenance.Tickets;

/// <summary>An operator opening a ticket by hand; <paramref name="Client"/> is what the operator opened it from (see <see cref="TicketStep.Client"/>).</summary>
public sealed record ManualTicket(
    AssetRef Asset,
    FaultType Fault,
    FaultGrade Grade,
    string Summary,
    string? Crew,
    CrewZone Zone,
    string Actor,
    string? Client = null);

/// <summary>What <see cref="ITicketRepository.RecordAsync"/> did with a detection.</summary>
/// <param name="Ticket">The ticket the detection is on, as stored.</param>
/// <param name="Opened">True when the detection opened the ticket, false when it counted (or was already counted) on it.</param>
/// <param name="RepeatRepair">True when the detection opened a repeat-repair ticket (the last one closed within the window).</param>
public sealed record FaultRecorded(Ticket Ticket, bool Opened, bool RepeatRepair)
{
    /// <summary>The ticket's grade before an occurrence was counted on it; null when the detection opened it or changed nothing.</summary>
    public FaultGrade? GradeBefore { get; init; }
}

/// <summary>
/// Filters for <see cref="ITicketRepository.ListAsync"/>; unset filters match everything. Results come newest first.
/// </summary>
public sealed record TicketQuery
{
    public const int MaxLimit = 1000;

    /// <summary>Any of these statuses; null or empty for all.</summary>
    public IReadOnlyCollection<TicketStatus>? Statuses { get; init; }

    public string? Site { get; init; }

    public string? Crew { get; init; }

    public FaultGrade? Grade { get; init; }

    public FaultType? Fault { get; init; }

    /// <summary>The exact <see cref="AssetRef.Key"/>.</summary>
    public string? AssetKey { get; init; }

    /// <summary>Only tickets not closed yet (any status before <see cref="TicketStatus.Closed"/>).</summary>
    public bool OpenOnly { get; init; }

    /// <summary>Opened at or after this time.</summary>
    public DateTimeOffset? OpenedFrom { get; init; }

    /// <summary>Opened before this time.</summary>
    public DateTimeOffset? OpenedTo { get; init; }

    /// <summary>Not closed, or closed at or after this time: with <see cref="OpenedTo"/>, the tickets alive in a period.</summary>
    public DateTimeOffset? NotClosedBefore { get; init; }

    /// <summary>At most this many, 1 to <see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = 100;

    public int Offset { get; init; }
}

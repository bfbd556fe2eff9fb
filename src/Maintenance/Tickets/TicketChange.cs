using Telemetry.Maintenance.Faults;

namespace Telemetry.Maintenance.Tickets;

/// <summary>
/// One saved version of a ticket, as the change feed tells it: enough to follow a ticket's status, grade and crew
/// without loading it. The fault is its name: a fault type a rule declares may be unknown to the reader. <see cref="Seq"/> rises with every save in every process and is never given twice.
/// </summary>
public sealed record TicketChange(
    long Seq,
    TicketNumber Number,
    long Version,
    TicketStatus Status,
    FaultGrade Grade,
    string Fault,
    AssetRef Asset,
    string? Crew,
    DateTimeOffset At);

/// <summary>
/// The durable feed of ticket changes, written in the same transaction as every save of a ticket, so that a reader
/// that remembers the last sequence it saw misses nothing, whichever process changed the ticket.
/// </summary>
public interface ITicketChangeFeed
{
    /// <summary>Changes after <paramref name="afterSeq"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<TicketChange>> ReadAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>The newest sequence given (0 when nothing was ever changed), and the oldest still kept (0 when none is).</summary>
    Task<(long Newest, long Oldest)> BoundsAsync(CancellationToken cancellationToken);

    /// <summary>Forgets changes made before <paramref name="before"/> and all but the newest <paramref name="keep"/>; returns how many went.</summary>
    Task<int> PruneAsync(DateTimeOffset before, int keep, CancellationToken cancellationToken);
}

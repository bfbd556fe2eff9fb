using Telemetry.Maintenance.Faults;

namespace Telemetry.Maintenance.Tickets;

/// <summary>
/// The ticket store. Every change is one transaction that also stores the crew notifications the change raised,
/// so a ticket is never saved without its notifications, nor a notification without its ticket.
/// </summary>
public interface ITicketRepository
{
    /// <summary>
    /// Opens a ticket for the detection, or counts an occurrence on the one not yet closed for the same asset and fault.
    /// A redelivered detection (at or before the ticket's last occurrence) changes nothing.
    /// </summary>
    Task<FaultRecorded> RecordAsync(FaultDetected detected, CancellationToken cancellationToken);

    /// <summary>Records the clearing on the ticket not yet closed for the asset and fault; null when there is none.</summary>
    Task<Ticket?> RecordClearedAsync(FaultCleared cleared, CancellationToken cancellationToken);

    /// <summary>Opens a ticket by hand. Throws <see cref="TicketAlreadyOpenException"/> when the asset and fault have one not closed.</summary>
    Task<Ticket> OpenManualAsync(ManualTicket request, CancellationToken cancellationToken);

    Task<Ticket?> FindAsync(TicketNumber number, CancellationToken cancellationToken);

    /// <summary>Tickets matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<Ticket>> ListAsync(TicketQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Loads the ticket, applies <paramref name="change"/> (a lifecycle method), and saves it with its notifications if
    /// nobody saved it in between; otherwise reloads and applies the change again. Throws
    /// <see cref="TicketNotFoundException"/>, and whatever the change throws (<see cref="TicketLifecycleException"/>).
    /// </summary>
    Task<Ticket> ChangeAsync(TicketNumber number, Action<Ticket> change, CancellationToken cancellationToken);

    /// <summary>
    /// Tickets that still owe a follow-up task (verification, survey, return visit) due at or before
    /// <paramref name="dueBefore"/>, the earliest due first: what the operators have to do now or soon.
    /// </summary>
    Task<IReadOnlyList<Ticket>> ListFollowUpsDueAsync(DateTimeOffset dueBefore, CancellationToken cancellationToken);

    /// <summary>Tickets not closed whose condition is active: the rule engine rebuilds its state from these at start.</summary>
    Task<IReadOnlyList<Ticket>> ListActiveConditionsAsync(CancellationToken cancellationToken);

    /// <summary>Tickets not closed with a deadline breached at <paramref name="now"/> that has not been escalated yet.</summary>
    Task<IReadOnlyList<Ticket>> ListUnescalatedBreachesAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

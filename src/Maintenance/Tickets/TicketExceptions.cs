namespace Telemetry.Maintenance.Tickets;

/// <summary>A step the ticket's current status does not allow, such as acknowledging a closed ticket.</summary>
public sealed class TicketLifecycleException : InvalidOperationException
{
    public TicketLifecycleException(TicketNumber number, TicketStatus status, string step, string? reason = null)
        : base($"Ticket {number} is {status.ToName()}: cannot {step}{(reason is null ? "" : $" ({reason})")}")
    {
        Number = number;
        Status = status;
        Step = step;
    }

    public TicketNumber Number { get; }

    public TicketStatus Status { get; }

    /// <summary>The step that was refused, e.g. <c>acknowledge</c>.</summary>
    public string Step { get; }
}

/// <summary>No ticket has the number.</summary>
public sealed class TicketNotFoundException(TicketNumber number) : KeyNotFoundException($"Ticket {number} does not exist")
{
    public TicketNumber Number { get; } = number;
}

/// <summary>An operator asked to open a ticket for an asset and fault that already have one not closed.</summary>
public sealed class TicketAlreadyOpenException(TicketNumber existing, string assetKey, string fault)
    : InvalidOperationException($"Ticket {existing} for {fault} on {assetKey} is not closed yet; a second one cannot be opened")
{
    /// <summary>The ticket that is not closed yet.</summary>
    public TicketNumber Existing { get; } = existing;
}

namespace Telemetry.Maintenance.Tickets;

/// <summary>Where a ticket is in its life (domain section 4); it only moves forward.</summary>
public enum TicketStatus
{
    /// <summary>Opened by a rule or an operator; nobody has taken it yet.</summary>
    Open,

    /// <summary>A crew has taken it: the response time is measured here.</summary>
    Acknowledged,

    /// <summary>The crew is at the asset: the arrival time is measured here.</summary>
    OnSite,

    /// <summary>Repaired, with cause, action and parts; waiting for the customer's verification.</summary>
    Resolved,

    /// <summary>Verified with the customer. Nothing happens to a closed ticket; a recurrence opens a new one.</summary>
    Closed,
}

/// <summary>Names of <see cref="TicketStatus"/>.</summary>
public static class TicketStatuses
{
    /// <summary>The spelling used in storage, JSON and queries: <c>open</c>, <c>acknowledged</c>, <c>on_site</c>, <c>resolved</c>, <c>closed</c>.</summary>
    public static string ToName(this TicketStatus status) => status switch
    {
        TicketStatus.Open => "open",
        TicketStatus.Acknowledged => "acknowledged",
        TicketStatus.OnSite => "on_site",
        TicketStatus.Resolved => "resolved",
        TicketStatus.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown ticket status"),
    };

    /// <summary>Parses <see cref="ToName"/>'s spelling.</summary>
    public static bool TryParse(string? name, out TicketStatus status)
    {
        foreach (var candidate in Enum.GetValues<TicketStatus>())
        {
            if (candidate.ToName() == name)
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}

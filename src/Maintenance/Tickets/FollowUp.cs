namespace Telemetry.Maintenance.Tickets;

/// <summary>What the service owes the customer after a repair.</summary>
public enum FollowUpKind
{
    /// <summary>The repair verified with the customer (within 48 h of the resolution); the closing records it.</summary>
    Verification,

    /// <summary>The customer's satisfaction asked (within 16 h of the closing).</summary>
    Survey,

    /// <summary>A return visit after a grade 1 or 2 repair, to see that it holds.</summary>
    ReturnVisit,
}

/// <summary>
/// One follow-up task of a ticket: its deadline, and once done, when, by whom and with what outcome (for a survey, the
/// customer's satisfaction from 1 to 5). A task still open when the ticket is sent back to the crew is cancelled; the
/// next resolution and closing owe new ones.
/// </summary>
public sealed record FollowUp(
    FollowUpKind Kind,
    DateTimeOffset Due,
    DateTimeOffset? DoneAt = null,
    string? DoneBy = null,
    string? Outcome = null,
    int? Satisfaction = null,
    bool Cancelled = false)
{
    public const int LowestSatisfaction = 1;

    public const int HighestSatisfaction = 5;

    public bool IsOpen => DoneAt is null && !Cancelled;

    /// <summary>Open past its deadline.</summary>
    public bool IsOverdue(DateTimeOffset now) => IsOpen && now > Due;

    /// <summary>Done after its deadline.</summary>
    public bool DoneLate => DoneAt is { } done && done > Due;
}

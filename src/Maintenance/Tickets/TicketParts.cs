using Telemetry.Maintenance.ServiceLevels;

namespace Telemetry.Maintenance.Tickets;

/// <summary>Who opened a ticket.</summary>
public enum TicketOriginKind
{
    /// <summary>A rule confirmed a fault condition.</summary>
    Rule,

    /// <summary>An operator opened it by hand.</summary>
    Operator,
}

/// <summary>Who opened a ticket: a rule, or an operator by name.</summary>
public sealed record TicketOrigin(TicketOriginKind Kind, string Actor)
{
    /// <summary>The actor of steps the rule engine takes (opening, occurrences, clearing).</summary>
    public const string RulesActor = "rules";

    /// <summary>Opened by the rule engine.</summary>
    public static TicketOrigin Rule { get; } = new(TicketOriginKind.Rule, RulesActor);

    /// <summary>Opened by the operator <paramref name="actor"/>.</summary>
    public static TicketOrigin Operator(string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return new(TicketOriginKind.Operator, actor);
    }
}

/// <summary>Whether a repair was to the plant or to its software and settings (a remote fix).</summary>
public enum RepairKind
{
    Hardware,
    Software,
}

/// <summary>How a fault was repaired: what caused it, what was done, which parts were replaced, and the crew's free note.</summary>
public sealed record Resolution(string Cause, string Action, IReadOnlyList<string> PartsReplaced, RepairKind Kind, string? Note = null)
{
    public string Cause { get; } = string.IsNullOrWhiteSpace(Cause) ? throw new ArgumentException("a resolution states the cause", nameof(Cause)) : Cause;

    public string Action { get; } = string.IsNullOrWhiteSpace(Action) ? throw new ArgumentException("a resolution states the action taken", nameof(Action)) : Action;

    public IReadOnlyList<string> PartsReplaced { get; } = [.. PartsReplaced ?? throw new ArgumentNullException(nameof(PartsReplaced))];
}

/// <summary>A breached deadline reported to the supervisor: which deadline, when it was due, when it was escalated.</summary>
public sealed record Escalation(DeadlineKind Deadline, DateTimeOffset Due, DateTimeOffset At);

/// <summary>What a step in a ticket's history was.</summary>
public enum TicketStepKind
{
    Opened,
    Occurred,
    ConditionCleared,
    Acknowledged,
    ArrivedOnSite,
    Resolved,
    Closed,
    Reassigned,
    Escalated,
    Regraded,

    /// <summary>
    /// A ticket sent back to the crew: resolved, and the fault came back worse before the repair was verified; or
    /// closed, and reopened by a person within the repeat-repair window.
    /// </summary>
    Reopened,

    /// <summary>Another condition of the same event attached to the ticket, or a related condition seen again or cleared.</summary>
    Related,

    /// <summary>A stronger diagnosis of the same event took the ticket over; the one it replaced became a related condition.</summary>
    Rediagnosed,

    /// <summary>A note added by a person; it changes nothing else.</summary>
    Commented,

    /// <summary>A follow-up task done: the customer's survey answered, or the return visit made.</summary>
    FollowedUp,
}

/// <summary>One step in a ticket's history: what happened, who did it, when, and the particulars.</summary>
/// <param name="What">The kind of step.</param>
/// <param name="Actor">Who took it: a user's name, or <c>rules</c> or <c>system</c>.</param>
/// <param name="At">When, UTC.</param>
/// <param name="Detail">The particulars, as given.</param>
/// <param name="Client">
/// What the person took it from: the client a bearer token was issued for (a crew's phone, a hotline system), <c>web</c>
/// for a browser session; null for steps the system takes, and for steps stored before clients were recorded.
/// </param>
public sealed record TicketStep(TicketStepKind What, string Actor, DateTimeOffset At, string? Detail, string? Client = null);

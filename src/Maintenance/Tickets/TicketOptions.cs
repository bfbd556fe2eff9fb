using Telemetry.Contracts;
using Telemetry.Maintenance.ServiceLevels;

namespace Telemetry.Maintenance.Tickets;

/// <summary>The service unit's ticket settings, bound from configuration and checked with <see cref="Validate"/> at start.</summary>
public sealed record TicketOptions
{
    /// <summary>The service unit's code that starts every ticket number (<see cref="TicketNumber.UnitRule"/>).</summary>
    public string ServiceUnit { get; init; } = "YW";

    /// <summary>The service unit's time zone (IANA or Windows id); a ticket is numbered in the month it opened there.</summary>
    public string TimeZone { get; init; } = "UTC";

    private readonly TimeSpan repeatRepairWindow = ServiceLevelTerms.Default.RepeatRepairWindow;
    private readonly ServiceLevelPolicy serviceLevels = ServiceLevelPolicy.Default;

    /// <summary>A fault back on an asset less than this long after its ticket closed is a repeat repair.</summary>
    /// <remarks>The <see cref="ServiceLevelSource"/>'s current window when there is one: admins tune it at run time.</remarks>
    public TimeSpan RepeatRepairWindow
    {
        get => ServiceLevelSource?.Current.RepeatRepairWindow ?? repeatRepairWindow;
        init => repeatRepairWindow = value;
    }

    /// <summary>
    /// How close to a ticket's beginning a related fault on the same asset must be detected to be the same event, one
    /// dispatch (<see cref="OneEvent"/>): long enough for the slowest of the diagnoses to confirm (a debounce of a few
    /// polls), short enough that a fault of another night is another ticket.
    /// </summary>
    public TimeSpan SameEventWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long after the resolution the repair must be verified with the customer (the closing).</summary>
    public TimeSpan VerificationWithin { get; init; } = TimeSpan.FromHours(48);

    /// <summary>How long after the closing the customer's satisfaction must be asked.</summary>
    public TimeSpan SurveyWithin { get; init; } = TimeSpan.FromHours(16);

    /// <summary>How long after the closing of a grade 1 or 2 repair the return visit is due.</summary>
    public TimeSpan ReturnVisitWithin { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The alert channel escalations go to besides the crew's (and openings of tickets with no crew).</summary>
    public string SupervisorChannel { get; init; } = "supervisor";

    /// <summary>The deadlines of each grade and zone.</summary>
    /// <remarks>The <see cref="ServiceLevelSource"/>'s current policy when there is one: admins tune it at run time.</remarks>
    public ServiceLevelPolicy ServiceLevels
    {
        get => ServiceLevelSource?.Current.Policy ?? serviceLevels;
        init => serviceLevels = value;
    }

    /// <summary>The stored terms in force, read each time a ticket's deadlines are set; null for the configured ones above.</summary>
    public IServiceLevelSource? ServiceLevelSource { get; init; }

    /// <summary>One message per invalid setting, naming it; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!TicketNumber.IsValidUnit(ServiceUnit))
        {
            problems.Add($"ServiceUnit '{ServiceUnit}' must be {TicketNumber.UnitRule}");
        }

        if (!System.TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? "", out _))
        {
            problems.Add($"TimeZone '{TimeZone}' is not a known time zone id");
        }

        if (RepeatRepairWindow < TimeSpan.Zero)
        {
            problems.Add($"RepeatRepairWindow must not be negative, not {RepeatRepairWindow}");
        }

        if (SameEventWindow < TimeSpan.Zero || SameEventWindow > TimeSpan.FromDays(1))
        {
            problems.Add($"SameEventWindow must be between 0 and 1 day, not {SameEventWindow}");
        }

        foreach (var (name, value) in new[] { ("VerificationWithin", VerificationWithin), ("SurveyWithin", SurveyWithin), ("ReturnVisitWithin", ReturnVisitWithin) })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(90))
            {
                problems.Add($"{name} must be more than 0 and at most 90 days, not {value}");
            }
        }

        if (!Identifiers.IsValid(SupervisorChannel))
        {
            problems.Add($"SupervisorChannel '{SupervisorChannel}' must be {Identifiers.Rule}");
        }

        if (ServiceLevels is null)
        {
            problems.Add("ServiceLevels must be set");
        }
        else
        {
            problems.AddRange(ServiceLevels.Validate().Select(p => "ServiceLevels." + p));
        }

        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid ticket options: " + string.Join("; ", problems));
        }
    }

    internal TimeZoneInfo FindTimeZone() => System.TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

namespace Telemetry.Maintenance.ServiceLevels;

/// <summary>The three service targets a ticket is measured against (domain section 3).</summary>
public enum DeadlineKind
{
    /// <summary>Acknowledge the ticket: the response time.</summary>
    Response,

    /// <summary>Be on site: the arrival time.</summary>
    Arrival,

    /// <summary>Resolve the fault: the fix time.</summary>
    Fix,
}

/// <summary>Names of <see cref="DeadlineKind"/>.</summary>
public static class DeadlineKinds
{
    /// <summary>The spelling used in storage, notification ids and JSON: <c>response</c>, <c>arrival</c>, <c>fix</c>.</summary>
    public static string ToName(this DeadlineKind kind) => kind switch
    {
        DeadlineKind.Response => "response",
        DeadlineKind.Arrival => "arrival",
        DeadlineKind.Fix => "fix",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown deadline kind"),
    };

    /// <summary>Parses <see cref="ToName"/>'s spelling.</summary>
    public static bool TryParse(string? name, out DeadlineKind kind)
    {
        foreach (var candidate in Enum.GetValues<DeadlineKind>())
        {
            if (candidate.ToName() == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}

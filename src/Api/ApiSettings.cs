namespace Telemetry.Api;

/// <summary>The <c>Api</c> section.</summary>
public sealed class ApiSettings
{
    /// <summary>The SQLite file of tickets, thresholds and notifications, shared with Rules.</summary>
    public string Database { get; set; } = "";

    /// <summary>The service unit's code, first part of the numbers of tickets operators open.</summary>
    public string ServiceUnit { get; set; } = "YW";

    /// <summary>The service unit's time zone: ticket numbers restart each month of this zone.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Ticket actions a signed-in user may take per minute; beyond it, 429 with Retry-After.</summary>
    public int ActionsPerMinute { get; set; } = 60;

    public IEnumerable<string> Validate()
    {
        if (ActionsPerMinute < 1)
        {
            yield return $"Api:ActionsPerMinute must be at least 1, not {ActionsPerMinute}";
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            yield return "Api:Database must name the SQLite file of tickets";
        }
    }
}
